import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';

// Reading a transcript's file as the index knows it: its bytes, the hash that keys its summary in the
// persisted index, and its stat, which says without reading the file again that it is unchanged. Kept
// apart from the index store so that the index workers load no more than they use.

/** The key of a file's content in the persisted index. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/**
 * How long before its stat was taken a file must have last changed for the stat to be trusted: a
 * change within the file system's timestamp granularity of the last one could leave the stat as it was
 * (git's "racy clean" entries). Whole seconds say the file system keeps no finer times (FAT: 2 s).
 */
const RACY_COARSE_MS = 3000;
/** Finer timestamps are still taken from a clock that ticks every few milliseconds. */
const RACY_FINE_MS = 100;

/**
 * A file's stat as the persisted index keeps it (size, modification and change time, inode), or
 * undefined when the file changed too shortly before `readAt` (when the stat was taken) for the same stat
 * to mean the same bytes later. Any change after the stat moves the change time past it: it may be
 * taken before the bytes are read.
 */
export function trustedStat(stats: Stats, readAt: number): number[] | undefined {
  const coarse = stats.mtimeMs % 1000 === 0 || stats.ctimeMs % 1000 === 0;
  const margin = coarse ? RACY_COARSE_MS : RACY_FINE_MS;
  if (Math.max(stats.mtimeMs, stats.ctimeMs) > readAt - margin) return undefined;
  return [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino];
}

export function sameStat(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** A regular file's stat if it can be trusted (see `trustedStat`), without reading the file. */
export function trustedStatOf(path: string): number[] | undefined {
  const readAt = Date.now();
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats?.isFile() ? trustedStat(stats, readAt) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A regular file's bytes (in a buffer of their own) and its stat if it can be trusted; undefined when it
 * cannot be read.
 */
export function readWithStat(path: string): { bytes: Buffer; stat: number[] | undefined } | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return undefined;
    const readAt = Date.now();
    const bytes = Buffer.allocUnsafeSlow(stats.size);
    let length = 0;
    while (length < bytes.length) {
      const read = readSync(fd, bytes, length, bytes.length - length, length);
      if (read === 0) break;
      length += read;
    }
    return {
      bytes: length < bytes.length ? bytes.subarray(0, length) : bytes,
      stat: trustedStat(stats, readAt),
    };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
