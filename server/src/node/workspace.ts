import { type Dirent, readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Finding } from '../core/findings';
import type { PersistedEntry } from '../core/persistedIndex';
import { CODEBOOK_FILE, ProjectIndex } from '../core/projectIndex';
import type { TranscriptSummary } from '../core/summary';
import { fileStem, type TextEdit } from '../core/transcript';
import { contentHash, readWithStat, sameStat, trustedStatOf } from './fileSnapshot';
import { readInWorkers } from './indexing';
import { IndexStore } from './indexStore';
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
/**
 * Transcripts kept parsed besides the open ones; the others are kept as summaries, and their files read
 * again when a feature needs the text (or, when read in ways that give no hash, kept as UTF-8 bytes).
 */
const PARSED_TRANSCRIPTS = 64;
/** Quiet time after the last change before the persisted index is written again. */
const SAVE_DELAY_MS = 2000;
/** An opened transcript this long (in characters) is parsed in steps, so that requests are answered meanwhile. */
const LARGE_DOCUMENT = 256 * 1024;
/** Fewer transcripts than this are read on the server's own thread: starting workers would cost more. */
const WORKER_THRESHOLD = 32;

export interface Project {
  index: ProjectIndex;
  /** True until every file has been read once. */
  indexing: boolean;
  /** Settles when every file has been read once. */
  indexed: Promise<void>;
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
  /** Whether the counts came from the persisted index too, rather than from each transcript's summary. */
  countsFromCache: boolean;
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

/** What the persisted index keeps of a transcript's file besides its summary (see `PersistedEntry`). */
interface FileRecord {
  /** Computed when the index is saved, if not when the file was read. */
  hash?: string;
  stat?: number[];
  problem?: string;
}

/**
 * The projects of the editor's workspace folders, kept in step with the editor and the disk: open
 * documents override the disk, and the disk is re-read when a file changes or an open file is closed.
 */
export class Workspace {
  private readonly projectsByRoot = new Map<string, Project>();
  private readonly open = new Map<string, string>();
  /** Hashes, stats and problems of transcripts as read from disk, for the persisted index; by project and URI. */
  private readonly records = new Map<Project, Map<string, FileRecord>>();
  /** Files read again (changed on disk, closed) while their project is being indexed: the index holds them. */
  private readonly reread = new Map<Project, Set<string>>();
  /** Open documents being parsed in steps (see `parseOpenedInSteps`). */
  private readonly parsingInSteps = new Set<string>();
  /** Files found changed when read again (see `readAgain`), being read anew. */
  private readonly changing = new Map<string, Promise<void>>();
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
    // One walk finds the projects and their Markdown files.
    const { roots, files } = await findProjects(filePath(folderUri));
    await Promise.all(
      roots.map((root) =>
        this.addProject(
          root,
          progress?.(),
          files.filter((path) => path.startsWith(`${root}/`)),
        ),
      ),
    );
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

