import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, zipSync } from 'fflate';
import { validateXML } from 'xmllint-wasm';
import type { ImportPlan } from '../../server/src/core/interchange';
import { crc32, readZip } from '../../server/src/core/interchange/zip';
import type { ProjectIndex } from '../../server/src/core/projectIndex';
import { indexFiles } from '../helpers/project';

/** The REFI-QDA schemas, in the shared folder beside the repository; never fetched from the network. */
export const schemaDir = fileURLToPath(new URL('../fixtures/refi-qda/', import.meta.url));
export const interchangeFixtures = fileURLToPath(new URL('../fixtures/interchange/', import.meta.url));

const schemas = {
  project: readFileSync(join(schemaDir, 'Project.xsd'), 'utf8'),
  codebook: readFileSync(join(schemaDir, 'Codebook.xsd'), 'utf8'),
};

/** Schema errors of an XML document (empty when it is valid). */
export async function schemaErrors(xml: string, schema: 'project' | 'codebook'): Promise<string[]> {
  const fileName = schema === 'project' ? 'Project.xsd' : 'Codebook.xsd';
  const result = await validateXML({
    xml: [{ fileName: schema === 'project' ? 'project.qde' : 'codebook.qdc', contents: xml }],
    schema: [{ fileName, contents: schemas[schema] }],
  });
  return result.errors.map((error) => error.rawMessage);
}

/** Every file below a folder, by path relative to it. */
export function filesIn(dir: string): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path).split('\\').join('/')] = new Uint8Array(readFileSync(path));
    }
  };
  walk(dir);
  return out;
}

/** Zips a fixture folder at test time (no binary fixtures in the repository). */
export function zipFolder(
  dir: string,
  options: {
    store?: boolean;
    extra?: Record<string, Uint8Array>;
    transform?: (path: string, bytes: Uint8Array) => Uint8Array;
  } = {},
): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  const level = options.store ? 0 : 6;
  for (const [path, bytes] of Object.entries({ ...filesIn(dir), ...(options.extra ?? {}) })) {
    files[path] = [options.transform ? options.transform(path, bytes) : bytes, { level }];
  }
  return zipSync(files);
}

/** The entries of an archive as text, by path. */
export function unzipText(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(
    readZip(bytes).map((entry) => [entry.path, new TextDecoder().decode(entry.bytes)]),
  );
}

export interface RawEntry {
  name: string;
  data: Uint8Array;
  /** 0 stored, 8 deflated (default), anything else as given. */
  method?: number;
  /** Uncompressed size to claim in the headers (default: the real one). */
  declaredSize?: number;
  flags?: number;
  crc?: number;
}

/** A zip built byte by byte, to say things a well-behaved zip library will not (hostile archives). */
export function rawZip(entries: RawEntry[]): Uint8Array {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    const method = entry.method ?? 8;
    const body = method === 8 ? deflateSync(entry.data) : entry.data;
    const size = entry.declaredSize ?? entry.data.length;
    const crc = entry.crc ?? crc32(entry.data);
    const flags = (entry.flags ?? 0) | 0x800;
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, flags, true);
    lv.setUint16(8, method, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const head = new Uint8Array(46 + name.length);
    const cv = new DataView(head.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, flags, true);
    cv.setUint16(10, method, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    head.set(name, 46);
    chunks.push(local, body);
    central.push(head);
    offset += local.length + body.length;
  }
  const centralSize = central.reduce((sum, c) => sum + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);
  const all = [...chunks, ...central, end];
  const out = new Uint8Array(all.reduce((sum, c) => sum + c.length, 0));
  let at = 0;
  for (const chunk of all) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

export const utf8 = (text: string) => new TextEncoder().encode(text);

/** The index of the files an import plans, as if they had been written. */
export function indexOfPlan(plan: ImportPlan): ProjectIndex {
  return indexFiles(Object.fromEntries(plan.files.map((file) => [file.path, file.text])));
}
