import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectFindings } from '../../server/src/core/analyses/findings';
import { themeTree } from '../../server/src/core/analyses/themeTree';
import { PERSISTED_INDEX_VERSION } from '../../server/src/core/persistedIndex';
import { IndexStore } from '../../server/src/node/indexStore';
import { fileUri } from '../../server/src/node/loadProject';
import { type Project, Workspace } from '../../server/src/node/workspace';
import { codebookForPool } from '../helpers/transcripts';

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

async function index(dir: string, storage: string | undefined, workers = false): Promise<Project> {
  const workspace = new Workspace(() => {});
  workspace.options = {
    ...(storage ? { storageDir: storage } : {}),
    ...(workers ? { indexWorker: worker } : {}),
  };
  await workspace.addFolder(fileUri(dir));
  await workspace.flush();
  return workspace.projects[0] as Project;
}

/** What the index says, as plain data. */
function state(project: Project) {
  return JSON.stringify({
    tree: themeTree(project.index),
    findings: projectFindings(project.index),
    transcripts: project.index.transcriptUris(),
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
    expect((await new IndexStore(storage, fileUri(b)).load(async () => {})).size).toBe(2);
  });
});
