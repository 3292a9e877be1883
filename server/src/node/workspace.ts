import { opendir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Finding } from '../core/findings';
import { CODEBOOK_FILE, ProjectIndex } from '../core/projectIndex';
import { filePath, fileUri, markdownFiles, readTextFile } from './loadProject';

/** Files read between two yields to the event loop while indexing, so requests are answered meanwhile. */
const FILES_PER_SLICE = 16;

export interface Project {
  index: ProjectIndex;
  /** True until every file has been read once. */
  indexing: boolean;
  /** Files that could not be read as text, by URI. */
  fileFindings: Map<string, Finding[]>;
}

export interface Progress {
  report(done: number, total: number): void;
  done(): void;
}

/**
 * The projects of the editor's workspace folders, kept in step with the editor and the disk: open
 * documents override the disk, and the disk is re-read when a file changes or an open file is closed.
 */
export class Workspace {
  private readonly projectsByRoot = new Map<string, Project>();
  private readonly open = new Map<string, string>();

  constructor(private readonly onChange: (project: Project, uris: string[]) => void) {}

  get projects(): Project[] {
    return [...this.projectsByRoot.values()];
  }

  project(rootUri: string | undefined): Project | undefined {
    if (rootUri === undefined) return this.projects[0];
    return this.projectsByRoot.get(rootUri.replace(/\/+$/, ''));
  }

  /** The project a file belongs to: the innermost project folder that holds it. */
  projectFor(uri: string): Project | undefined {
    let best: Project | undefined;
    for (const project of this.projectsByRoot.values()) {
      const inside = project.index.relativePath(uri) !== undefined;
      if (inside && (!best || project.index.rootUri.length > best.index.rootUri.length)) best = project;
    }
    return best;
  }

  /** Finds every project (folder holding codebook.md) in a workspace folder and indexes it from disk. */
  async addFolder(folderUri: string, progress?: () => Progress): Promise<void> {
    const roots = await findProjectFolders(filePath(folderUri));
    await Promise.all(roots.map((root) => this.addProject(root, progress?.())));
  }

  removeFolder(folderUri: string): void {
    const folder = filePath(folderUri);
    for (const [root, project] of this.projectsByRoot) {
      const path = filePath(root);
      if (path === folder || path.startsWith(`${folder}/`)) {
        this.projectsByRoot.delete(root);
        this.onChange(project, []);
      }
    }
  }

  private async addProject(root: string, progress: Progress | undefined): Promise<void> {
    const rootUri = fileUri(root);
    if (this.projectsByRoot.has(rootUri)) return;
    const project: Project = { index: new ProjectIndex(rootUri), indexing: true, fileFindings: new Map() };
    this.projectsByRoot.set(rootUri, project);
    await this.readFromDisk(project, fileUri(join(root, CODEBOOK_FILE)));
    // Documents the editor opened before the project was found (Neovim opens one right away) count too.
    for (const [uri, text] of this.open)
      if (this.projectFor(uri) === project) project.index.update(uri, text);
    const files = (await markdownFiles(root))
      .map(fileUri)
      .filter((uri) => project.index.classify(uri) !== 'other');
    for (let i = 0; i < files.length; i++) {
      const uri = files[i];
      if (uri && !this.open.has(uri)) await this.readFromDisk(project, uri);
      if (i % FILES_PER_SLICE === FILES_PER_SLICE - 1) {
        progress?.report(i + 1, files.length);
        await yieldToEventLoop();
      }
    }
    project.indexing = false;
    progress?.done();
    this.onChange(project, [project.index.codebook?.uri ?? '', ...files].filter(Boolean));
  }

  /** An editor opened or changed a document: its text wins over the disk until it is closed. */
  openOrChange(uri: string, text: string): void {
    this.open.set(uri, text);
    const project = this.projectFor(uri);
    if (!project) return;
    project.fileFindings.delete(uri);
    project.index.update(uri, text);
    this.onChange(project, [uri]);
  }

  async close(uri: string): Promise<void> {
    this.open.delete(uri);
    const project = this.projectFor(uri);
    if (project) await this.refreshFromDisk(project, uri);
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  /** A file changed on disk (a save, a git checkout, a file added or deleted). */
  async fileChanged(uri: string): Promise<void> {
    if (this.open.has(uri)) return;
    const path = filePath(uri);
    if (path.endsWith(`/${CODEBOOK_FILE}`) && !this.projectFor(uri)?.index.codebook) {
      // A new codebook.md makes its folder a project.
      if (await exists(path)) await this.addProject(dirname(path), undefined);
      return;
    }
    const project = this.projectFor(uri);
    if (!project) return;
    await this.refreshFromDisk(project, uri);
    if (
      project.index.codebook === undefined &&
      uri === fileUri(join(filePath(project.index.rootUri), CODEBOOK_FILE))
    ) {
      // The codebook is gone, so the folder is no longer a project.
      this.projectsByRoot.delete(project.index.rootUri);
      this.onChange(project, []);
    }
  }

  private async refreshFromDisk(project: Project, uri: string): Promise<void> {
    await this.readFromDisk(project, uri);
    this.onChange(project, [uri]);
  }

  private async readFromDisk(project: Project, uri: string): Promise<void> {
    const file = await readTextFile(filePath(uri), project.index);
    // Opened while it was being read: the editor's text wins.
    if (this.open.has(uri)) return;
    if (!file) {
      project.index.remove(uri);
      project.fileFindings.delete(uri);
      return;
    }
    if (file.finding) project.fileFindings.set(uri, [file.finding]);
    else project.fileFindings.delete(uri);
    if (file.text !== undefined) project.index.update(uri, file.text);
    else project.index.remove(uri);
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true;
}

/** Folders below `folder` (itself included) that hold a codebook.md. */
async function findProjectFolders(folder: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [folder];
  while (pending.length > 0) {
    const dir = pending.pop() ?? folder;
    const entries = await opendir(dir).catch(() => undefined);
    if (!entries) continue;
    for await (const entry of entries) {
      if (entry.isFile() && entry.name === CODEBOOK_FILE) found.push(dir);
      else if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
        pending.push(join(dir, entry.name));
      }
    }
  }
  return found.sort();
}
