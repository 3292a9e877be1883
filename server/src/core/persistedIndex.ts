import type { CountsSnapshot } from './counts';
import { isRuleId } from './findings';
import { SEGMENT_FIELDS, type SummaryProblem, type TranscriptSummary, USE_FIELDS } from './summary';
import type { AttributeValue, Participant } from './transcript';

/**
 * The persisted index: transcript summaries keyed by the hash of the file's bytes, so that a restart
 * with nothing changed parses no transcript. Plain text, one JSON value per line: a header, one line per
 * transcript (its URI, the hash, the file's stat when it can be trusted, the summary), and last the
 * project's counts over exactly those lines, with the codebook structure they were counted under and the
 * code names every line refers to by index (so a name is read once, not once per transcript). The
 * header names the format and its version (a summary or count made by another version of the scanner
 * or of the counting is never reused) and holds a checksum of the lines below it, so a file cut short or
 * damaged is ignored as a whole. Every line is checked again when it is read: a line that does not hold
 * a well-formed summary is dropped and its transcript parsed as if there were no cache (and the counts,
 * which include it, are not used).
 *
 * Only text in, text out: reading and writing the file, and the hash function, belong to the caller
 * (`server/src/node/indexStore.ts`).
 */

export const PERSISTED_INDEX_FORMAT = 'kodkarta-index';
/**
 * Raise whenever a summary of the same bytes could come out differently (scanner, parser, summary), or
 * the counts of the same summaries (`contribute`, `ProjectCounts`).
 */
export const PERSISTED_INDEX_VERSION = 2;

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
  /** The file the summary was made from. */
  uri: string;
  /**
   * The file's size, modification time, change time and inode when its bytes were read, if they were old
   * enough to be trusted (see `node/indexStore.ts`): the same stat again means the same bytes.
   */
  stat?: number[];
  /** Why the bytes are not entirely usable text (not UTF-8), as decoding them said. */
  problem?: string;
  summary: TranscriptSummary;
}

/** The project's counts over every transcript line of the file, and the codebook structure they are for. */
export interface PersistedCounts {
  /** `ProjectIndex`'s structure key: which code counts for which theme. */
  structure: string;
  counts: CountsSnapshot;
}

export const STAT_FIELDS = 4;

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
/**
 * The code names and spellings the counts and every transcript line refer to by index: the counts' own
 * first, in their order (so the counts' indexes hold), then every other name of a summary.
 */
export function nameTable(counts: CountsSnapshot, entries: readonly PersistedEntry[]): Map<string, number> {
  const table = new Map<string, number>();
  for (const name of counts.names) if (!table.has(name)) table.set(name, table.size);
  for (const entry of entries)
    for (const name of entry.summary.names) if (!table.has(name)) table.set(name, table.size);
  return table;
}

/** One transcript's line (without its newline); `table` numbers its code names (see `nameTable`). */
export function entryLine(entry: PersistedEntry, table: ReadonlyMap<string, number>): string {
  const s = entry.summary;
  const sets: number[] = [];
  for (const set of s.codeSets) sets.push(set.length, ...set);
  return JSON.stringify([
    entry.hash,
    entry.uri,
    entry.stat ?? null,
    entry.problem ?? null,
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
    writeNumbers(s.names.map((name) => table.get(name) ?? 0)),
    encodeSegments(s.segments),
    writeNumbers(sets),
    encodeUses(s.uses),
  ]);
}

/**
 * A transcript's entry, or undefined when the line does not hold a well-formed one. `intern` may return
 * one shared copy of each code name for all lines.
 */
