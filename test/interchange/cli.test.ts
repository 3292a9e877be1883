import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, exampleStudy } from '../helpers/cli';
import { temporaryDirs } from '../helpers/project';
import { filesIn, rawZip, utf8 } from './helpers';

const temporary = temporaryDirs('kodkarta-interchange-');

describe('kodkarta export', () => {
  it('writes every format to a file, and the text formats to standard output', async () => {
    const dir = temporary.empty();
    for (const format of ['qdc', 'qdpx', 'csv', 'md', 'html']) {
      const result = await cli([
        'export',
        '--format',
        format,
        exampleStudy,
        '-o',
        join(dir, `study.${format}`),
      ]);
      expect(result.code, result.err).toBe(0);
      expect(result.err).toContain(`kodkarta: wrote ${join(dir, `study.${format}`)}`);
    }
    expect(readdirSync(dir).sort()).toEqual([
      'study.csv',
      'study.html',
      'study.md',
      'study.qdc',
      'study.qdpx',
    ]);
    const md = await cli(['export', '--format', 'md', 'examples/alliance-study']);
    expect(md.code).toBe(0);
    expect(md.out).toBe(readFileSync(join(dir, 'study.md'), 'utf8'));
    expect(md.err).toBe('');
  });

  it('prints what is not carried over as warnings', async () => {
    const result = await cli(['export', '--format', 'qdc', 'examples/alliance-study']);
    expect(result.err).toBe(
      "kodkarta: warning: codebook settings are Kodkarta's own and not carried over: min_participants: 2\n",
    );
    expect(result.out.startsWith('<?xml')).toBe(true);
  });

  it('refuses a wrong format, a .qdpx without -o and a bad --quotes', async () => {
    expect((await cli(['export', 'examples/alliance-study'])).err).toContain(
      '--format must be one of qdc, qdpx, csv, md, html',
    );
    expect((await cli(['export', '--format', 'pdf', 'examples/alliance-study'])).code).toBe(2);
    const binary = await cli(['export', '--format', 'qdpx', 'examples/alliance-study']);
    expect([binary.code, binary.out]).toEqual([2, '']);
    expect(binary.err).toContain('name the file to write with -o');
    expect((await cli(['export', '--format', 'md', '--quotes', 'två', 'examples/alliance-study'])).code).toBe(
      2,
    );
    expect((await cli(['export', '--format', 'md', '/no/such/folder'])).err).toContain('no such folder');
  });
});

describe('kodkarta import', () => {
  async function exported(): Promise<string> {
    const dir = temporary.empty();
    const path = join(dir, 'study.qdpx');
    await cli(['export', '--format', 'qdpx', exampleStudy, '-o', path]);
    return path;
  }

  it('creates the project in a new folder and lists the files', async () => {
    const archive = await exported();
    const into = join(temporary.empty(), 'ny studie');
    const result = await cli(['import', archive, '--into', into]);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toBe(`kodkarta: imported a project into ${into}: 8 files\n`);
    expect(Object.keys(filesIn(into)).sort()).toEqual([
      'codebook.md',
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => `transcripts/respondent-${n}.md`),
    ]);
    const check = await cli(['check', into]);
    expect(check.err).toContain('0 errors');
  });

  it('never overwrites: a refused import writes nothing, --force overwrites', async () => {
    const archive = await exported();
    const into = temporary.empty();
    mkdirSync(join(into, 'transcripts'));
    writeFileSync(join(into, 'transcripts', 'respondent-4.md'), 'mitt eget arbete\n');
    const refused = await cli(['import', archive, '--into', into]);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(
      `kodkarta: 1 file already exists in ${into} (transcripts/respondent-4.md): nothing was written; use --force to overwrite\n`,
    );
    expect(Object.keys(filesIn(into))).toEqual(['transcripts/respondent-4.md']);
    expect(readFileSync(join(into, 'transcripts', 'respondent-4.md'), 'utf8')).toBe('mitt eget arbete\n');

    const forced = await cli(['import', archive, '--into', into, '--force']);
    expect(forced.code, forced.err).toBe(0);
    expect(readFileSync(join(into, 'transcripts', 'respondent-4.md'), 'utf8')).toContain('participant: R4');
  });

  it('imports a codebook alone', async () => {
    const dir = temporary.empty();
    await cli(['export', '--format', 'qdc', exampleStudy, '-o', join(dir, 'codebook.qdc')]);
    const result = await cli(['import', join(dir, 'codebook.qdc'), '--into', join(dir, 'ny')]);
    expect(result.code, result.err).toBe(0);
    expect(Object.keys(filesIn(join(dir, 'ny')))).toEqual(['codebook.md']);
  });

  it('refuses hostile archives with a clear message and writes nothing', async () => {
    const dir = temporary.empty();
    const evil = join(dir, 'evil.qdpx');
    writeFileSync(
      evil,
      rawZip([
        { name: 'project.qde', data: utf8('<Project name="P"/>') },
        { name: '../../evil.txt', data: utf8('x') },
      ]),
    );
    const into = join(dir, 'into');
    const result = await cli(['import', evil, '--into', into]);
    expect(result).toEqual({
      code: 2,
      out: '',
      err: 'kodkarta: zip entry "../../evil.txt" points outside the archive (".."): refused\n',
    });
    expect(existsSync(into)).toBe(false);
    expect(readdirSync(dir)).toEqual(['evil.qdpx']);
  });

  it('does not write through a symbolic link that leads out of the folder', async () => {
    const archive = await exported();
    const into = temporary.empty();
    const elsewhere = temporary.empty();
    symlinkSync(elsewhere, join(into, 'transcripts'));
    const result = await cli(['import', archive, '--into', into]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('refusing to write through the symbolic link');
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readdirSync(into)).toEqual(['transcripts']);
  });

  it('explains what it needs', async () => {
    expect((await cli(['import', 'x.qdpx'])).err).toContain('name the folder to import into with --into');
    expect((await cli(['import', '--into', 'x'])).err).toContain('name the file to import');
    expect((await cli(['import', '/no/such.qdpx', '--into', temporary.empty()])).err).toBe(
      'kodkarta: no such file: /no/such.qdpx\n',
    );
    expect((await cli(['import', '--help'])).out).toContain('Usage: kodkarta import');
  });
});
