import { Inflate, zipSync } from 'fflate';
import { InterchangeError } from './errors';

/**
 * Zip archives (.qdpx) over bytes in memory. Reading is bounded and suspicious: the entry count, each
 * entry's and the total uncompressed size are limited (checked against the headers first and again
 * while inflating, since headers can lie), names with `..` segments or absolute paths are refused, and
 * so are encrypted entries, unknown compression, ZIP64, duplicate names and CRC mismatches.
 * Writing is deterministic: fixed timestamps and a fixed entry order give byte-identical archives.
 */

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

export const defaultZipLimits: ZipLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 100 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
};

export interface ZipEntry {
  /** The entry's name with `/` between folders, as stored (backslashes read as `/`). */
  path: string;
  bytes: Uint8Array;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Compressed bytes handed to the inflater at a time: bounds how far one step can overshoot a limit. */
const INFLATE_STEP = 16 * 1024;

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    (bytes[2] === 3 || bytes[2] === 5) &&
    (bytes[3] === 4 || bytes[3] === 6)
  );
}

/** Every file entry of the archive (folders left out), in the order of its central directory. */
export function readZip(data: Uint8Array, limits: ZipLimits = defaultZipLimits): ZipEntry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const bad = (message: string) => new InterchangeError(`not a usable zip archive: ${message}`);

  let eocd = -1;
  for (let at = data.length - 22; at >= 0 && at >= data.length - 22 - 0xffff; at--) {
    if (u32(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd === -1) throw bad('no end of central directory record (the file is cut short or not a zip)');
  const count = u16(eocd + 10);
  const directorySize = u32(eocd + 12);
  const directoryOffset = u32(eocd + 16);
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0)
    throw bad('archives split over several files are not supported');
  if (count === 0xffff || directoryOffset === 0xffffffff || directorySize === 0xffffffff) {
    throw bad('ZIP64 archives are not supported');
  }
  if (count > limits.maxEntries) {
    throw new InterchangeError(`the archive has ${count} entries; at most ${limits.maxEntries} are read`);
  }
  if (directoryOffset + directorySize > eocd) throw bad('the central directory lies outside the file');

  const entries: {
    path: string;
    method: number;
    crc: number;
    size: number;
    compressedSize: number;
    offset: number;
  }[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || u32(at) !== CENTRAL) throw bad('a central directory entry is damaged');
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const crc = u32(at + 16);
    const compressedSize = u32(at + 20);
    const size = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    const offset = u32(at + 42);
    const rawName = data.subarray(at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    const name = decodeName(rawName, (flags & 0x800) !== 0);
    const path = checkPath(name);
    if (path.endsWith('/')) continue;
    if (flags & 1)
      throw new InterchangeError(`zip entry "${name}" is encrypted: encrypted archives are not read`);
    if (method !== 0 && method !== 8) {
      throw new InterchangeError(
        `zip entry "${name}" uses compression method ${method}; only stored and deflated entries are read`,
      );
    }
    if (size === 0xffffffff || compressedSize === 0xffffffff) throw bad('ZIP64 archives are not supported');
    const key = path.toLowerCase();
    if (seen.has(key)) throw new InterchangeError(`the archive holds "${name}" twice`);
    seen.add(key);
    if (size > limits.maxEntryBytes) {
      throw new InterchangeError(
        `zip entry "${name}" unpacks to ${size} bytes; at most ${limits.maxEntryBytes} are read per entry`,
      );
    }
    declaredTotal += size;
    if (declaredTotal > limits.maxTotalBytes) {
      throw new InterchangeError(
        `the archive unpacks to more than ${limits.maxTotalBytes} bytes, the most that is read`,
      );
    }
    entries.push({ path, method, crc, size, compressedSize, offset });
  }

  return entries.map((entry) => {
    const local = entry.offset;
    if (local + 30 > data.length || u32(local) !== LOCAL)
      throw bad(`the local header of "${entry.path}" is damaged`);
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    const end = start + entry.compressedSize;
    if (end > data.length) throw bad(`"${entry.path}" runs past the end of the file`);
    const compressed = data.subarray(start, end);
    const bytes = entry.method === 0 ? compressed : inflateBounded(compressed, entry.size, entry.path);
    if (bytes.length !== entry.size) {
      throw new InterchangeError(
        `zip entry "${entry.path}" is ${bytes.length} bytes, not the ${entry.size} its header says`,
      );
    }
    if (crc32(bytes) !== entry.crc) throw bad(`"${entry.path}" is damaged (its checksum does not match)`);
    return { path: entry.path, bytes };
  });
}

/** Inflates at most `size` bytes; more output than the header declared is an error, found early. */
function inflateBounded(compressed: Uint8Array, size: number, path: string): Uint8Array {
  const out = new Uint8Array(size);
  let written = 0;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.length > size) {
      throw new InterchangeError(
        `zip entry "${path}" unpacks to more than the ${size} bytes its header says`,
      );
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    for (let at = 0; at < compressed.length; at += INFLATE_STEP) {
      const end = Math.min(compressed.length, at + INFLATE_STEP);
      inflater.push(compressed.subarray(at, end), end === compressed.length);
    }
    if (compressed.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof InterchangeError) throw error;
    throw new InterchangeError(`zip entry "${path}" cannot be unpacked: ${(error as Error).message}`);
  }
  return written === size ? out : out.subarray(0, written);
}

function decodeName(bytes: Uint8Array, utf8: boolean): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Old archivers write names in the DOS code page; Latin-1 keeps them readable enough to name them.
    return utf8 ? new TextDecoder('utf-8').decode(bytes) : new TextDecoder('latin1').decode(bytes);
  }
}

/** The entry's path with `/` separators; refuses absolute paths, `..` segments and control characters. */
function checkPath(name: string): string {
  const path = name.replace(/\\/g, '/');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    throw new InterchangeError(`zip entry "${name}" has an absolute path: refused`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f]/.test(path))
    throw new InterchangeError(`zip entry "${name}" has control characters in its name: refused`);
  if (path.split('/').some((segment) => segment === '..')) {
    throw new InterchangeError(`zip entry "${name}" points outside the archive (".."): refused`);
  }
  return path.replace(/^(\.\/)+/, '');
}

let crcTable: Uint32Array | undefined;

export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (crcTable[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A deterministic archive: entries in the given order, every timestamp 1980-01-01 00:00 (the zip
 * epoch, in local time so that the stored DOS date is the same in every time zone).
 */
export function writeZip(entries: ZipEntry[]): Uint8Array {
  const mtime = new Date(1980, 0, 1, 0, 0, 0);
  const files: Record<string, [Uint8Array, { level: 6; mtime: Date }]> = {};
  for (const entry of entries) files[entry.path] = [entry.bytes, { level: 6, mtime }];
  return zipSync(files, { level: 6, mtime });
}
