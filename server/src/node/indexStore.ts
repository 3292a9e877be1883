import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import {
  countsLine,
  entryLine,
  headerLine,
  nameTable,
  type PersistedCounts,
  type PersistedEntry,
  readCounts,
  readEntry,
  readHeader,
} from '../core/persistedIndex';
import { contentHash } from './fileSnapshot';
import { filePath } from './loadProject';

/** Longest stretch of work between two pauses while the persisted index is read or written. */
const SLICE_MS = 8;
const HASH_CHUNK = 4 * 1024 * 1024;

/** What a persisted index file holds. */
export interface PersistedIndexFile {
  entries: PersistedEntry[];
  /** The counts over every entry, unless the file holds none or a line could not be read. */
  counts: PersistedCounts | undefined;
}

/**
 * The persisted index of one project, as a file in the editor's storage for the extension (never in the
 * user's folders): `index-<hash of the project's URI>.jsonl`. The format is `core/persistedIndex.ts`.
 * Reading and writing work in slices with `pause()` between them, so the server answers meanwhile.
 */
export class IndexStore {
  readonly path: string;

  constructor(
    readonly storageDir: string,
    readonly rootUri: string,
  ) {
    this.path = join(
      storageDir,
      `index-${contentHash(new TextEncoder().encode(rootUri)).slice(0, 16)}.jsonl`,
    );
  }

  /**
   * A store in `storageDir`, unless that folder lies inside the project (then nothing is persisted:
   * Kodkarta never writes into the user's repository).
   */
  static create(storageDir: string | undefined, rootUri: string): IndexStore | undefined {
    if (!storageDir) return undefined;
    const inside = relative(resolve(filePath(rootUri)), resolve(storageDir));
    if (inside === '' || (!inside.startsWith('..') && !inside.startsWith('/'))) return undefined;
    return new IndexStore(storageDir, rootUri);
  }

  /** The entries and counts; none when there is no file, or it is damaged, old or another project's. */
  async load(pause: () => Promise<void>): Promise<PersistedIndexFile> {
    const found: PersistedIndexFile = { entries: [], counts: undefined };
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch {
      return found;
    }
    const newline = bytes.indexOf(10);
    if (newline === -1) return found;
    const header = readHeader(bytes.toString('utf8', 0, newline), this.rootUri);
    if (!header) return found;
    const hash = createHash('sha1');
    for (let at = newline + 1; at < bytes.length; at += HASH_CHUNK) {
      hash.update(bytes.subarray(at, Math.min(bytes.length, at + HASH_CHUNK)));
      await pause();
    }
    if (hash.digest('hex') !== header.checksum) return found;
    // Lines are decoded one at a time: the whole file as one string would be one long stretch of work.
    // The last line holds the counts and the code names every other line refers to: read first.
    const last = bytes.lastIndexOf(10, bytes.length - 2) + 1;
    const counts = last > newline ? readCounts(bytes.toString('utf8', last).trimEnd()) : undefined;
    if (!counts) return found;
    const names = counts.counts.names;
    let sliceStart = performance.now();
    let start = newline + 1;
    // The counts hold for exactly the lines above them: one line unread, and they are of no use.
    let whole = true;
    const uris = new Set<string>();
    while (start < last) {
      const end = bytes.indexOf(10, start);
      const entry = readEntry(bytes.toString('utf8', start, end), names);
      if (entry && !uris.has(entry.uri)) {
        uris.add(entry.uri);
        found.entries.push(entry);
      } else whole = false;
      start = end + 1;
      if (performance.now() - sliceStart > SLICE_MS) {
        await pause();
        sliceStart = performance.now();
      }
    }
    if (whole && found.entries.length === header.entries) found.counts = counts;
    return found;
  }

  /** How many transcripts the file holds, by its header; undefined when there is no usable file. */
  async entryCount(): Promise<number | undefined> {
    const handle = await open(this.path, 'r').catch(() => undefined);
    if (!handle) return undefined;
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
      const head = buffer.toString('utf8', 0, bytesRead);
      const newline = head.indexOf('\n');
      return newline === -1 ? undefined : readHeader(head.slice(0, newline), this.rootUri)?.entries;
    } finally {
      await handle.close();
    }
  }

  /**
   * Writes the summaries and the counts over them, replacing the file at once (a reader never sees half
   * of it). Written in chunks, so that a large project's index never sits in memory as one string.
   */
  async save(
    entries: readonly PersistedEntry[],
    counts: PersistedCounts,
    pause: () => Promise<void>,
  ): Promise<void> {
    await mkdir(this.storageDir, { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    const hash = createHash('sha1');
    const file = await open(temporary, 'w');
    try {
      // The header holds the checksum and count of what follows: room for it now, written at the end.
      const placeholder = `${headerLine(this.rootUri, 0, '0'.repeat(40))}${' '.repeat(32)}\n`;
      let position = Buffer.byteLength(placeholder);
      let count = 0;
      let chunk: string[] = [];
      let sliceStart = performance.now();
      const flush = async () => {
        const bytes = Buffer.from(chunk.join(''));
        chunk = [];
        hash.update(bytes);
        await file.write(bytes, 0, bytes.length, position);
        position += bytes.length;
      };
      const table = nameTable(counts.counts, entries);
      for (const entry of entries) {
        chunk.push(`${entryLine(entry, table)}\n`);
        count++;
        if (chunk.length >= 256) await flush();
        if (performance.now() - sliceStart > SLICE_MS) {
          await pause();
          sliceStart = performance.now();
        }
      }
      chunk.push(`${countsLine({ ...counts, counts: { ...counts.counts, names: [...table.keys()] } })}\n`);
      await flush();
      const header = headerLine(this.rootUri, count, hash.digest('hex'));
      // JSON allows spaces after the header, so the header fills its room exactly.
      await file.write(
        `${header}${' '.repeat(Buffer.byteLength(placeholder) - 1 - Buffer.byteLength(header))}\n`,
        0,
      );
      await file.close();
      await rename(temporary, this.path);
    } catch (error) {
      await file.close().catch(() => undefined);
      throw error;
    } finally {
      await rm(temporary, { force: true });
    }
  }
}
