import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProjectAtRef } from '../../server/src/node/gitProject';
import { loadProject, ProjectLoadError } from '../../server/src/node/loadProject';
import { cli } from '../helpers/cli';
import { git } from '../helpers/git';
import { temporaryDirs } from '../helpers/project';

/**
 * `kodkarta agreement --ref A --ref B` on a real git repository made in a temporary folder: the study
 * lives in a subfolder, each coder codes on a branch, and the working tree stays on main, untouched.
 */

const temporary = temporaryDirs('kodkarta-git-');

const codebook = `---
transcripts: sesjoner/*.md
---

# 1 Brudd

- #tilbaketrekning: Klienten trekker seg unna.
- #konfrontasjon: Klienten går mot terapeuten.

# 2 Reparasjon

- #metakommunikasjon: Terapeuten snakker om samspillet.
`;

const header = '---\nparticipant: K1\nspeakers:\n  T: Terapeut\n  K: Klient\n---\n\n';
const plain = [
  '**T:** Hvordan har uka vært?',
  '**K:** Grei.',
  '**T:** Du svarer kort i dag.',
  '**K:** Jeg er lei av å snakke om uka.',
  '**T:** Hva skjer mellom oss nå?',
];

function session(codes: (string | undefined)[]): string {
  return `${header}${plain
    .map((line, i) => {
      const code = codes[i];
      if (!code) return line;
      const label = line.slice(0, 7);
      return `${label}[${line.slice(7)}]{#${code}}`;
    })
    .join('\n\n')}\n`;
}

let repo: string;
let study: string;
let head: string;

beforeAll(() => {
  repo = temporary.empty();
  study = join(repo, 'studie');
  mkdirSync(join(study, 'sesjoner'), { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(study, 'codebook.md'), codebook);
  writeFileSync(join(study, 'sesjoner', 's1.md'), session([]));
  writeFileSync(join(repo, 'README.md'), '# Repo\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Transkripsjoner');

  git(repo, 'checkout', '-q', '-b', 'koder-a');
  writeFileSync(
    join(study, 'sesjoner', 's1.md'),
    session([undefined, 'tilbaketrekning', undefined, 'konfrontasjon', 'metakommunikasjon']),
  );
  git(repo, 'commit', '-q', '-am', 'Koding A');

  git(repo, 'checkout', '-q', 'main');
  git(repo, 'checkout', '-q', '-b', 'koder-b');
  writeFileSync(
    join(study, 'sesjoner', 's1.md'),
    session([undefined, 'tilbaketrekning', 'metakommunikasjon', 'konfrontasjon', undefined]),
  );
  // A transcript only coder B's branch has: reported, not compared.
  writeFileSync(join(study, 'sesjoner', 's2.md'), session([]));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Koding B');

  git(repo, 'checkout', '-q', 'main');
  head = git(repo, 'rev-parse', 'HEAD').trim();
});

describe('kodkarta agreement --ref', () => {
  it('compares two branches without touching the working tree', async () => {
    const result = await cli(['agreement', '--ref', 'koder-a', '--ref', 'koder-b', study, '--json']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(report.status).toBe('ok');
    expect(report.coders.map((c: { name: string; ref: string }) => [c.name, c.ref])).toEqual([
      ['koder-a', git(repo, 'rev-parse', 'koder-a').trim()],
      ['koder-b', git(repo, 'rev-parse', 'koder-b').trim()],
    ]);
    expect(report.unit).toBe('turn');
    expect(report.unpaired).toEqual([{ path: 'sesjoner/s2.md', coders: ['koder-b'] }]);
    // Five turns. #tilbaketrekning and #konfrontasjon: the same turn each; #metakommunikasjon: turn 5 by
    // A, turn 3 by B, so a = 0, b = 1, c = 1, d = 3: p_o = 3/5, p_e = (1·1 + 4·4)/25 = 17/25,
    // kappa = (15 − 17)/(25 − 17) = −1/4; alpha = 1 − 9 · 2 / (2 · 8) = −1/8.
    const byCode = Object.fromEntries(report.codes.map((c: { code: string }) => [c.code, c]));
    expect(byCode.tilbaketrekning).toMatchObject({
      units: 5,
      coded: [1, 1],
      agreement: 1,
      kappa: 1,
      alpha: 1,
    });
    expect(byCode.konfrontasjon).toMatchObject({ units: 5, coded: [1, 1], agreement: 1, kappa: 1, alpha: 1 });
    expect(byCode.metakommunikasjon.agreement).toBeCloseTo(3 / 5, 12);
    expect(byCode.metakommunikasjon.kappa).toBeCloseTo(-1 / 4, 12);
    expect(byCode.metakommunikasjon.alpha).toBeCloseTo(-1 / 8, 12);
    expect(
      report.disagreements.map((d: { line: number; coders: { codes: string[] }[] }) => [
        d.line,
        d.coders.map((c) => c.codes),
      ]),
    ).toEqual([
      [12, [[], ['metakommunikasjon']]],
      [16, [['metakommunikasjon'], []]],
    ]);
    expect(report.disagreements[0].coders[0].uri).toBe(`file://${join(study, 'sesjoner', 's1.md')}`);

    // Nothing moved: the same branch and commit, a clean tree, the uncoded transcript still on disk.
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(readFileSync(join(study, 'sesjoner', 's1.md'), 'utf8')).toBe(session([]));
  });

  it('finds the project from a folder inside it and from the current folder, and prints a table', async () => {
    const result = await cli(['agreement', '--ref', 'koder-a', '--ref', 'koder-b'], join(study, 'sesjoner'));
    expect(result.code).toBe(0);
    expect(result.out).toContain('Intercoder agreement: koder-a, koder-b');
    expect(result.out).toContain('Only koder-b has sesjoner/s2.md: not compared.');
    expect(result.out).toMatch(/#metakommunikasjon\s+2\s+5\s+1\s+1\s+60\.0 %\s+-0\.250\s+-0\.125/);
  });

  it('reads the same index at a ref as loadProject reads from a checkout of it', async () => {
    const atRef = await loadProjectAtRef(study, 'main', repo);
    const onDisk = await loadProject(study);
    expect(atRef.root).toBe(onDisk.root);
    expect(atRef.index.transcripts().map((t) => [t.uri, t.text])).toEqual(
      onDisk.index.transcripts().map((t) => [t.uri, t.text]),
    );
    expect(atRef.index.codebook?.text).toBe(onDisk.index.codebook?.text);
    expect(atRef.commit).toBe(head);
  });

  it('compares the working tree’s branch with a commit given by its hash or a relative ref', async () => {
    const result = await cli(['agreement', '--ref', 'koder-a', '--ref', 'koder-a~1', study, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(report.codes.map((c: { code: string; coded: number[] }) => [c.code, c.coded])).toEqual([
      ['tilbaketrekning', [1, 0]],
      ['konfrontasjon', [1, 0]],
      ['metakommunikasjon', [1, 0]],
    ]);
  });

  it('exits 2 for a ref that does not exist, a folder outside git, and a single --ref', async () => {
    const missing = await cli(['agreement', '--ref', 'koder-a', '--ref', 'koder-c', study]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^kodkarta: koder-c is not a branch, tag or commit of the git repository /);
    const outside = temporary.empty();
    const notGit = await cli(['agreement', '--ref', 'a', '--ref', 'b', outside]);
    expect(notGit.code).toBe(2);
    expect(notGit.err).toMatch(/^kodkarta: git: fatal: not a git repository/);
    const single = await cli(['agreement', '--ref', 'koder-a', study]);
    expect(single.code).toBe(2);
    expect(single.err).toMatch(/needs at least two coders/);
    await expect(loadProjectAtRef(study, '--output=x')).rejects.toBeInstanceOf(ProjectLoadError);
  });

  it('says so when the branch has no codebook where the project should be', async () => {
    git(
      repo,
      'branch',
      '-q',
      'tom',
      git(
        repo,
        'commit-tree',
        '-m',
        'tom',
        git(repo, 'write-tree', '--prefix=studie/sesjoner/').trim(),
      ).trim(),
    );
    const result = await cli(['agreement', '--ref', 'tom', '--ref', 'koder-a', study]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/no codebook\.md in .* or any folder above it at tom/);
  });
});
