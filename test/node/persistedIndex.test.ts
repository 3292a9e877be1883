import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { projectFindings } from '../../server/src/core/analyses/findings';
import { findQuotes } from '../../server/src/core/analyses/quotes';
import { themeTree } from '../../server/src/core/analyses/themeTree';
import { PERSISTED_INDEX_VERSION } from '../../server/src/core/persistedIndex';
import { renameCode } from '../../server/src/language/rename';
import { IndexStore } from '../../server/src/node/indexStore';
import { fileUri } from '../../server/src/node/loadProject';
import { type Project, Workspace } from '../../server/src/node/workspace';
import { codebookForPool } from '../helpers/transcripts';
import { applyEdits } from '../helpers/workspace';

/**
 * The persisted index: a restart with nothing changed parses nothing, a changed file is parsed again,
 * and a damaged, old or foreign file is ignored. With few transcripts the server's own thread reads
 * them; with many, worker threads do (the bundle `dist/indexWorker.js`, made by `npm run build`).
 */

const base = mkdtempSync(join(tmpdir(), 'kodkarta-persisted-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const worker = resolve(__dirname, '../../dist/indexWorker.js');

function transcript(n: number): string {
  return [
    '---',
    `participant: R${n}`,
    `label: Respondent ${n}`,
    '---',
    '',
    `**R${n}:** [Vi bestämmer tiden tillsammans]{#kontrakt} och [det är tryggt]{#förtroende #ramar}.`,
    '',
    `**I:** Och sen? [paus] [mer text ${n}]{#osäkerhet}`,
    '',
  ].join('\n');
}

function project(name: string, count: number): string {
  const dir = join(base, name, 'projekt');
  mkdirSync(join(dir, 'intervjuer'), { recursive: true });
  writeFileSync(join(dir, 'codebook.md'), codebookForPool);
  for (let n = 1; n <= count; n++) writeFileSync(join(dir, 'intervjuer', `r${n}.md`), transcript(n));
  return dir;
}

async function index(
  dir: string,
  storage: string | undefined,
  workers = false,
  open: [string, string][] = [],
): Promise<Project> {
  const workspace = new Workspace(() => {});
  workspace.options = {
    ...(storage ? { storageDir: storage } : {}),
    ...(workers ? { indexWorker: worker } : {}),
  };
  for (const [uri, text] of open) workspace.openOrChange(uri, text);
  await workspace.addFolder(fileUri(dir));
  await workspace.flush();
  return workspace.projects[0] as Project;
}

/** Rewrites the persisted index with `change` made to its lines, and a checksum that fits them. */
function rewrite(storage: string, dir: string, change: (lines: string[]) => string[]): void {
  const path = new IndexStore(storage, fileUri(dir)).path;
  const [header = '', ...lines] = readFileSync(path, 'utf8').split('\n');
  const body = change(lines).join('\n');
  const checksum = createHash('sha1').update(body).digest('hex');
  writeFileSync(path, `${JSON.stringify({ ...JSON.parse(header), checksum })}\n${body}`);
}

/** What the index says, as plain data. */
function state(project: Project) {
  return JSON.stringify({
    tree: themeTree(project.index),
    findings: projectFindings(project.index),
    transcripts: project.index.transcriptUris(),
    // Quotes need the text: files the index keeps no bytes of are read again for them.
    quotes: findQuotes(project.index, { limit: 100 }),
    search: findQuotes(project.index, { text: 'tryggt', limit: 100 }),
  });
}

describe.each([
  ['on the server thread', 5, false],
  ['in worker threads', 40, true],
])('a project read %s', (_name, count, workers) => {
  it('is taken whole from the persisted index when nothing changed, with the same answers', async () => {
    if (workers && !existsSync(worker))
      throw new Error('run npm run build first: dist/indexWorker.js is missing');
    const dir = project(`same-${count}`, count);
    const storage = join(base, `storage-same-${count}`);
    const cold = await index(dir, storage, workers);
    expect(cold.stats.fromCache).toBe(0);
    const warm = await index(dir, storage, workers);
    expect(warm.stats.fromCache).toBe(count);
    expect(warm.stats.countsFromCache).toBe(true);
    expect(state(warm)).toBe(state(cold));
    expect(state(warm)).toBe(state(await index(dir, undefined, workers)));
  });

  it('parses again only what changed, and forgets what is gone', async () => {
    const dir = project(`changed-${count}`, count);
    const storage = join(base, `storage-changed-${count}`);
    await index(dir, storage, workers);
    writeFileSync(join(dir, 'intervjuer', 'r1.md'), transcript(1).replace('#kontrakt', '#ramar'));
    rmSync(join(dir, 'intervjuer', 'r2.md'));
    const warm = await index(dir, storage, workers);
    expect(warm.stats.fromCache).toBe(count - 2);
    expect(state(warm)).toBe(state(await index(dir, undefined, workers)));
    const again = await index(dir, storage, workers);
    expect(again.stats.fromCache).toBe(count - 1);
  });

  it('trusts a file whose stat is the one persisted, and reads a changed one again by its content', async () => {
    const dir = project(`stat-${count}`, count);
    const storage = join(base, `storage-stat-${count}`);
    const r2 = join(dir, 'intervjuer', 'r2.md');
    const r3 = join(dir, 'intervjuer', 'r3.md');
    // A modification time that can be set again exactly (half a second, in 2023).
    const mtime = 1_700_000_000.5;
    utimesSync(r2, mtime, mtime);
    // A stat is only written down once the file is older than its file system's timestamp granularity.
    await sleep(150);
    await index(dir, storage, workers);
    const store = new IndexStore(storage, fileUri(dir));
    const entries = (await store.load(async () => {})).entries;
    expect(entries.every((entry) => entry.stat?.length === 4)).toBe(true);
    // A persisted hash no file has: only the stat can say that r1 is unchanged.
    const r1 = fileUri(join(dir, 'intervjuer', 'r1.md'));
    rewrite(storage, dir, (lines) =>
      lines.map((line) =>
        line.includes(JSON.stringify(r1)) ? line.replace(/^\["[0-9a-f]+"/, '["0000"') : line,
      ),
    );
    const trusted = await index(dir, storage, workers);
    expect(trusted.stats.fromCache).toBe(count);
    expect(trusted.stats.countsFromCache).toBe(true);
    // The same size, another content: one with a new modification time, one with the old one set back
    // (the change time still differs).
    const before = (await store.load(async () => {})).entries.find((e) => e.uri === fileUri(r2))?.stat;
    writeFileSync(r2, transcript(2).replace('#kontrakt', '#kontrakx'));
    writeFileSync(r3, transcript(3).replace('#kontrakt', '#kontrakx'));
    utimesSync(r2, mtime, mtime);
    const after = statSync(r2);
    expect([after.size, after.mtimeMs, after.ino]).toEqual([before?.[0], before?.[1], before?.[3]]);
    // Old enough again for a stat to be trusted: only the stat differs.
    await sleep(150);
    const changed = await index(dir, storage, workers);
    expect(changed.stats.fromCache).toBe(count - 2);
    expect(state(changed)).toBe(state(await index(dir, undefined, workers)));
  });

  it('keeps no bytes of a file it can read again, and reads anew one changed behind its back', async () => {
    const dir = project(`lazy-${count}`, count);
    const storage = join(base, `storage-lazy-${count}`);
    const uriOf = (n: number) => fileUri(join(dir, 'intervjuer', `r${n}.md`));
    await sleep(150);
    // Worker threads hash what they read: those files are read again when needed, not kept.
    const cold = await index(dir, storage, workers);
    expect(cold.index.transcriptOnDisk(uriOf(1))).toBe(workers);
    expect(cold.index.transcript(uriOf(1))?.text).toBe(transcript(1));
    const warm = await index(dir, storage, workers);
    expect(warm.stats.fromCache).toBe(count);
    expect(warm.index.transcriptOnDisk(uriOf(1))).toBe(true);
    expect(warm.index.transcriptBytes(uriOf(1))).toBeUndefined();
    expect(warm.index.transcript(uriOf(1))?.text).toBe(transcript(1));
    // Changed on disk with no report from a watcher: not taken for what the index knows, but read anew.
    const changed = transcript(2).replace('{#förtroende #ramar}', '{#ramar}');
    writeFileSync(join(dir, 'intervjuer', 'r2.md'), changed);
    expect(warm.index.transcript(uriOf(2))).toBeUndefined();
    await vi.waitFor(() => expect(warm.index.transcript(uriOf(2))?.text).toBe(changed));
    expect(state(warm)).toBe(state(await index(dir, undefined, workers)));
    // Another codebook that makes r3 a memo reads its file for the memo's text.
    const memoCodebook = codebookForPool.replace(
      'transcripts: intervjuer/*.md',
      'transcripts: intervjuer/*.md\nmemos: intervjuer/r3.md',
    );
    writeFileSync(join(dir, 'codebook.md'), memoCodebook);
    const codebook = fileUri(join(dir, 'codebook.md'));
    warm.index.update(codebook, memoCodebook);
    expect(warm.index.isTranscript(uriOf(3))).toBe(false);
    expect(warm.index.transcriptUris()).toHaveLength(count - 1);
    expect(warm.index.memo(uriOf(3))?.text).toBe(transcript(3));
  });

  it('renames across a file changed behind its back, once it has read the file anew', async () => {
    const dir = project(`rename-${count}`, count);
    const storage = join(base, `storage-rename-${count}`);
    await sleep(150);
    await index(dir, storage, workers);
    const workspace = new Workspace(() => {});
    workspace.options = { storageDir: storage, ...(workers ? { indexWorker: worker } : {}) };
    await workspace.addFolder(fileUri(dir));
    const warm = workspace.projects[0] as Project;
    // r2 gets another #kontrakt on disk, and no watcher reports it.
    const path = join(dir, 'intervjuer', 'r2.md');
    const changed = `${transcript(2)}**R2:** [Ett nytt kontrakt]{#kontrakt}.\n`;
    writeFileSync(path, changed);
    const result = await workspace.withFilesSettled(() => renameCode(warm.index, 'kontrakt', 'avtal'));
    if ('error' in result) throw new Error(result.error);
    expect(applyEdits(changed, result.edits.get(fileUri(path)) ?? [])).toBe(
      changed.replaceAll('{#kontrakt}', '{#avtal}'),
    );
    expect(result.edits.size).toBe(count + 1);
  });

  it('writes down no stat of a file changed just before it was read, or dated later', async () => {
    const dir = project(`racy-${count}`, count);
    const storage = join(base, `storage-racy-${count}`);
    await sleep(150);
    // Changed just now, or dated in the future (another machine's clock): a later change could keep the stat.
    writeFileSync(join(dir, 'intervjuer', 'r1.md'), transcript(1).replace('#kontrakt', '#ramar'));
    const future = Date.now() / 1000 + 60;
    utimesSync(join(dir, 'intervjuer', 'r1.md'), future, future);
    await index(dir, storage, workers);
    const entries = (await new IndexStore(storage, fileUri(dir)).load(async () => {})).entries;
    const r1 = entries.find((entry) => entry.uri === fileUri(join(dir, 'intervjuer', 'r1.md')));
    expect(r1?.stat).toBeUndefined();
    expect(entries.filter((entry) => entry.stat).length).toBe(count - 1);
  });

  it('counts each transcript when the counts were persisted under another codebook structure', async () => {
    const dir = project(`structure-${count}`, count);
    const storage = join(base, `storage-structure-${count}`);
    await index(dir, storage, workers);
    // #ramar moves to another theme.
    const codebook = join(dir, 'codebook.md');
    const moved = codebookForPool
      .replace(/^- #ramar:.*$/m, '')
      .replace('- #förtroende:', '- #ramar: Ramen.\n- #förtroende:');
    expect(moved).not.toBe(codebookForPool);
    writeFileSync(codebook, moved);
    const warm = await index(dir, storage, workers);
    expect(warm.stats.fromCache).toBe(count);
    expect(warm.stats.countsFromCache).toBe(false);
    expect(state(warm)).toBe(state(await index(dir, undefined, workers)));
    // Written again under the new structure.
    const again = await index(dir, storage, workers);
    expect(again.stats.countsFromCache).toBe(true);
    expect(state(again)).toBe(state(warm));
  });

  it('takes documents open in the editor over the persisted index', async () => {
    const dir = project(`open-${count}`, count);
    const storage = join(base, `storage-open-${count}`);
    await index(dir, storage, workers);
    const uri = fileUri(join(dir, 'intervjuer', 'r3.md'));
    const text = transcript(3).replace('#osäkerhet', '#ramar #kontrakt');
    const warm = await index(dir, storage, workers, [[uri, text]]);
    expect(warm.stats.countsFromCache).toBe(true);
    writeFileSync(join(dir, 'intervjuer', 'r3.md'), text);
    expect(state(warm)).toBe(state(await index(dir, undefined, workers)));
  });

  it('counts each transcript when a line does not read, and ignores the index without its last line', async () => {
    const dir = project(`counts-${count}`, count);
    const storage = join(base, `storage-counts-${count}`);
    const expected = state(await index(dir, storage, workers));
    const r1 = JSON.stringify(fileUri(join(dir, 'intervjuer', 'r1.md')));
    // One transcript's line is refused: its transcript is parsed, and the counts, which include it, not used.
    rewrite(storage, dir, (lines) =>
      lines.map((line) => (line.includes(r1) ? line.replace(/,"([A-Za-z0-9+/]+)"\]$/, ',"!$1"]') : line)),
    );
    const one = await index(dir, storage, workers);
    expect(one.stats.fromCache).toBe(count - 1);
    expect(one.stats.countsFromCache).toBe(false);
    expect(state(one)).toBe(expected);
    // The last line holds the code names every line refers to: without it nothing is taken.
    rewrite(storage, dir, (lines) =>
      lines.map((line) => (line.startsWith('{') ? line.replace('"own":"', '"own":"!') : line)),
    );
    const none = await index(dir, storage, workers);
    expect(none.stats.fromCache).toBe(0);
    expect(state(none)).toBe(expected);
  });

  it('ignores a damaged, cut short, old or foreign persisted index', async () => {
    const dir = project(`damaged-${count}`, count);
    const storage = join(base, `storage-damaged-${count}`);
    const expected = state(await index(dir, storage, workers));
    const store = new IndexStore(storage, fileUri(dir));
    const good = readFileSync(store.path, 'utf8');
    const [header = '', ...lines] = good.split('\n');
    const damaged = [
      good.slice(0, Math.floor(good.length / 2)),
      `${header}\n${lines.join('\n').replace('"R1"', '"R9"')}`,
      `${header.replace(`"version":${PERSISTED_INDEX_VERSION}`, '"version":999')}\n${lines.join('\n')}`,
      `${header.replace(JSON.stringify(fileUri(dir)), JSON.stringify('file:///annat'))}\n${lines.join('\n')}`,
      '\u0000\u0001 not an index at all',
      '',
    ];
    for (const text of damaged) {
      writeFileSync(store.path, text);
      const read = await index(dir, storage, workers);
      expect(read.stats.fromCache).toBe(0);
      expect(state(read)).toBe(expected);
    }
  });
});

describe('the persisted index file', () => {
  it('lives in the editor storage, never inside the project', () => {
    const dir = project('inside', 1);
    expect(IndexStore.create(join(dir, '.kodkarta'), fileUri(dir))).toBeUndefined();
    expect(IndexStore.create(dir, fileUri(dir))).toBeUndefined();
    expect(IndexStore.create(undefined, fileUri(dir))).toBeUndefined();
    const store = IndexStore.create(join(base, 'storage-outside'), fileUri(dir));
    expect(store && dirname(store.path)).toBe(join(base, 'storage-outside'));
  });

  it('is written whole or not at all, under a name of its own per project', async () => {
    const storage = join(base, 'storage-two');
    const a = project('two-a', 2);
    const b = project('two-b', 2);
    await index(a, storage);
    await index(b, storage);
    const pathA = new IndexStore(storage, fileUri(a)).path;
    const pathB = new IndexStore(storage, fileUri(b)).path;
    expect(pathA).not.toBe(pathB);
    expect(existsSync(pathA) && existsSync(pathB)).toBe(true);
    expect(await new IndexStore(storage, fileUri(a)).entryCount()).toBe(2);
    expect((await new IndexStore(storage, fileUri(b)).load(async () => {})).entries.length).toBe(2);
  });
});
