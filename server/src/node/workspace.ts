import { readFileSync } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Finding } from '../core/findings';
import type { PersistedEntry } from '../core/persistedIndex';
import { CODEBOOK_FILE, ProjectIndex } from '../core/projectIndex';
import type { TranscriptSummary } from '../core/summary';
import { fileStem, type TextEdit } from '../core/transcript';
import { readInWorkers } from './indexing';
import { contentHash, IndexStore } from './indexStore';
import type { WorkerFile } from './indexWorker';
import {
  decodeForIndex,
  filePath,
  fileUri,
  markdownFiles,
  readTextFile,
  unreadableFinding,
} from './loadProject';

/** Longest stretch of indexing between two yields to the event loop, so requests are answered meanwhile. */
const SLICE_MS = 8;
/** Transcripts kept parsed besides the open ones; the others are kept as summaries and UTF-8 bytes. */
const PARSED_TRANSCRIPTS = 64;
/** Quiet time after the last change before the persisted index is written again. */
const SAVE_DELAY_MS = 2000;
/** Fewer transcripts than this are read on the server's own thread: starting workers would cost more. */
const WORKER_THRESHOLD = 32;

export interface Project {
  index: ProjectIndex;
  /** True until every file has been read once. */
  indexing: boolean;
  /** Files that could not be read as text, by URI. */
  fileFindings: Map<string, Finding[]>;
  /** Where the project's persisted index lives, if anywhere. */
  store?: IndexStore;
  /** How the last indexing from disk went. */
  stats: IndexingStats;
}

export interface IndexingStats {
  /** Transcripts and memos read from disk. */
  files: number;
  /** Transcripts taken from the persisted index without parsing. */
  fromCache: number;
  /** Milliseconds from the start of indexing until every file was read. */
  ms: number;
}

export interface Progress {
  report(done: number, total: number): void;
  done(): void;
}

export interface WorkspaceOptions {
  /** Folder for persisted indexes: the editor's storage for the extension. None: nothing is persisted. */
  storageDir?: string;
  /** Transcripts kept parsed besides the open ones (default 64). */
  parsedTranscripts?: number;
  /** Told when a project's persisted index was written or could not be. */
  log?: (message: string) => void;
  /** The worker script that reads transcripts off the server's thread (`dist/indexWorker.js`). */
  indexWorker?: string;
  /** Worker threads for indexing (default: one per core, at least two, at most four). */
  workers?: number;
}

/**
 * The projects of the editor's workspace folders, kept in step with the editor and the disk: open
 * documents override the disk, and the disk is re-read when a file changes or an open file is closed.
 */
