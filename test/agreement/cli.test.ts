import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, repoRoot, spawnCli } from '../helpers/cli';
import { temporaryDirs } from '../helpers/project';

/** `kodkarta agreement`: the table, the JSON and the exit codes. */

const coderA = 'examples/rupture-sessions/coder-a';
const coderB = 'examples/rupture-sessions/coder-b';

const temporary = temporaryDirs('kodkarta-agreement-');
const copyOfExample = () => temporary.copyOf(join(repoRoot, 'examples/rupture-sessions'));

describe('kodkarta agreement <dirA> <dirB>', () => {
  it('prints the table of codes, the overall figures and the disagreements, and exits 0', async () => {
    const result = await cli(['agreement', coderA, coderB]);
    expect(result.code).toBe(0);
    expect(result.err).toBe('');
    const lines = result.out.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'Intercoder agreement: coder-a, coder-b',
      'Unit: turn. 3 transcripts, 175 turns, 16 codes.',
      '',
      'code                      theme  units  coder-a  coder-b  agreement  kappa  alpha',
      '------------------------  -----  -----  -------  -------  ---------  -----  -----',
      '#klage-terapeut           1.1      175        1        1    100.0 %  1.000  1.000',
    ]);
    expect(lines).toContain(
      '#avviser-intervensjon     1.1      175        5        5     98.9 %  0.794  0.795',
    );
    expect(lines).toContain(
      '#benekter-følelse         1.2      175        3        7     97.7 %  0.590  0.589',
    );
    expect(lines).toContain(
      'all codes                          175                       89.1 %  0.830  0.820',
    );
    expect(lines).toContain('Disagreements (19):');
    const at = lines.indexOf(
      'sesjoner/k1-sesjon-03.md:39  turn 12 (K)  “Jeg vet ikke. Det er ikke noe spesielt med det.”',
    );
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '    coder-a: #minimal-respons',
      '    coder-b: #benekter-følelse',
    ]);
    expect(lines).toContain('    coder-a: —');
  });

  it('prints the same as JSON with --json', async () => {
    const result = await cli(['agreement', coderA, coderB, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(report).toMatchObject({
      status: 'ok',
      unit: 'turn',
      coders: [{ name: 'coder-a' }, { name: 'coder-b' }],
      overall: { units: 175, codes: 16 },
    });
    expect(report.overall.alpha).toBeCloseTo(587662 / 716439, 12);
    expect(report.codes).toHaveLength(16);
    expect(report.disagreements).toHaveLength(19);
    expect(report.disagreements[0].coders[1].uri).toMatch(/coder-b\/sesjoner\/k1-sesjon-03\.md$/);
  });

  it('compares by paragraph and by character with --unit', async () => {
    const paragraphs = await cli(['agreement', coderA, coderB, '--unit', 'paragraph', '--json']);
    expect(JSON.parse(paragraphs.out).overall.units).toBe(175);
    const characters = await cli(['agreement', coderA, coderB, '--unit', 'character']);
    expect(characters.code).toBe(0);
    expect(characters.out).toContain('Unit: character. 3 transcripts, 14408 characters, 16 codes.');
    expect(characters.out).toMatch(
      /^sesjoner\/k1-sesjon-03\.md:35 {2}25 characters \(K\) {2}“Litt, ja\. Eller, jeg vet ikke\.”$/m,
    );
  });

  it('compares three coders, with the mean pairwise kappa', async () => {
    const third = copyOfExample();
    const result = await cli(['agreement', coderA, coderB, join(third, 'coder-a'), '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    // The third coder is a copy of coder-a: pairs (a, b) and (b, a') have the kappa of a and b, (a, a') 1.
    const minimal = report.codes.find((c: { code: string }) => c.code === 'minimal-respons');
    expect(minimal.kappa).toBeCloseTo((338 / 513 + 338 / 513 + 1) / 3, 12);
    expect(report.coders.map((c: { name: string }) => c.name)).toEqual([
      'examples/rupture-sessions/coder-a',
      'coder-b',
      expect.stringMatching(/kodkarta-agreement-.*\/coder-a$/),
    ]);
    const table = await cli(['agreement', coderA, coderB, join(third, 'coder-a')]);
    expect(table.out).toContain("kappa*: mean of the pairwise Cohen's kappas");
  });

  it('exits 1 and names the file and line when the texts differ', async () => {
    const copy = copyOfExample();
    const file = join(copy, 'coder-b/sesjoner/k1-sesjon-04.md');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('Takk for i dag.', 'Takk for i dag, og god helg.'),
    );
    const result = await cli(['agreement', join(copy, 'coder-a'), join(copy, 'coder-b')]);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      "kodkarta: the coders' copies of 1 transcript differ in their text; agreement was not computed\n",
    );
    expect(result.out.split('\n')).toEqual([
      "The coders' transcripts do not have the same text once tags are removed, so agreement cannot be computed.",
      'Make the texts equal (only tags may differ), then run this again.',
      '',
      'sesjoner/k1-sesjon-04.md:139: coder-a and coder-b differ from line 139',
      '    coder-a: **K:** Ja. Tirsdag. [skratt] Takk for i dag.',
      '    coder-b: **K:** Ja. Tirsdag. [skratt] Takk for i dag, og god helg.',
      '',
    ]);
    const json = await cli(['agreement', join(copy, 'coder-a'), join(copy, 'coder-b'), '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({
      status: 'text-differs',
      mismatches: [{ path: 'sesjoner/k1-sesjon-04.md', lines: [139, 139] }],
    });
  });

  it('says so when no transcript is in more than one copy', async () => {
    const result = await cli(['agreement', coderA, 'examples/alliance-study']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Only coder-a has sesjoner/k1-sesjon-03.md: not compared.');
    expect(result.out).toContain('Only alliance-study has intervjuer/respondent-1.md: not compared.');
    expect(result.out.trimEnd().split('\n').at(-1)).toBe(
      'No transcript is in more than one copy: there is nothing to compare.',
    );
  });

  it('exits 2 for a wrong command line or a folder that is no project', async () => {
    const one = await cli(['agreement', coderA]);
    expect(one.code).toBe(2);
    expect(one.err).toMatch(/^kodkarta: agreement needs at least two coders/);
    const unit = await cli(['agreement', coderA, coderB, '--unit', 'sentence']);
    expect(unit).toEqual({
      code: 2,
      out: '',
      err: 'kodkarta: --unit must be paragraph, turn or character, not "sentence"\n',
    });
    const option = await cli(['agreement', coderA, coderB, '--format', 'json']);
    expect(option.code).toBe(2);
    expect(option.err).toMatch(/^kodkarta: Unknown option '--format'/);
    const missing = await cli(['agreement', coderA, 'examples/no-such-coder']);
    expect(missing).toEqual({ code: 2, out: '', err: 'kodkarta: no such folder: examples/no-such-coder\n' });
    const both = await cli(['agreement', '--ref', 'a', '--ref', 'b', coderA, coderB]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/^kodkarta: with --ref, give at most one folder/);
  });

  it('prints its usage with --help, and appears in the usage of kodkarta', async () => {
    const help = await cli(['agreement', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage:\n {2}kodkarta agreement <dirA> <dirB>/);
    const usage = await cli(['--help']);
    expect(usage.out).toContain('kodkarta agreement --ref <gitref> --ref <gitref> [dir]');
    expect(usage.out).toContain('kodkarta codeline [dir] [--follows A --then B --within N] [--json]');
  });
});

describe('the built kodkarta agreement', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 60_000);

  it('runs as its own process on the example, as the example’s README shows', async () => {
    const result = await spawnCli(['agreement', coderA, coderB]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      'all codes                          175                       89.1 %  0.830  0.820',
    );
  });
});
