import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { decodeFile } from '../core/decode';
import { readEntry, readHeader } from '../core/persistedIndex';
import { summarize, type TranscriptSummary } from '../core/summary';
import { fileStem, parseTranscript } from '../core/transcript';
import { contentHash } from './indexStore';

/**
 * A worker thread that reads transcripts for the index: reads each file, hashes it, takes its summary
 * from the persisted index when the content is there, and otherwise decodes and parses it. The server's
 * own thread only adds the summaries to the project's counts, so it keeps answering while a large
 * project is read. Started by `Workspace` (see `indexing.ts`); the protocol is below.
 */

export interface WorkerStart {
  rootUri: string;
  /** The persisted index to take summaries from, if any. */
  cachePath?: string;
}

export interface WorkerBatch {
  batch: number;
  files: { uri: string; path: string }[];
}

export interface WorkerFile {
  uri: string;
  /** The file could not be read (gone, no permission). */
  missing?: true;
  hash?: string;
  /** Why the file is not (entirely) usable text: binary, not UTF-8, too large. */
  problem?: string;
  summary?: TranscriptSummary;
  /** The file's bytes, when they are UTF-8: the index keeps them instead of the text. */
  bytes?: Uint8Array;
  /** The text, when the bytes are not UTF-8 (UTF-16 files): the index parses it itself. */
  text?: string;
  fromCache?: true;
}

export interface WorkerResult {
  batch: number;
  files: WorkerFile[];
}

if (parentPort) {
  const port = parentPort;
  const start = workerData as WorkerStart;
  const cached = start.cachePath ? cacheLines(start.cachePath, start.rootUri) : new Map<string, string>();
  port.on('message', (request: WorkerBatch) => {
    const files: WorkerFile[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const { uri, path } of request.files) {
      const file = readOne(uri, path, cached);
      if (file.bytes) transfer.push(file.bytes.buffer as ArrayBuffer);
      files.push(file);
    }
    port.postMessage({ batch: request.batch, files } satisfies WorkerResult, transfer);
  });
}

function readOne(uri: string, path: string, cached: Map<string, string>): WorkerFile {
  let read: Buffer;
  try {
    read = readFileSync(path);
  } catch {
    return { uri, missing: true };
  }
  // A buffer of its own, so that it can be handed over to the other thread without a copy.
  const bytes =
    read.byteOffset === 0 && read.buffer.byteLength === read.length
      ? new Uint8Array(read.buffer)
      : new Uint8Array(read);
  const utf8 = !(bytes[0] === 0xff && bytes[1] === 0xfe) && !(bytes[0] === 0xfe && bytes[1] === 0xff);
  const hash = contentHash(bytes);
  const line = cached.get(hash);
  if (line !== undefined) {
    const summary = readEntry(line)?.summary;
    // A summary made under another file name holds another fallback participant: not the same.
    if (summary && utf8 && (summary.participant.declared || summary.stem === fileStem(uri))) {
      return { uri, hash, summary, bytes, fromCache: true };
    }
  }
  const decoded = decodeFile(bytes);
  if (decoded.text === undefined) return { uri, hash, problem: decoded.problem };
  const summary = summarize(parseTranscript(uri, decoded.text));
  return {
    uri,
    hash,
    summary,
    ...(decoded.problem ? { problem: decoded.problem } : {}),
    ...(utf8 ? { bytes } : { text: decoded.text }),
  };
}

/** The persisted index's lines by content hash (parsed only when a file needs one); none when unusable. */
function cacheLines(path: string, rootUri: string): Map<string, string> {
  const lines = new Map<string, string>();
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return lines;
  }
  const newline = bytes.indexOf(10);
  if (newline === -1) return lines;
  const header = readHeader(bytes.toString('utf8', 0, newline), rootUri);
  if (!header || contentHash(bytes.subarray(newline + 1)) !== header.checksum) return lines;
  const body = bytes.toString('utf8', newline + 1);
  let at = 0;
  while (at < body.length) {
    let end = body.indexOf('\n', at);
    if (end === -1) end = body.length;
    // Each line starts with the content hash: ["<hash>",
    const close = body.indexOf('"', at + 2);
    if (body.startsWith('["', at) && close !== -1 && close < end)
      lines.set(body.slice(at + 2, close), body.slice(at, end));
    at = end + 1;
  }
  return lines;
}
