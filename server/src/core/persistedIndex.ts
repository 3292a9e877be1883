import { isRuleId } from './findings';
import { SEGMENT_FIELDS, type SummaryProblem, type TranscriptSummary, USE_FIELDS } from './summary';
import type { AttributeValue, Participant } from './transcript';

/**
 * The persisted index: transcript summaries keyed by the hash of the file's bytes, so that a restart
 * with nothing changed reads no transcript twice. Plain text, one JSON value per line: a header, then one
 * line per transcript. The header names the format and its version (a summary made by another version
 * of the scanner is never reused) and holds a checksum of the lines below it, so a file cut short or
 * damaged is ignored as a whole. Every line is checked again when it is read: a line that does not hold
 * a well-formed summary is dropped and its transcript parsed as if there were no cache.
 *
 * Only text in, text out: reading and writing the file, and the hash function, belong to the caller
 * (`server/src/node/indexStore.ts`).
 */

export const PERSISTED_INDEX_FORMAT = 'kodkarta-index';
/** Raise whenever a summary of the same bytes could come out differently (scanner, parser, summary). */
export const PERSISTED_INDEX_VERSION = 1;

export interface PersistedHeader {
  format: typeof PERSISTED_INDEX_FORMAT;
  version: number;
  /** The project folder the summaries belong to. */
  root: string;
  entries: number;
  /** The caller's hash of every line after the header, newlines included. */
  checksum: string;
}

export interface PersistedEntry {
  /** Hash of the transcript file's bytes. */
  hash: string;
  summary: TranscriptSummary;
}

export function headerLine(root: string, entries: number, checksum: string): string {
  const header: PersistedHeader = {
    format: PERSISTED_INDEX_FORMAT,
    version: PERSISTED_INDEX_VERSION,
    root,
    entries,
    checksum,
  };
  return JSON.stringify(header);
}

/** The header, or undefined when it is not this format and version, or for another project. */
export function readHeader(line: string, root: string): PersistedHeader | undefined {
  const value = parseJson(line);
  if (!isObject(value)) return undefined;
  if (value.format !== PERSISTED_INDEX_FORMAT || value.version !== PERSISTED_INDEX_VERSION) return undefined;
  if (value.root !== root || !isCount(value.entries) || typeof value.checksum !== 'string') return undefined;
  return value as unknown as PersistedHeader;
}

/** One transcript's line (without its newline). */
export function entryLine(entry: PersistedEntry): string {
  const s = entry.summary;
  return JSON.stringify([
    entry.hash,
    s.length,
    [s.participant.id, s.participant.label, s.participant.attributes, s.participant.declared],
    s.stem,
    s.problems.map((p) => [
      p.rule,
      p.message,
      p.range.start.line,
      p.range.start.character,
      p.range.end.line,
      p.range.end.character,
    ]),
    s.names,
    Array.from(s.segments),
    s.codeSets,
    Array.from(s.uses),
  ]);
}

/** A transcript's entry, or undefined when the line does not hold a well-formed one. */
export function readEntry(line: string): PersistedEntry | undefined {
  const value = parseJson(line);
  if (!Array.isArray(value) || value.length !== 9) return undefined;
  const [hash, length, participant, stem, problems, names, segments, codeSets, uses] = value as unknown[];
  if (typeof hash !== 'string' || hash.length === 0 || !isCount(length) || typeof stem !== 'string') {
    return undefined;
  }
  const person = readParticipant(participant);
  if (!person) return undefined;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return undefined;
  if (!Array.isArray(codeSets) || !codeSets.every((set) => isIndexList(set, names.length))) return undefined;
  const segmentArray = readInts(segments, SEGMENT_FIELDS);
  if (!segmentArray) return undefined;
  for (let i = 0; i < segmentArray.length; i += SEGMENT_FIELDS) {
    const start = segmentArray[i] ?? 0;
    const end = segmentArray[i + 1] ?? 0;
    if (start > end || end > length || (segmentArray[i + 2] ?? 0) >= codeSets.length) return undefined;
  }
  const useArray = readInts(uses, USE_FIELDS);
  if (!useArray) return undefined;
  for (let i = 0; i < useArray.length; i += USE_FIELDS) {
    if ((useArray[i + 1] ?? 0) > (useArray[i + 2] ?? 0)) return undefined;
    if ((useArray[i + 3] ?? 0) >= names.length || (useArray[i + 4] ?? 0) >= names.length) return undefined;
  }
  const problemList = readProblems(problems);
  if (!problemList) return undefined;
  return {
    hash,
    summary: {
      length,
      participant: person,
      stem,
      problems: problemList,
      names: names as string[],
      segments: segmentArray,
      codeSets: codeSets as number[][],
      uses: useArray,
    },
  };
}

function readParticipant(value: unknown): Participant | undefined {
  if (!Array.isArray(value) || value.length !== 4) return undefined;
  const [id, label, attributes, declared] = value as unknown[];
  if (typeof id !== 'string' || typeof label !== 'string' || typeof declared !== 'boolean') return undefined;
  if (!isObject(attributes)) return undefined;
  const copy: Record<string, AttributeValue> = {};
  for (const [key, item] of Object.entries(attributes)) {
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') return undefined;
    if (key === '__proto__') return undefined;
    copy[key] = item;
  }
  return { id, label, attributes: copy, declared };
}

function readProblems(value: unknown): SummaryProblem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const problems: SummaryProblem[] = [];
  for (const item of value) {
    if (!Array.isArray(item) || item.length !== 6) return undefined;
    const [rule, message, sl, sc, el, ec] = item as unknown[];
    if (typeof rule !== 'string' || !isRuleId(rule) || typeof message !== 'string') return undefined;
    if (!isCount(sl) || !isCount(sc) || !isCount(el) || !isCount(ec)) return undefined;
    problems.push({
      rule,
      message,
      range: { start: { line: sl, character: sc }, end: { line: el, character: ec } },
    });
  }
  return problems;
}

function readInts(value: unknown, fields: number): Int32Array | undefined {
  if (!Array.isArray(value) || value.length % fields !== 0) return undefined;
  const out = new Int32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (!isCount(item) || item > 0x7fffffff) return undefined;
    out[i] = item;
  }
  return out;
}

function isIndexList(value: unknown, size: number): boolean {
  return Array.isArray(value) && value.every((item) => isCount(item) && item < size);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
