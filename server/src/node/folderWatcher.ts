import { type Dirent, existsSync, type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { join, sep } from 'node:path';
import { isIndexedFolder } from './loadProject';

const isMarkdown = (name: string) => /\.md$/i.test(name);

/**
 * Watches a folder and the folders below it for Markdown files that change, appear or go, with one
 * non-recursive `fs.watch` per folder (inotify on Linux), for clients that cannot watch files for the
 * server. Node 20's recursive watch on Linux polls the stat of every file instead: at 2,000 transcripts
 * it took 37 ms to start and 3 ms of CPU a second while idle. A folder that appears is watched and the
 * Markdown files already in it are reported (a checkout writes them before a watcher can be there); a
 * folder that goes reports the files it held. Folders the index skips (hidden, node_modules) are skipped.
 */
export class FolderWatcher {
  /** Watched folders, each with the names of the Markdown files it holds. */
  private readonly folders = new Map<string, { watcher: FSWatcher; files: Set<string> }>();

  constructor(
    root: string,
    private readonly changed: (path: string) => void,
    private readonly failed: (error: unknown) => void,
  ) {
    this.add(root, false);
  }

  close(): void {
    for (const { watcher } of this.folders.values()) watcher.close();
    this.folders.clear();
  }

  /** Watches `folder` and every folder below it; `report`: report the Markdown files found there. */
  private add(folder: string, report: boolean): void {
    if (this.folders.has(folder)) return;
    let entries: Dirent[];
    let watcher: FSWatcher;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
      watcher = watch(folder, (_event, name) => this.event(folder, name?.toString()));
    } catch (error) {
      // Gone again already, or not allowed: nothing there to watch.
      if (existsSync(folder)) this.failed(error);
      return;
    }
    // The folder itself went: its parent reports that too.
    watcher.on('error', () => this.forget(folder));
    const files = new Set<string>();
    this.folders.set(folder, { watcher, files });
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (isIndexedFolder(entry.name)) this.add(path, report);
      } else if (isMarkdown(entry.name)) {
        files.add(entry.name);
        if (report) this.changed(path);
      }
    }
  }

  private event(folder: string, name: string | undefined): void {
    const watched = this.folders.get(folder);
    if (!watched || name === undefined) return;
    const path = join(folder, name);
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats?.isDirectory()) {
      if (isIndexedFolder(name)) this.add(path, true);
    } else if (this.folders.has(path)) {
      this.forget(path);
    } else if (isMarkdown(name)) {
      // Changed, added or deleted: whoever is told reads it again and finds out which.
      if (stats) watched.files.add(name);
      else watched.files.delete(name);
      this.changed(path);
    }
  }

  /** Stops watching a folder that went and every folder below it, reporting the files they held. */
  private forget(folder: string): void {
    for (const [path, { watcher, files }] of [...this.folders]) {
      if (path !== folder && !path.startsWith(`${folder}${sep}`)) continue;
      watcher.close();
      this.folders.delete(path);
      for (const name of files) this.changed(join(path, name));
    }
  }
}
