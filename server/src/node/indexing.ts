import { availableParallelism } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { WorkerBatch, WorkerFile, WorkerResult } from './indexWorker';

/**
 * Transcripts per message to a worker. Eight rather than sixteen: results come back sooner and the
 * workers end closer together (cold index at team scale 1.4 s with sixteen, 1.1-1.2 s with eight).
 */
const BATCH = 8;
/** Batches each worker has in hand, so it never waits for this thread. */
const IN_FLIGHT = 2;
/** Longest stretch of taking results before this thread answers other messages (a request waits for one). */
const SLICE_MS = 3;

export interface WorkerReading {
  /** The worker script (`dist/indexWorker.js`). */
  workerPath: string;
  files: { uri: string; path: string }[];
  /** Worker threads to start (default: one per core, at least two, at most four). */
  workers?: number;
  /** Called on this thread for every file read, batch by batch. */
  take: (file: WorkerFile) => void;
  /** Called after each batch with the number of files done. */
  progress?: (done: number) => void;
}

/**
 * Reads and parses transcripts in worker threads (see `indexWorker.ts`) and hands each result to `take`
 * on this thread. Resolves with the files no worker read: none, unless a worker failed (then the caller
 * reads them itself).
 */
export function readInWorkers(reading: WorkerReading): Promise<{ uri: string; path: string }[]> {
  const batches: { uri: string; path: string }[][] = [];
  for (let i = 0; i < reading.files.length; i += BATCH) batches.push(reading.files.slice(i, i + BATCH));
  // Two at least: this thread mostly waits meanwhile, and a worker that waits for the disk leaves the
  // core to the other.
  const count = Math.max(
    1,
    Math.min(reading.workers ?? Math.min(4, Math.max(2, availableParallelism())), batches.length),
  );
  return new Promise((resolve) => {
    const unread = new Set(batches.keys());
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let finished = false;
    // Results are taken in slices with a yield between them: messages from fast workers arrive many at
    // a time, and taking them all at once would keep this thread from answering anything else.
    const queue: WorkerFile[] = [];
    let taken = 0;
    let draining = false;
    let stopping = false;
    const drain = async () => {
      if (draining) return;
      draining = true;
      let sliceStart = performance.now();
      while (taken < queue.length) {
        reading.take(queue[taken] as WorkerFile);
        queue[taken++] = undefined as unknown as WorkerFile;
        reading.progress?.(++done);
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
      }
      draining = false;
      if (stopping) finish();
    };
    const finish = () => {
      stopping = true;
      if (finished || draining) return;
      finished = true;
      for (const worker of workers) void worker.terminate();
      resolve([...unread].flatMap((batch) => batches[batch] ?? []));
    };
    const feed = (worker: Worker) => {
      if (next >= batches.length) return;
      const batch = next++;
      worker.postMessage({ batch, files: batches[batch] ?? [] } satisfies WorkerBatch);
    };
    for (let w = 0; w < count; w++) {
      let worker: Worker;
      try {
        worker = new Worker(reading.workerPath);
      } catch {
        finish();
        return;
      }
      workers.push(worker);
      worker.on('message', (result: WorkerResult) => {
        if (stopping || !unread.delete(result.batch)) return;
        queue.push(...result.files);
        if (unread.size === 0) {
          stopping = true;
          for (const w of workers) void w.terminate();
        } else feed(worker);
        void drain();
      });
      // A worker that fails leaves its batches to the caller.
      worker.on('error', finish);
      worker.on('exit', (code) => {
        if (code !== 0 && !stopping) finish();
      });
      for (let k = 0; k < IN_FLIGHT; k++) feed(worker);
    }
    if (batches.length === 0) finish();
  });
}
