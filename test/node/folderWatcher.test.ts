import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { FolderWatcher } from '../../server/src/node/folderWatcher';

/**
 * The server's own watcher, for clients that cannot watch files: one watch per folder, Markdown files
 * only, new folders watched and their files reported, a folder that goes reported by its files.
 */

const base = mkdtempSync(join(tmpdir(), 'kodkarta-watch-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let watcher: FolderWatcher | undefined;
afterEach(() => watcher?.close());

function watched(name: string) {
  const root = join(base, name);
  mkdirSync(join(root, 'intervjuer'), { recursive: true });
  writeFileSync(join(root, 'codebook.md'), '# 1 Tema\n');
  writeFileSync(join(root, 'intervjuer', 'r1.md'), 'R1: text\n');
  const reported = new Set<string>();
  const failures: unknown[] = [];
  watcher = new FolderWatcher(
    root,
    (path) => reported.add(path),
    (error) => failures.push(error),
  );
  return { root, reported, failures };
}

describe('the folder watcher', () => {
  it('reports Markdown files changed, added and deleted in any folder below, and nothing else', async () => {
    const { root, reported, failures } = watched('filer');
    mkdirSync(join(root, 'node_modules'));
    mkdirSync(join(root, '.git'));
    // Given time to watch the new folders, if it wrongly did.
    await new Promise((resolve) => setTimeout(resolve, 50));
    writeFileSync(join(root, 'node_modules', 'x.md'), 'x');
    writeFileSync(join(root, '.git', 'y.md'), 'y');
    writeFileSync(join(root, 'intervjuer', 'anteckning.txt'), 'not Markdown');
    writeFileSync(join(root, 'intervjuer', 'r1.md'), 'R1: ändrad text\n');
    writeFileSync(join(root, 'intervjuer', 'r2.md'), 'R2: ny\n');
    rmSync(join(root, 'codebook.md'));
    await vi.waitFor(() =>
      expect([...reported].sort()).toEqual(
        [
          join(root, 'codebook.md'),
          join(root, 'intervjuer', 'r1.md'),
          join(root, 'intervjuer', 'r2.md'),
        ].sort(),
      ),
    );
    expect(failures).toEqual([]);
  });

  it('watches a folder that appears, reporting the files already in it and those written later', async () => {
    const { root, reported } = watched('ny-mapp');
    // As a checkout writes them: the folder and its files before a watcher can be there.
    const round = join(root, 'intervjuer', 'omgång-2');
    mkdirSync(round);
    writeFileSync(join(round, 'r3.md'), 'R3: text\n');
    await vi.waitFor(() => expect(reported).toContain(join(round, 'r3.md')));
    writeFileSync(join(round, 'r4.md'), 'R4: text\n');
    await vi.waitFor(() => expect(reported).toContain(join(round, 'r4.md')));
  });

  it('reports the files of a folder moved away, and stops watching it', async () => {
    const { root, reported } = watched('flyttad');
    renameSync(join(root, 'intervjuer'), join(base, 'flyttad-bort'));
    await vi.waitFor(() => expect(reported).toContain(join(root, 'intervjuer', 'r1.md')));
    reported.clear();
    writeFileSync(join(base, 'flyttad-bort', 'r9.md'), 'R9: text\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reported.size).toBe(0);
  });
});