export class Workspace {
  private readonly projectsByRoot = new Map<string, Project>();
  private readonly open = new Map<string, string>();
  /** Content hashes of transcripts as read from disk, for the persisted index; by project and URI. */
  private readonly hashes = new Map<Project, Map<string, string>>();
  private readonly saveTimers = new Map<Project, NodeJS.Timeout>();
  private readonly saving = new Map<Project, Promise<void>>();
  options: WorkspaceOptions = {};

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
        clearTimeout(this.saveTimers.get(project));
        this.onChange(project, []);
      }
    }
  }

  private async addProject(root: string, progress: Progress | undefined): Promise<void> {
    const rootUri = fileUri(root);
    if (this.projectsByRoot.has(rootUri)) return;
    const started = performance.now();
    const store = IndexStore.create(this.options.storageDir, rootUri);
    const project: Project = {
      index: new ProjectIndex(rootUri, {
        parsedTranscripts: this.options.parsedTranscripts ?? PARSED_TRANSCRIPTS,
      }),
      indexing: true,
      fileFindings: new Map(),
      ...(store ? { store } : {}),
      stats: { files: 0, fromCache: 0, ms: 0 },
    };
    this.projectsByRoot.set(rootUri, project);
    this.hashes.set(project, new Map());
    const codebookUri = fileUri(join(root, CODEBOOK_FILE));
    await this.readFromDisk(project, codebookUri);
    // Documents the editor opened before the project was found (Neovim opens one right away) count too.
    for (const [uri, text] of this.open)
      if (this.projectFor(uri) === project) project.index.update(uri, text, { open: true });
    const files = (await markdownFiles(root))
      .map(fileUri)
      .filter((uri) => uri !== codebookUri && project.index.classify(uri) !== 'other');
    let remaining = files;
    const transcripts = files.filter((uri) => project.index.classify(uri) === 'transcript');
    const workerPath = this.options.indexWorker;
    if (workerPath && transcripts.length >= WORKER_THRESHOLD) {
      // Large projects are read, hashed and parsed in worker threads; this thread only counts.
      const unread = await readInWorkers({
        workerPath,
        rootUri,
        ...(store ? { cachePath: store.path } : {}),
        files: transcripts.map((uri) => ({ uri, path: filePath(uri) })),
        ...(this.options.workers ? { workers: this.options.workers } : {}),
        take: (file) => this.takeRead(project, file),
        progress: (done) => progress?.report(done, files.length),
      });
      const left = new Set(unread.map((file) => file.uri));
      remaining = files.filter((uri) => left.has(uri) || project.index.classify(uri) !== 'transcript');
    }
    // The persisted index is read here only for transcripts the workers did not read (memos are not in it).
    const cached =
      store && remaining.some((uri) => project.index.classify(uri) === 'transcript')
        ? await store.load(yieldToEventLoop).catch(() => undefined)
        : undefined;
    // Files are read synchronously (a read from the disk cache takes microseconds, a promise per file
    // costs more than the read), in slices of at most SLICE_MS with a yield after each.
    let sliceStart = performance.now();
    for (let i = 0; i < remaining.length; i++) {
      const uri = remaining[i] as string;
      if (!this.open.has(uri) && this.projectFor(uri) === project) this.readNow(project, uri, cached);
      if (performance.now() - sliceStart > SLICE_MS) {
        progress?.report(files.length - remaining.length + i + 1, files.length);
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    project.indexing = false;
    project.stats.files = files.length;
    project.stats.ms = performance.now() - started;
    progress?.done();
    this.onChange(project, [project.index.codebook?.uri ?? '', ...files].filter(Boolean));
    // Write the persisted index when it no longer matches: something was parsed, or something is gone.
    const count = project.index.transcriptUris().length;
    if (store && (project.stats.fromCache !== count || (await store.entryCount()) !== count)) {
      this.scheduleSave(project);
    }
  }

  /** Puts a transcript a worker read into the index. */
  private takeRead(project: Project, file: WorkerFile): void {
    const { uri } = file;
    if (file.missing || this.open.has(uri) || this.projectFor(uri) !== project) return;
    const finding = file.problem ? unreadableFinding(file.problem, uri, project.index) : undefined;
    if (finding) project.fileFindings.set(uri, [finding]);
    else project.fileFindings.delete(uri);
    if (file.hash) this.hashes.get(project)?.set(uri, file.hash);
    if (file.summary && file.bytes && project.index.updateFromSummary(uri, file.bytes, file.summary)) {
      if (file.fromCache) project.stats.fromCache++;
    } else if (file.text !== undefined || file.bytes) {
      project.index.update(uri, file.text ?? new TextDecoder().decode(file.bytes));
    } else project.index.remove(uri);
  }

  /** Reads one file during indexing, from the persisted index when its content is there. */
  private readNow(project: Project, uri: string, cached: Map<string, TranscriptSummary> | undefined): void {
    let bytes: Buffer;
    try {
      bytes = readFileSync(filePath(uri));
    } catch {
      return;
    }
    if (cached && cached.size > 0 && project.index.classify(uri) === 'transcript') {
      const hash = contentHash(bytes);
      const summary = cached.get(hash);
      // A summary made under another file name holds another fallback participant: not the same.
      if (
        summary &&
        (summary.participant.declared || summary.stem === fileStem(uri)) &&
        project.index.updateFromSummary(uri, bytes, summary)
      ) {
        this.hashes.get(project)?.set(uri, hash);
        project.fileFindings.delete(uri);
        project.stats.fromCache++;
        return;
      }
      this.hashes.get(project)?.set(uri, hash);
    }
    this.take(project, uri, bytes);
  }

  /** Puts a file's bytes into the index, with a finding when they are not usable text. */
  private take(project: Project, uri: string, bytes: Uint8Array): void {
    const file = decodeForIndex(bytes, filePath(uri), project.index);
    if (file.finding) project.fileFindings.set(uri, [file.finding]);
    else project.fileFindings.delete(uri);
    if (file.text !== undefined) project.index.update(uri, file.text, file.utf8 ? { bytes } : {});
    else project.index.remove(uri);
  }

  /**
   * An editor opened or changed a document: its text wins over the disk until it is closed. `edit`
   * says how the text came from the previous one, when one edit made it.
   */
  openOrChange(uri: string, text: string, edit?: TextEdit): void {
    this.open.set(uri, text);
    const project = this.projectFor(uri);
    if (!project) return;
    project.fileFindings.delete(uri);
    project.index.update(uri, text, { open: true, ...(edit ? { edit } : {}) });
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
    const path = filePath(uri);
    // A new codebook.md makes its folder a project (inside another project too), also when the editor
    // opened it before the watcher reported it (Import… opens the codebook it wrote).
    if (path.endsWith(`/${CODEBOOK_FILE}`) && !this.project(fileUri(dirname(path)))?.index.codebook) {
      if (await exists(path)) await this.addProject(dirname(path), undefined);
      return;
    }
    if (this.open.has(uri)) return;
    const project = this.projectFor(uri);
    if (!project) return;
    await this.refreshFromDisk(project, uri);
    if (
      project.index.codebook === undefined &&
      uri === fileUri(join(filePath(project.index.rootUri), CODEBOOK_FILE))
    ) {
      // The codebook is gone, so the folder is no longer a project.
      this.projectsByRoot.delete(project.index.rootUri);
      clearTimeout(this.saveTimers.get(project));
      this.onChange(project, []);
    }
  }

  /** Writes every persisted index that is due now, instead of after the quiet time (on shutdown). */
  async flush(): Promise<void> {
    for (const [project, timer] of [...this.saveTimers]) {
      clearTimeout(timer);
      this.saveTimers.delete(project);
      await this.save(project);
    }
    await Promise.all(this.saving.values());
  }

  private async refreshFromDisk(project: Project, uri: string): Promise<void> {
    await this.readFromDisk(project, uri);
    this.onChange(project, [uri]);
    if (project.index.isTranscript(uri) || this.hashes.get(project)?.has(uri)) this.scheduleSave(project);
  }

  private async readFromDisk(project: Project, uri: string): Promise<void> {
    const file = await readTextFile(filePath(uri), project.index);
    // Opened while it was being read: the editor's text wins.
    if (this.open.has(uri)) return;
    this.hashes.get(project)?.delete(uri);
    if (!file) {
      project.index.remove(uri);
      project.fileFindings.delete(uri);
      return;
    }
    if (file.finding) project.fileFindings.set(uri, [file.finding]);
    else project.fileFindings.delete(uri);
    if (file.text !== undefined) project.index.update(uri, file.text, file.utf8 ? { bytes: file.bytes } : {});
    else project.index.remove(uri);
  }

  private scheduleSave(project: Project): void {
    if (!project.store) return;
    clearTimeout(this.saveTimers.get(project));
    const timer = setTimeout(() => {
      this.saveTimers.delete(project);
      void this.save(project);
    }, SAVE_DELAY_MS);
    timer.unref();
    this.saveTimers.set(project, timer);
  }

  /** Writes the summaries of the transcripts as they are on disk, keyed by the hash of their bytes. */
  private async save(project: Project): Promise<void> {
    const store = project.store;
    if (!store || !this.projectsByRoot.has(project.index.rootUri)) return;
    await this.saving.get(project);
    const hashes = this.hashes.get(project) ?? new Map<string, string>();
    const index = project.index;
    const entries: PersistedEntry[] = [];
    let sliceStart = performance.now();
    for (const uri of index.transcriptUris()) {
      // Only what is on disk: an open document's text may not be saved yet.
      const bytes = index.transcriptBytes(uri);
      const summary = index.summary(uri);
      if (!bytes || !summary) continue;
      let hash = hashes.get(uri);
      if (hash === undefined) {
        hash = contentHash(bytes);
        hashes.set(uri, hash);
      }
      entries.push({ hash, summary });
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    const saving = store
      .save(entries, yieldToEventLoop)
      .then(() =>
        this.options.log?.(`Kodkarta saved the index of ${entries.length} transcripts to ${store.path}`),
      )
      .catch((error: unknown) =>
        this.options.log?.(`Kodkarta could not save its index to ${store.path}: ${String(error)}`),
      );
    this.saving.set(project, saving);
    await saving;
    if (this.saving.get(project) === saving) this.saving.delete(project);
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