/** A transcript's entry, its code names from `table`; undefined when the line does not hold a well-formed one. */
export function readEntry(line: string, table: readonly string[]): PersistedEntry | undefined {
  const value = parseJson(line);
  if (!Array.isArray(value) || value.length !== 12) return undefined;
  const [hash, uri, stat, problem, length, participant, stem, problems, names, segments, codeSets, uses] =
    value as unknown[];
  if (typeof hash !== 'string' || hash.length === 0 || !isCount(length) || typeof stem !== 'string') {
    return undefined;
  }
  if (typeof uri !== 'string' || (problem !== null && typeof problem !== 'string')) return undefined;
  const statValues = stat === null ? undefined : stat;
  if (
    statValues !== undefined &&
    (!Array.isArray(statValues) ||
      statValues.length !== STAT_FIELDS ||
      !statValues.every((n) => typeof n === 'number' && Number.isFinite(n)))
  ) {
    return undefined;
  }
  const person = readParticipant(participant);
  if (!person) return undefined;
  const nameList = readNames(names, table);
  const sets = nameList && readSets(codeSets, nameList.length);
  if (!nameList || !sets) return undefined;
  const segmentArray = decodeSegments(segments, length, sets.length);
  if (!segmentArray) return undefined;
  const useArray = decodeUses(uses, nameList.length);
  if (!useArray) return undefined;
  const problemList = readProblems(problems);
  if (!problemList) return undefined;
  return {
    hash,
    uri,
    ...(statValues ? { stat: statValues as number[] } : {}),
    ...(typeof problem === 'string' ? { problem } : {}),
    summary: {
      length,
      participant: person,
      stem,
      problems: problemList,
      names: nameList,
      segments: segmentArray,
      codeSets: sets,
      uses: useArray,
    },
  };
}

/**
 * The counts' line (without its newline): written after every transcript line, with the name table
 * (`nameTable`) as its names, which the transcript lines refer to.
 */
export function countsLine(persisted: PersistedCounts): string {
  const { participants, names, codes, themes, own, shared, pairs } = persisted.counts;
  return JSON.stringify({
    structure: persisted.structure,
    participants,
    names,
    codes: codes.map(writeNumbers),
    themes: themes.map(writeNumbers),
    own: writeNumbers(own),
    shared: writeNumbers(shared),
    pairs: writeNumbers(pairs),
  });
}

/** The counts, or undefined when the line does not hold well-formed ones. */
export function readCounts(line: string): PersistedCounts | undefined {
  const value = parseJson(line);
  if (!isObject(value) || typeof value.structure !== 'string') return undefined;
  const { participants, names } = value;
  if (!isStringList(participants) || !isStringList(names)) return undefined;
  const lists = (list: unknown) => {
    if (!Array.isArray(list)) return undefined;
    const out: Int32Array[] = [];
    for (const item of list) {
      const numbers = readNumbers(item, 2);
      for (let i = 0; numbers && i < numbers.length; i += 2) {
        const at = numbers[i] ?? 0;
        if (at < 0 || at >= participants.length) return undefined;
      }
      if (!numbers) return undefined;
      out.push(numbers);
    }
    return out;
  };
  const codes = lists(value.codes);
  const themes = lists(value.themes);
  if (!codes || codes.length > names.length || !themes) return undefined;
  const own = readNumbers(value.own, 1);
  const shared = readTriples(value.shared, themes.length);
  const pairs = readTriples(value.pairs, names.length);
  if (!own || own.length !== themes.length || !shared || !pairs) return undefined;
  return { structure: value.structure, counts: { participants, names, codes, themes, own, shared, pairs } };
}

/** Two indexes below `size` and a count, in triples. */
function readTriples(value: unknown, size: number): Int32Array | undefined {
  const numbers = readNumbers(value, 3);
  for (let i = 0; numbers && i < numbers.length; i += 3) {
    const a = numbers[i] ?? 0;
    const b = numbers[i + 1] ?? 0;
    if (a < 0 || a >= size || b < 0 || b >= size) return undefined;
  }
  return numbers;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
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

/**
 * Segments and code uses, the bulk of a line, are written as whole numbers in the digits source maps use
 * (base 64, five bits a digit, the sign in the lowest bit), each position from the one before: a
 * fraction of the characters of JSON numbers, and read with one pass of a loop instead of JSON.parse.
 */
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGITS.length; i++) DIGIT_VALUES[DIGITS.charCodeAt(i)] = i;
const MAX_INT = 0x7fffffff;

const asciiDecoder = new TextDecoder('latin1');

