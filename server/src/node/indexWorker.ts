import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { decodeFile } from '../core/decode';
import { summarize, type TranscriptSummary } from '../core/summary';
import { parseTranscript } from '../core/transcript';
import { contentHash, readWithStat } from './fileSnapshot';

/**
 * A worker thread that parses transcripts for the index: reads each file, hashes it, decodes and parses
 * it and hands the summary over. The server's own thread only adds the summaries to the project's
 * counts, so it keeps answering while a large project is parsed; transcripts the persisted index holds
 * never come here. Started by `Workspace` (see `indexing.ts`); the protocol is below.
 */

export interface WorkerBatch {
  batch: number;
  files: { uri: string; path: string }[];
}

export interface WorkerFile {
  uri: string;
  /** The file could not be read (gone, no permission). */
  missing?: true;
  hash?: string;
  /** The file's stat, when it can be trusted for the persisted index (see `trustedStat`). */
  stat?: number[];
  /** Why the file is not (entirely) usable text: binary, not UTF-8, too large. */
  problem?: string;
  summary?: TranscriptSummary;
  /**
   * The text, when the bytes are not UTF-8 (UTF-16 files): the index parses it itself. A UTF-8 file's
   * text is not sent: the index reads the file again when it needs the text.
   */
  text?: string;
}

export interface WorkerResult {
  batch: number;
  files: WorkerFile[];
}

if (parentPort) {
  const port = parentPort;
  yieldToServerThread();
  port.on('message', (request: WorkerBatch) => {
    const files = request.files.map(({ uri, path }) => readOne(uri, path));
    port.postMessage({ batch: request.batch, files } satisfies WorkerResult);
  });
}

/**
 * Lowers this thread's scheduling priority (Linux: a thread has a nice value of its own), so that the
 * server's thread, which answers the editor, is not kept waiting for a core while workers parse; idle
 * cores still go to the workers. On two cores, two workers at the same priority made completion while
 * indexing wait tens of milliseconds. Elsewhere nothing changes.
 */
function yieldToServerThread(): void {
  if (process.platform !== 'linux') return;
  try {
    // /proc/thread-self names this thread's own task: .../task/<thread id>.
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, 10);
  } catch {
    // Not allowed or not there (a container without /proc): the default priority is kept.
  }
}

/** Strings sent to the other thread are copied there: no copy of them is needed here. */
const asIs = (name: string) => name;

function readOne(uri: string, path: string): WorkerFile {
  const read = readWithStat(path);
  if (!read) return { uri, missing: true };
  const { bytes } = read;
  const utf8 = !(bytes[0] === 0xff && bytes[1] === 0xfe) && !(bytes[0] === 0xfe && bytes[1] === 0xff);
  const hash = contentHash(bytes);
  const stat = read.stat ? { stat: read.stat } : {};
  const decoded = decodeFile(bytes);
  if (decoded.text === undefined) return { uri, hash, ...stat, problem: decoded.problem };
  const summary = summarize(parseTranscript(uri, decoded.text), asIs, asIs);
  return {
    uri,
    hash,
    ...stat,
    summary,
    ...(decoded.problem ? { problem: decoded.problem } : {}),
    ...(utf8 ? {} : { text: decoded.text }),
  };
}