  /** Indexes the project in `root`; `paths`: its Markdown files, when a walk of the folder found them. */
  private async addProject(root: string, progress: Progress | undefined, paths?: string[]): Promise<void> {
    const rootUri = fileUri(root);
    if (this.projectsByRoot.has(rootUri)) return;
    const started = performance.now();
    const store = IndexStore.create(this.options.storageDir, rootUri);
    let indexed = () => {};
    const project: Project = {
      index: new ProjectIndex(rootUri, {
        parsedTranscripts: this.options.parsedTranscripts ?? PARSED_TRANSCRIPTS,
        readAgain: (uri) => this.readAgain(project, uri),
      }),
      indexing: true,
      indexed: new Promise((resolve) => {
        indexed = resolve;
      }),
      fileFindings: new Map(),
      ...(store ? { store } : {}),
      stats: { files: 0, fromCache: 0, countsFromCache: false, ms: 0 },
    };
    this.projectsByRoot.set(rootUri, project);
    this.records.set(project, new Map());
    this.reread.set(project, new Set());
    // Documents the editor opened before the project was found (Neovim opens one right away) count too.
    // Those opened from now on go into the project as they open (`openOrChange`): parsing them again
    // here would cost a second parse of each (a 1 MB transcript: tens of milliseconds) for nothing, as
    // the codebook read meanwhile places them anew when it changes what they are.
    const openedBefore = [...this.open.keys()];
    const codebookUri = fileUri(join(root, CODEBOOK_FILE));
    await this.readFromDisk(project, codebookUri);
    for (const uri of openedBefore) {
      const text = this.open.get(uri);
      if (text !== undefined && this.projectFor(uri) === project) this.placeOpen(project, uri, text);
    }
    const files = (paths ?? (await markdownFiles(root)))
      .map(fileUri)
      .filter((uri) => uri !== codebookUri && project.index.classify(uri) !== 'other');
    const transcripts = files.filter((uri) => project.index.classify(uri) === 'transcript');
    // Transcripts whose files are as the persisted index holds them come from it; the others are parsed.
    const { unparsed, current } = store
      ? await this.readPersisted(project, store, transcripts, progress, files.length)
      : { unparsed: transcripts, current: false };
    let remaining = unparsed;
    const workerPath = this.options.indexWorker;
    if (workerPath && unparsed.length >= WORKER_THRESHOLD) {
      // Many to parse: read, hashed and parsed in worker threads; this thread only counts.
      const unread = await readInWorkers({
        workerPath,
        files: unparsed.map((uri) => ({ uri, path: filePath(uri) })),
        ...(this.options.workers ? { workers: this.options.workers } : {}),
        take: (file) => this.takeRead(project, file),
        progress: (done) => progress?.report(transcripts.length - unparsed.length + done, files.length),
      });
      remaining = unread.map((file) => file.uri);
    }
    // Memos, and transcripts no worker read. Files are read synchronously (a read from the disk cache
    // takes microseconds, a promise per file costs more than the read), in slices of at most SLICE_MS
    // with a yield after each.
    const left = new Set(remaining);
    remaining = files.filter((uri) => left.has(uri) || project.index.classify(uri) !== 'transcript');
    let sliceStart = performance.now();
    for (let i = 0; i < remaining.length; i++) {
      const uri = remaining[i] as string;
      if (!this.open.has(uri) && this.projectFor(uri) === project) this.readNow(project, uri);
      if (performance.now() - sliceStart > SLICE_MS) {
        progress?.report(files.length - remaining.length + i + 1, files.length);
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    project.indexing = false;
    indexed();
    this.reread.get(project)?.clear();
    project.stats.files = files.length;
    project.stats.ms = performance.now() - started;
    progress?.done();
    this.onChange(project, [project.index.codebook?.uri ?? '', ...files].filter(Boolean));
    // Write the persisted index when it no longer matches: something was parsed, changed or is gone.
    if (store && (!current || project.stats.fromCache !== project.index.transcriptUris().length)) {
      this.scheduleSave(project);
    }
  }

  /**
   * Takes from the persisted index every transcript whose file is as it was when the index was written:
   * known by its stat when that is the one persisted (then the file is not read at all), else by the
   * hash of its bytes. The index keeps no bytes: it reads a file again when a feature needs its text.
   * The persisted counts are used when every transcript is still there and the codebook's structure is
   * the same; otherwise, or for the rest, each is counted. Returns the transcripts left to parse, and
   * whether the persisted index holds exactly what it would now.
   */
  private async readPersisted(
    project: Project,
    store: IndexStore,
    transcripts: string[],
    progress: Progress | undefined,
    total: number,
  ): Promise<{ unparsed: string[]; current: boolean }> {
    const persisted = await store.load(yieldToEventLoop).catch(() => undefined);
    if (!persisted || persisted.entries.length === 0) return { unparsed: transcripts, current: false };
    const index = project.index;
    const records = this.records.get(project) ?? new Map<string, FileRecord>();
    const byUri = new Map(persisted.entries.map((entry) => [entry.uri, entry]));
    const byHash = new Map(persisted.entries.map((entry) => [entry.hash, entry]));
    const kept: { uri: string; summary: TranscriptSummary }[] = [];
    const moved: { uri: string; summary: TranscriptSummary }[] = [];
    const unparsed: string[] = [];
    const reread = this.reread.get(project) ?? new Set<string>();
    let current = true;
    let sliceStart = performance.now();
    for (let i = 0; i < transcripts.length; i++) {
      const uri = transcripts[i] as string;
      if (performance.now() - sliceStart > SLICE_MS) {
        progress?.report(i, total);
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
      // Read again meanwhile (changed on disk, closed in the editor): the index holds what was read then.
      if (this.open.has(uri) || reread.has(uri) || this.projectFor(uri) !== project) continue;
      const own = byUri.get(uri);
      let entry: PersistedEntry | undefined;
      let stat = own?.stat && trustedStatOf(filePath(uri));
      if (own?.stat && stat && sameStat(own.stat, stat)) entry = own;
      else {
        const read = readWithStat(filePath(uri));
        if (!read) continue;
        const { bytes } = read;
        stat = read.stat;
        // UTF-16 files are kept as text: always parsed.
        if (!isUtf16(bytes)) {
          const hash = contentHash(bytes);
          const same = own?.hash === hash ? own : byHash.get(hash);
          // A summary made under another file name holds another fallback participant: not the same.
          if (same && (same.summary.participant.declared || same.summary.stem === fileStem(uri)))
            entry = same;
        }
      }
      if (!entry) {
        unparsed.push(uri);
        continue;
      }
      // A stat that can be trusted now but was not then is worth writing down.
      if (stat && !(own?.stat && sameStat(own.stat, stat))) current = false;
      records.set(uri, {
        hash: entry.hash,
        ...(stat ? { stat } : {}),
        ...(entry.problem ? { problem: entry.problem } : {}),
      });
      const finding = entry.problem ? unreadableFinding(entry.problem, uri, index) : undefined;
      if (finding) project.fileFindings.set(uri, [finding]);
      else project.fileFindings.delete(uri);
      (entry === own ? kept : moved).push({ uri, summary: entry.summary });
    }
    const keptNow = kept.filter((file) => !reread.has(file.uri) && !this.open.has(file.uri));
    const counted = new Set(keptNow.map((file) => file.uri));
    const dropped = persisted.entries
      .filter((entry) => !counted.has(entry.uri))
      .map((entry) => entry.summary);
    if (dropped.length > 0 || moved.length > 0) current = false;
    // Taking a transcript out of the counts costs what adding it does: worth it while most are kept.
    const restored =
      persisted.counts !== undefined &&
      keptNow.length > dropped.length &&
      index.restore(persisted.counts, keptNow, dropped);
    project.stats.countsFromCache = restored;
    // The index may have refused some (no longer a transcript under settings read meanwhile).
    const restoredCount = restored ? keptNow.filter((file) => index.isTranscript(file.uri)).length : 0;
    project.stats.fromCache += restoredCount;
    if (!restored || restoredCount < keptNow.length) current = false;
    const rest = restored ? moved : [...keptNow, ...moved];
    for (const [i, { uri, summary }] of rest.entries()) {
      if (reread.has(uri) || this.open.has(uri) || this.projectFor(uri) !== project) continue;
      if (index.updateFromSummary(uri, undefined, summary)) project.stats.fromCache++;
      else this.readNow(project, uri);
      if (performance.now() - sliceStart > SLICE_MS) {
        progress?.report(transcripts.length - rest.length + i, total);
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    return { unparsed, current };
  }

  /** Puts a transcript a worker read into the index. */
  private takeRead(project: Project, file: WorkerFile): void {
    const { uri } = file;
    if (file.missing || this.open.has(uri) || this.projectFor(uri) !== project) return;
    // Read again meanwhile: what the index holds is newer than what the worker read.
    if (this.reread.get(project)?.has(uri)) return;
    const finding = file.problem ? unreadableFinding(file.problem, uri, project.index) : undefined;
    if (finding) project.fileFindings.set(uri, [finding]);
    else project.fileFindings.delete(uri);
    this.records.get(project)?.set(uri, {
      ...(file.hash ? { hash: file.hash } : {}),
      ...(file.stat ? { stat: file.stat } : {}),
      ...(file.problem ? { problem: file.problem } : {}),
    });
    // A UTF-16 file's text came along; a UTF-8 file is read again when its text is needed (its hash
    // is recorded), or now, when the settings read meanwhile make it something else than a transcript.
    if (file.text !== undefined) project.index.update(uri, file.text);
    else if (file.summary) {
      if (!project.index.updateFromSummary(uri, undefined, file.summary)) this.readNow(project, uri);
    } else project.index.remove(uri);
  }

  /** Reads and parses one file during indexing. */
  private readNow(project: Project, uri: string): void {
    const read = readWithStat(filePath(uri));
    if (!read) return;
    this.take(project, uri, read.bytes, read.stat);
  }

  /** Puts a file's bytes into the index, with a finding when they are not usable text. */
  private take(project: Project, uri: string, bytes: Uint8Array, stat?: number[]): void {
    const file = decodeForIndex(bytes, filePath(uri), project.index);
    if (file.finding) project.fileFindings.set(uri, [file.finding]);
    else project.fileFindings.delete(uri);
    const problem = file.finding?.message;
    this.records.get(project)?.set(uri, { ...(stat ? { stat } : {}), ...(problem ? { problem } : {}) });
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
    if (project) this.placeOpen(project, uri, text, edit);
  }

  /** Puts an open document's text into its project's index: a large transcript opened is parsed in steps. */
  private placeOpen(project: Project, uri: string, text: string, edit?: TextEdit): void {
    // A parse in steps takes the newest text when it ends.
    if (this.parsingInSteps.has(uri)) return;
    if (!edit && text.length >= LARGE_DOCUMENT && project.index.classify(uri) === 'transcript') {
      void this.parseOpenedInSteps(project, uri, text);
      return;
    }
    project.fileFindings.delete(uri);
    project.index.update(uri, text, { open: true, ...(edit ? { edit } : {}) });
    this.onChange(project, [uri]);
  }

  /**
   * Parses, summarises and counts a large transcript opened in the editor in slices with yields between
   * them (a 1 MB focus group held the server for 50-100 ms in one stretch when it had just started), then
   * puts it into the index. Meanwhile the index answers from what it held, the file as read from disk.
   */
  private async parseOpenedInSteps(project: Project, uri: string, text: string): Promise<void> {
    this.parsingInSteps.add(uri);
    // The editor's message is answered first, and whatever waits behind it.
    await yieldToEventLoop();
    const steps = project.index.prepareOpen(uri, text);
    let step = steps.next();
    let sliceStart = performance.now();
    while (!step.done) {
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
      step = steps.next();
    }
    this.parsingInSteps.delete(uri);
    const latest = this.open.get(uri);
    // Closed meanwhile (then the disk was read again), or no longer in this project.
    if (latest === undefined || this.projectFor(uri) !== project) return;
    if (latest !== text) return this.placeOpen(project, uri, latest);
    project.fileFindings.delete(uri);
    project.index.update(uri, text, { open: true, prepared: step.value });
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

  /**
   * The bytes of a transcript the index holds without them, read again. When the file is no longer
   * what its summary was made from (changed or gone, and not yet reported by the watcher), none: it is
   * read anew as a changed file.
   */
  private readAgain(project: Project, uri: string): Uint8Array | undefined {
    const record = this.records.get(project)?.get(uri);
    const read = readWithStat(filePath(uri));
    if (read && record) {
      if (record.stat && read.stat && sameStat(record.stat, read.stat)) return read.bytes;
      if (record.hash === contentHash(read.bytes)) return read.bytes;
    }
    if (!this.changing.has(uri))
      this.changing.set(
        uri,
        this.fileChanged(uri).finally(() => this.changing.delete(uri)),
      );
    return undefined;
  }

  /**
   * Runs `compute` over the index, and again once the files it found changed on disk (see `readAgain`)
   * have been read anew, so that an edit across files (a rename) leaves none of them out. After three
   * tries it answers what it has.
   */
  async withFilesSettled<T>(compute: () => T): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const result = compute();
      if (this.changing.size === 0 || attempt === 3) return result;
      await Promise.all(this.changing.values());
    }
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
    if (project.index.isTranscript(uri) || this.records.get(project)?.has(uri)) this.scheduleSave(project);
  }

  private async readFromDisk(project: Project, uri: string): Promise<void> {
    const file = await readTextFile(filePath(uri), project.index);
    // Opened while it was being read: the editor's text wins.
    if (this.open.has(uri)) return;
    if (project.indexing) this.reread.get(project)?.add(uri);
    // No stat: it would have to be taken after the read, and a file just changed is seldom to be trusted.
    this.records.get(project)?.delete(uri);
    if (!file) {
      project.index.remove(uri);
      project.fileFindings.delete(uri);
      return;
    }
    if (file.finding) {
      project.fileFindings.set(uri, [file.finding]);
      this.records.get(project)?.set(uri, { problem: file.finding.message });
    } else project.fileFindings.delete(uri);
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

  /**
   * Writes the summaries of the transcripts as they are on disk, keyed by the hash of their bytes, and the
   * counts over exactly those.
   */
  private async save(project: Project): Promise<void> {
    const store = project.store;
    if (!store || !this.projectsByRoot.has(project.index.rootUri)) return;
    await this.saving.get(project);
    const records = this.records.get(project) ?? new Map<string, FileRecord>();
    const index = project.index;
    // Summaries and counts are taken at once, so that they agree; only the hashing is done in slices.
    const taken: { uri: string; bytes?: Uint8Array; summary: TranscriptSummary; record: FileRecord }[] = [];
    for (const uri of index.transcriptUris()) {
      // Only what is on disk (an open document's text may not be saved yet): bytes kept, or a file
      // read again when needed, whose hash was recorded when it was read.
      const bytes = index.transcriptBytes(uri);
      const record = records.get(uri) ?? {};
      const summary = index.summary(uri);
      if (!summary) continue;
      if (bytes) taken.push({ uri, bytes, summary, record });
      else if (record.hash !== undefined && index.transcriptOnDisk(uri)) taken.push({ uri, summary, record });
    }
    const saved = new Set(taken.map((file) => file.uri));
    const counts = index.persistedCounts((uri) => saved.has(uri));
    const entries: PersistedEntry[] = [];
    let sliceStart = performance.now();
    for (const { uri, bytes, summary, record } of taken) {
      if (record.hash === undefined && bytes) {
        record.hash = contentHash(bytes);
        // Kept for the next save, unless the file was read again meanwhile.
        if (!records.has(uri) && index.transcriptBytes(uri) === bytes) records.set(uri, record);
      }
      const { hash, stat, problem } = record;
      // Taken only with bytes or a hash: this is for the type checker.
      if (hash === undefined) continue;
      entries.push({ hash, uri, ...(stat ? { stat } : {}), ...(problem ? { problem } : {}), summary });
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    const saving = store
      .save(entries, counts, yieldToEventLoop)
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

function isUtf16(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true;
}

/**
 * Folders below `folder` (itself included) that hold a codebook.md, and every Markdown file below it,
 * in path order, skipping hidden folders and node_modules as `markdownFiles` does. A folder is read at
 * once (a promise per entry costs more than the entry), with a yield after each slice of SLICE_MS.
 */
async function findProjects(folder: string): Promise<{ roots: string[]; files: string[] }> {
  const roots: string[] = [];
  const files: string[] = [];
  const pending = [folder];
  let sliceStart = performance.now();
  while (pending.length > 0) {
    const dir = pending.pop() ?? folder;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isFile()) {
        if (entry.name === CODEBOOK_FILE) roots.push(dir);
        if (/\.md$/i.test(entry.name)) files.push(join(dir, entry.name));
      } else if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
        pending.push(join(dir, entry.name));
      }
    }
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  return { roots: roots.sort(), files: files.sort() };
}