function writeNumbers(numbers: ArrayLike<number>): string {
  // Digits as character codes, decoded once: no string per digit.
  let out = new Uint8Array(numbers.length * 2 + 16);
  let at = 0;
  for (let i = 0; i < numbers.length; i++) {
    const n = numbers[i] ?? 0;
    let rest = n < 0 ? -n * 2 + 1 : n * 2;
    if (at + 8 > out.length) {
      const grown = new Uint8Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    do {
      const digit = rest % 32;
      rest = Math.floor(rest / 32);
      out[at++] = DIGITS.charCodeAt(rest > 0 ? digit + 32 : digit);
    } while (rest > 0);
  }
  return asciiDecoder.decode(out.subarray(0, at));
}

/** The numbers `writeNumbers` wrote, `fields` at a time; undefined when the text is not such numbers. */
function readNumbers(value: unknown, fields: number): Int32Array | undefined {
  if (typeof value !== 'string') return undefined;
  // At most one number per character: decoded into room for that many, then cut to size.
  const out = new Int32Array(value.length);
  let at = 0;
  let number = 0;
  let scale = 1;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const digit = code < 128 ? (DIGIT_VALUES[code] ?? -1) : -1;
    if (digit < 0) return undefined;
    number += (digit & 31) * scale;
    if (digit >= 32) {
      scale *= 32;
      if (scale > 2 ** 35) return undefined;
      continue;
    }
    const signed = number % 2 === 1 ? -(number - 1) / 2 : number / 2;
    if (signed > MAX_INT || signed < -MAX_INT) return undefined;
    out[at++] = signed;
    number = 0;
    scale = 1;
  }
  if (scale !== 1 || at % fields !== 0) return undefined;
  return out.slice(0, at);
}

/** Per segment: its start from the last segment's start, its length, its code set. */
function encodeSegments(segments: Int32Array): string {
  const numbers: number[] = [];
  let previous = 0;
  for (let i = 0; i < segments.length; i += SEGMENT_FIELDS) {
    const start = segments[i] ?? 0;
    numbers.push(start - previous, (segments[i + 1] ?? 0) - start, segments[i + 2] ?? 0);
    previous = start;
  }
  return writeNumbers(numbers);
}

function decodeSegments(value: unknown, length: number, sets: number): Int32Array | undefined {
  const out = readNumbers(value, SEGMENT_FIELDS);
  if (!out) return undefined;
  let previous = 0;
  for (let i = 0; i < out.length; i += SEGMENT_FIELDS) {
    const start = previous + (out[i] ?? 0);
    const end = start + (out[i + 1] ?? 0);
    const set = out[i + 2] ?? 0;
    if (start < 0 || end < start || end > length || end > MAX_INT || set < 0 || set >= sets) return undefined;
    out[i] = start;
    out[i + 1] = end;
    previous = start;
  }
  return out;
}

/** Per use: its line from the last use's line, its start character, its length, name and spelling. */
function encodeUses(uses: Int32Array): string {
  const numbers: number[] = [];
  let previous = 0;
  for (let i = 0; i < uses.length; i += USE_FIELDS) {
    const line = uses[i] ?? 0;
    const start = uses[i + 1] ?? 0;
    numbers.push(line - previous, start, (uses[i + 2] ?? 0) - start, uses[i + 3] ?? 0, uses[i + 4] ?? 0);
    previous = line;
  }
  return writeNumbers(numbers);
}

function decodeUses(value: unknown, names: number): Int32Array | undefined {
  const out = readNumbers(value, USE_FIELDS);
  if (!out) return undefined;
  let previous = 0;
  for (let i = 0; i < out.length; i += USE_FIELDS) {
    const line = previous + (out[i] ?? 0);
    const start = out[i + 1] ?? 0;
    const end = start + (out[i + 2] ?? 0);
    const name = out[i + 3] ?? 0;
    const spelling = out[i + 4] ?? 0;
    if (line < 0 || line > MAX_INT || start < 0 || end < start || end > MAX_INT) return undefined;
    if (name < 0 || name >= names || spelling < 0 || spelling >= names) return undefined;
    out[i] = line;
    out[i + 2] = end;
    previous = line;
  }
  return out;
}

function readNames(value: unknown, table: readonly string[]): string[] | undefined {
  const indexes = readNumbers(value, 1);
  if (!indexes) return undefined;
  const names: string[] = [];
  for (const at of indexes) {
    const name = table[at];
    if (name === undefined) return undefined;
    names.push(name);
  }
  return names;
}

/** Code sets written as their size and then their name indexes (below `size`). */
function readSets(value: unknown, size: number): number[][] | undefined {
  const numbers = readNumbers(value, 1);
  if (!numbers) return undefined;
  const sets: number[][] = [];
  for (let i = 0; i < numbers.length; ) {
    const count = numbers[i++] ?? 0;
    if (count < 0 || i + count > numbers.length) return undefined;
    const set: number[] = [];
    for (let k = 0; k < count; k++) {
      const at = numbers[i++] ?? 0;
      if (at < 0 || at >= size) return undefined;
      set.push(at);
    }
    sets.push(set);
  }
  return sets;
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
