import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtCli, cli, ensureBuilt, exampleStudy, repoRoot, spawnCli } from '../helpers/cli';
import { fixtureDir, temporaryDirs } from '../helpers/project';

const errorsFixture = fixtureDir('cli/errors');

const expectedLines = [
  'codebook.md:9:3 info #arvode is not used in any transcript [unused-code]',
  'codebook.md:11:3 warning "Förtroende" is numbered 3 but is theme 2 by its place in the codebook [theme-numbering]',
  'intervjuer/respondent-1.md:6:29 error expected #code or a "note" in the tag, found "kontrakt" (did you mean #kontrakt?) [malformed-tag]',
  'intervjuer/respondent-1.md:8:55 warning #humor is not in the codebook: add it under a theme, or keep it as an inductive code [unknown-code]',
  'intervjuer/respondent-2.md:1:1 warning no participant in the front matter: quotes are attributed to "respondent-2"; add "participant: ID" and "label: ..." [missing-participant]',
  'intervjuer/respondent-2.md:3:38 error tag is not closed: add } at the end of the tag (a tag stays on one line) [malformed-tag]',
];

const temporary = temporaryDirs('kodkarta-cli-');

describe('kodkarta check', () => {
  it('prints nothing and exits 0 for the example study', async () => {
    const result = await cli(['check', 'examples/alliance-study']);
    expect(result).toEqual({
      code: 0,
      out: '',
      err: 'kodkarta: 0 errors, 0 warnings, 0 notes in 7 transcripts\n',
    });
  });

  it('checks the current folder when no folder is given', async () => {
    expect((await cli(['check'], exampleStudy)).code).toBe(0);
  });

  it('prints every finding as path:line:col severity message [rule], sorted, and exits 1 on errors', async () => {
    const result = await cli(['check'], errorsFixture);
    expect(result.code).toBe(1);
    expect(result.out).toBe(`${expectedLines.join('\n')}\n`);
    expect(result.err).toBe('kodkarta: 2 errors, 3 warnings, 1 note in 2 transcripts\n');
  });

  it('prints paths relative to the folder it runs in', async () => {
    const result = await cli(['check', 'test/fixtures/cli/errors'], repoRoot);
    expect(result.out.split('\n')[0]).toBe(
      'test/fixtures/cli/errors/codebook.md:9:3 info #arvode is not used in any transcript [unused-code]',
    );
    expect((await cli(['check', errorsFixture], '/')).out.split('\n')[0]).toBe(
      `${errorsFixture.slice(1)}/codebook.md:9:3 info #arvode is not used in any transcript [unused-code]`,
    );
  });

  it('exits 0 when there are warnings but no errors', async () => {
    const result = await cli(['check', fixtureDir('rules/unknown-code')]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/ warning #humor is not in the codebook: .* \[unknown-code\]\n$/);
  });

  it('finds the project above a subfolder', async () => {
    const inside = await cli(['check', 'intervjuer'], errorsFixture);
    expect(inside.code).toBe(1);
    expect(inside.out).toBe(`${expectedLines.join('\n')}\n`);

    const fromSubfolder = await cli(['check'], join(errorsFixture, 'intervjuer'));
    expect(fromSubfolder.out.split('\n').slice(0, 3)).toEqual([
      `../${expectedLines[0]}`,
      `../${expectedLines[1]}`,
      expectedLines[2]?.replace('intervjuer/', ''),
    ]);
    expect((await cli(['check', 'examples/alliance-study/intervjuer'])).code).toBe(0);
  });

  it('prints JSON with rule, severity, message, zero-based range and path for --json', async () => {
    const result = await cli(['check', '--json'], errorsFixture);
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.out) as {
      rule: string;
      severity: string;
      message: string;
      path: string;
      uri: string;
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
    }[];
    expect(
      findings.map(
        (f) =>
          `${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.message} [${f.rule}]`,
      ),
    ).toEqual(expectedLines);
    expect(findings[2]).toMatchObject({
      rule: 'malformed-tag',
      severity: 'error',
      path: 'intervjuer/respondent-1.md',
      uri: expect.stringMatching(/^file:\/\/.*\/intervjuer\/respondent-1\.md$/),
      range: { start: { line: 5, character: 28 }, end: { line: 5, character: 36 } },
    });
  });

  it('prints an empty JSON list for a clean project', async () => {
    const result = await cli(['check', exampleStudy, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual([]);
  });

  it('includes files it could not read', async () => {
    const dir = temporary.copyOf(fixtureDir('rules/clean'), {
      'respondent-2.md': new Uint8Array([0xff, 0xd8, 0xff, 0x00]),
    });
    const result = await cli(['check'], dir);
    expect(result.code).toBe(1);
    expect(result.out).toBe(
      'respondent-2.md:1:1 error binary file (it contains NUL bytes): not read as a transcript [unreadable-file]\n',
    );
  });
});

describe('kodkarta command line errors', () => {
  it('exits 2 with a clear message for a folder that does not exist', async () => {
    const result = await cli(['check', 'finns-inte']);
    expect(result).toEqual({ code: 2, out: '', err: 'kodkarta: no such folder: finns-inte\n' });
  });

  it('exits 2 for a file where a folder is expected', async () => {
    const result = await cli(['check', 'examples/alliance-study/codebook.md']);
    expect(result.code).toBe(2);
    expect(result.err).toBe('kodkarta: not a folder: examples/alliance-study/codebook.md\n');
  });

  it('exits 2 for a folder without codebook.md in it or above it', async () => {
    const dir = temporary.empty();
    mkdirSync(join(dir, 'intervjuer'));
    writeFileSync(join(dir, 'intervjuer', 'respondent-1.md'), '[text]{#kod}\n');
    const result = await cli(['check', 'intervjuer'], dir);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toBe(
      'kodkarta: no codebook.md in intervjuer or any folder above it: a Kodkarta project is the folder that holds codebook.md\n',
    );
  });

  it('exits 2 and shows the usage for an unknown command', async () => {
    const result = await cli(['kontrollera', 'examples/alliance-study']);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/^kodkarta: unknown command "kontrollera"\n\n.*Usage:/s);
  });

  it('exits 2 for an unknown option and for an extra argument', async () => {
    const option = await cli(['check', '--strict']);
    expect(option.code).toBe(2);
    expect(option.err).toMatch(/^kodkarta: .*--strict.*Usage:/s);
    const extra = await cli(['check', 'a', 'b']);
    expect(extra.code).toBe(2);
    expect(extra.err).toMatch(/^kodkarta: unexpected argument "b"/);
  });

  it('exits 2 with the usage on stderr when no command is given, 0 with it on stdout for --help', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.out).toBe('');
    expect(none.err).toContain('Usage:');
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('kodkarta check [dir] [--json]');
    expect(help.err).toBe('');
  });

  it('prints a version for --version', async () => {
    const result = await cli(['--version']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^\S+\n$/);
  });
});

describe('the built command line', () => {
  beforeAll(ensureBuilt);

  it('exits 0, 1 and 2 as documented', async () => {
    const clean = await spawnCli(['check', 'examples/alliance-study']);
    expect(clean).toEqual({
      code: 0,
      out: '',
      err: 'kodkarta: 0 errors, 0 warnings, 0 notes in 7 transcripts\n',
    });

    const errors = await spawnCli(['check'], errorsFixture);
    expect(errors.code).toBe(1);
    expect(errors.out).toBe(`${expectedLines.join('\n')}\n`);

    const missing = await spawnCli(['report', 'finns-inte']);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('kodkarta: no such folder: finns-inte\n');

    const wrong = await spawnCli(['report', '--format', 'xml', 'examples/alliance-study']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toBe('kodkarta: --format must be md or json, not "xml"\n');
  });

  it('prints its version from package.json', async () => {
    const { version } = (await import('../../package.json')).default;
    expect(await spawnCli(['--version'])).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('stops quietly when the reader closes the pipe early, as `| head` does', async () => {
    const child = spawn(
      process.execPath,
      [builtCli, 'report', 'examples/alliance-study', '--format', 'json'],
      {
        cwd: repoRoot,
      },
    );
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
