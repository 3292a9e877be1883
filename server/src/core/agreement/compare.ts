import type { ProjectIndex } from '../projectIndex';
import type { Range, Span } from '../text';
import type { Transcript } from '../transcript';
import { CoincidenceMatrix, ContingencyTable, meanOf } from './statistics';
import { findTextMismatches, type TextCopy, type TextMismatch } from './textCheck';
import {
  characterCounts,
  fileSpan,
  frontMatterText,
  plainStructure,
  type StrippedText,
  stripTags,
  toFileOffset,
  toPlainOffset,
  type Unit,
  type UnitKind,
  unitsOf,
} from './units';

/**
 * Intercoder agreement between coders' copies of one project (folders, or the project at git refs).
 * Pure: the copies arrive as project indexes, and the answer is plain JSON-serialisable data.
 *
 * For every unit (see units.ts) each coder's value for a code is binary: the coder applied the code to
 * the unit or did not. A coder applied a code to a paragraph or turn when a passage with that code
 * covers at least one of its characters (other than white space); to a character when the character
 * lies inside such a passage. Nested passages therefore give a unit the codes of every passage around
 * the character, inner and outer; overlapping passages (markers) likewise; a passage running over
 * several units gives its codes to each of them; a code applied twice in one unit counts once. A
 * transcript that a coder's copy lacks is missing data for that coder.
 */

export interface CoderProject {
  /** How the coder is named in reports: a folder name, or the git ref the project was read at. */
  name: string;
  index: ProjectIndex;
  /** The git ref the copy was read at, when it came from git (a view opens `git:` documents then). */
  ref?: string;
}

export interface AgreementOptions {
  /** Default: turn when any transcript has speaker turns, otherwise paragraph. */
  unit?: UnitKind;
}

export interface CoderInfo {
  name: string;
  /** URI of the coder's project folder. */
  root: string;
  ref?: string;
}

export interface CodeAgreement {
  code: string;
  /** Number of the theme the code is listed under in the first coder's codebook that lists it. */
  theme?: string;
  /** Units coded by at least two coders (characters for the character unit). */
  units: number;
  /** Per coder, in the order of `coders`: units that coder applied the code to. */
  coded: number[];
  /** Share of the units on which every coder who coded it agrees (applied the code or did not). */
  agreement: number | null;
  /** Cohen's kappa for two coders; for more, the mean of the pairwise kappas (Light's kappa). */
  kappa: number | null;
  /** Krippendorff's alpha, nominal (binary), missing data allowed. */
  alpha: number | null;
}

export interface OverallAgreement {
  units: number;
  codes: number;
  /** Share of the units on which the coders applied exactly the same codes. */
  agreement: number | null;
  /** Krippendorff's alpha over all codes: the codes' coincidence matrices summed, then one alpha. */
  alpha: number | null;
  /** Mean of the codes' kappas (those that are defined). */
  meanKappa: number | null;
}

export interface DisagreementCopy {
  coder: string;
  /** The coder's copy of the transcript; absent when the coder's copy lacks it. */
  uri?: string;
  ref?: string;
  /** The unit's text in that coder's file (tags included where they fall inside it). */
  range?: Range;
  /** The codes the coder applied to the unit; null when the coder's copy lacks the transcript. */
  codes: string[] | null;
}

export interface Disagreement {
  path: string;
  /** One-based line of the unit's start in the first coder's copy. */
  line: number;
  unit: 'paragraph' | 'turn' | 'character';
  /** Characters in the stretch, for the character unit; 1 otherwise. */
  weight: number;
  speaker?: string;
  /** Position of the unit's turn among the transcript's turns, zero-based. */
  turn?: number;
  /** The start of the unit's text, tags removed. */
  text: string;
  /** Codes that some but not all coders applied. */
  codes: string[];
  coders: DisagreementCopy[];
}

export interface TranscriptComparison {
  path: string;
  /** Names of the coders whose copies have the transcript. */
  coders: string[];
  units: number;
  disagreements: number;
}

export interface AgreementReport {
  status: 'ok';
  coders: CoderInfo[];
  unit: UnitKind;
  transcripts: TranscriptComparison[];
  /** Transcripts only one coder has: they take no part in the figures. */
  unpaired: { path: string; coders: string[] }[];
  codes: CodeAgreement[];
  overall: OverallAgreement;
  disagreements: Disagreement[];
}

export interface TextMismatchReport {
  status: 'text-differs';
  coders: CoderInfo[];
  mismatches: TextMismatch[];
}

export type AgreementResult = AgreementReport | TextMismatchReport;

interface Copy {
  coder: number;
  transcript: Transcript;
  stripped: StrippedText;
  /** The coder's passages in plain-text offsets, with canonical codes. */
  passages: { start: number; end: number; codes: string[] }[];
}

interface Cell {
  path: string;
  unit: Unit;
  kind: 'paragraph' | 'turn' | 'character';
  span: Span;
  weight: number;
  /** Per coder: sorted codes, or undefined when that coder's copy lacks the transcript. */
  codes: (string[] | undefined)[];
}

const pathOrder = new Intl.Collator('sv', { numeric: true });

/** Compares the coders' copies; the same text check first, then the figures. */
export function compareCoders(
  coders: readonly CoderProject[],
  options: AgreementOptions = {},
): AgreementResult {
  const info = coders.map(coderInfo);
  const byPath = transcriptsByPath(coders);
  const paths = [...byPath.keys()].sort(pathOrder.compare);

  const files: { path: string; copies: Copy[] }[] = [];
  const unpaired: { path: string; coders: string[] }[] = [];
  const mismatches: TextMismatch[] = [];
  for (const path of paths) {
    const present = byPath.get(path) ?? [];
    if (present.length < 2) {
      unpaired.push({ path, coders: present.map(({ coder }) => info[coder]?.name ?? '') });
      continue;
    }
    const copies = present.map(({ coder, transcript }) => copyOf(coders[coder]?.index, coder, transcript));
    const textCopies: TextCopy[] = copies.map((copy) => ({
      coder: info[copy.coder]?.name ?? '',
      transcript: copy.transcript,
      stripped: copy.stripped,
    }));
    mismatches.push(...findTextMismatches(path, textCopies));
    files.push({ path, copies });
  }
  if (mismatches.length > 0) return { status: 'text-differs', coders: info, mismatches };

  const unit = options.unit ?? defaultUnit(coders);
  const cells: Cell[] = [];
  const transcripts: TranscriptComparison[] = [];
  const copiesByPath = new Map<string, Copy[]>();
  for (const file of files) {
    const fileCells = cellsOf(file.path, file.copies, coders.length, unit);
    cells.push(...fileCells);
    copiesByPath.set(file.path, file.copies);
    transcripts.push({
      path: file.path,
      coders: file.copies.map((copy) => info[copy.coder]?.name ?? ''),
      units: fileCells.reduce((sum, cell) => sum + cell.weight, 0),
      disagreements: fileCells.filter(differs).length,
    });
  }

  const codes = orderCodes(coders[0]?.index, cells);
  const codeResults: CodeAgreement[] = [];
  const pooled = new CoincidenceMatrix();
  for (const code of codes) {
    const result = codeAgreement(code, cells, coders.length);
    pooled.addMatrix(result.matrix);
    const theme = coders
      .map((coder) => themeNumber(coder.index, code))
      .find((number) => number !== undefined);
    codeResults.push({
      code,
      ...(theme !== undefined ? { theme } : {}),
      units: result.units,
      coded: result.coded,
      agreement: result.agreement,
      kappa: result.kappa,
      alpha: result.matrix.alpha(),
    });
  }
  const units = cells.reduce((sum, cell) => sum + cell.weight, 0);
  const identical = cells.reduce((sum, cell) => sum + (differs(cell) ? 0 : cell.weight), 0);
  const overall: OverallAgreement = {
    units,
    codes: codes.length,
    agreement: units > 0 ? identical / units : null,
    alpha: pooled.alpha(),
    meanKappa: meanOf(codeResults.map((result) => result.kappa)),
  };
  const disagreements = cells
    .filter(differs)
    .map((cell) => disagreementOf(cell, copiesByPath.get(cell.path) ?? [], info));
  return {
    status: 'ok',
    coders: info,
    unit,
    transcripts,
    unpaired,
    codes: codeResults,
    overall,
    disagreements,
  };
}

/** Turn when any coder's transcript has speaker turns, otherwise paragraph. */
export function defaultUnit(coders: readonly Pick<CoderProject, 'index'>[]): 'turn' | 'paragraph' {
  return coders.some((coder) => coder.index.transcripts().some((t) => t.turns.length > 0))
    ? 'turn'
    : 'paragraph';
}

function coderInfo(coder: CoderProject): CoderInfo {
  return {
    name: coder.name,
    root: coder.index.rootUri,
    ...(coder.ref !== undefined ? { ref: coder.ref } : {}),
  };
}

function transcriptsByPath(
  coders: readonly CoderProject[],
): Map<string, { coder: number; transcript: Transcript }[]> {
  const byPath = new Map<string, { coder: number; transcript: Transcript }[]>();
  coders.forEach((project, coder) => {
    for (const transcript of project.index.transcripts()) {
      const path = project.index.relativePath(transcript.uri) ?? transcript.uri;
      const list = byPath.get(path) ?? [];
      byPath.set(path, list);
      list.push({ coder, transcript });
    }
  });
  return byPath;
}

function copyOf(index: ProjectIndex | undefined, coder: number, transcript: Transcript): Copy {
  const stripped = stripTags(transcript);
  const passages = transcript.segments.map((segment) => ({
    start: toPlainOffset(stripped, segment.text.start),
    end: toPlainOffset(stripped, segment.text.end),
    codes: [...new Set(segment.codes.map((code) => index?.resolveCode(code.name) ?? code.name))],
  }));
  return { coder, transcript, stripped, passages };
}

/** The cells of one transcript: its units, or for characters its stretches coded alike. */
function cellsOf(path: string, copies: Copy[], coderCount: number, kind: UnitKind): Cell[] {
  const reference = copies[0];
  if (!reference) return [];
  const plain = reference.stripped.text;
  const structure = plainStructure(plain, frontMatterText(reference.transcript), reference.transcript.uri);
  const units = unitsOf(plain, structure, kind === 'turn' ? 'turn' : 'paragraph');
  const counts = characterCounts(plain);
  const chars = (start: number, end: number) =>
    end <= start ? 0 : (counts[Math.min(end, plain.length)] ?? 0) - (counts[Math.max(0, start)] ?? 0);
  const cells: Cell[] = [];
  for (const unit of units) {
    if (kind !== 'character') {
      const codes: (string[] | undefined)[] = new Array(coderCount).fill(undefined);
      for (const copy of copies) {
        const set = new Set<string>();
        for (const passage of copy.passages) {
          const start = Math.max(passage.start, unit.span.start);
          const end = Math.min(passage.end, unit.span.end);
          if (chars(start, end) > 0) for (const code of passage.codes) set.add(code);
        }
        codes[copy.coder] = [...set].sort();
      }
      cells.push({ path, unit, kind: unit.kind, span: unit.span, weight: 1, codes });
      continue;
    }
    // Characters: cut the unit wherever any coder's passage starts or ends; within each piece every
    // character has the same codes for every coder. Neighbouring pieces coded alike are merged.
    const cuts = new Set([unit.span.start, unit.span.end]);
    for (const copy of copies) {
      for (const passage of copy.passages) {
        for (const at of [passage.start, passage.end]) {
          if (at > unit.span.start && at < unit.span.end) cuts.add(at);
        }
      }
    }
    const points = [...cuts].sort((a, b) => a - b);
    let previous: Cell | undefined;
    for (let i = 0; i + 1 < points.length; i++) {
      const start = points[i] ?? 0;
      const end = points[i + 1] ?? 0;
      const weight = chars(start, end);
      if (weight === 0) continue;
      const codes: (string[] | undefined)[] = new Array(coderCount).fill(undefined);
      for (const copy of copies) {
        const set = new Set<string>();
        for (const passage of copy.passages) {
          if (passage.start <= start && passage.end >= end) for (const code of passage.codes) set.add(code);
        }
        codes[copy.coder] = [...set].sort();
      }
      if (previous && sameCodes(previous.codes, codes)) {
        previous.span = { start: previous.span.start, end };
        previous.weight += weight;
        continue;
      }
      previous = { path, unit, kind: 'character', span: { start, end }, weight, codes };
      cells.push(previous);
    }
  }
  return cells;
}

function key(codes: string[] | undefined): string {
  return codes === undefined ? '\u0001' : codes.join('\u0000');
}

function sameCodes(a: (string[] | undefined)[], b: (string[] | undefined)[]): boolean {
  return a.length === b.length && a.every((codes, i) => key(codes) === key(b[i]));
}

function differs(cell: Cell): boolean {
  const present = cell.codes.filter((codes): codes is string[] => codes !== undefined);
  return present.some((codes) => key(codes) !== key(present[0]));
}

function codeAgreement(
  code: string,
  cells: readonly Cell[],
  coderCount: number,
): {
  matrix: CoincidenceMatrix;
  units: number;
  coded: number[];
  agreement: number | null;
  kappa: number | null;
} {
  const matrix = new CoincidenceMatrix();
  const coded: number[] = new Array(coderCount).fill(0);
  const pairs: { a: number; b: number; table: ContingencyTable }[] = [];
  for (let a = 0; a < coderCount; a++) {
    for (let b = a + 1; b < coderCount; b++) pairs.push({ a, b, table: new ContingencyTable() });
  }
  let units = 0;
  let agreeing = 0;
  for (const cell of cells) {
    const values = cell.codes.map((codes) =>
      codes === undefined ? undefined : codes.includes(code) ? 1 : 0,
    );
    const present = values.filter((value) => value !== undefined);
    if (present.length < 2) continue;
    units += cell.weight;
    if (present.every((value) => value === present[0])) agreeing += cell.weight;
    values.forEach((value, coder) => {
      if (value === 1) coded[coder] = (coded[coder] ?? 0) + cell.weight;
    });
    matrix.add(values, cell.weight);
    for (const pair of pairs) pair.table.add(values[pair.a], values[pair.b], cell.weight);
  }
  return {
    matrix,
    units,
    coded,
    agreement: units > 0 ? agreeing / units : null,
    kappa: meanOf(pairs.filter((pair) => pair.table.total > 0).map((pair) => pair.table.kappa())),
  };
}

/** The codes in the order of the first coder's codebook; codes it does not list follow, by name. */
function orderCodes(index: ProjectIndex | undefined, cells: readonly Cell[]): string[] {
  const used = new Set<string>();
  for (const cell of cells) for (const codes of cell.codes) for (const code of codes ?? []) used.add(code);
  const ordered: string[] = [];
  for (const theme of index?.codebook?.themes ?? []) {
    for (const entry of theme.codes) {
      if (used.has(entry.name) && !ordered.includes(entry.name)) ordered.push(entry.name);
    }
  }
  const rest = [...used].filter((code) => !ordered.includes(code)).sort(pathOrder.compare);
  return [...ordered, ...rest];
}

function themeNumber(index: ProjectIndex | undefined, code: string): string | undefined {
  const theme = index?.themeOf(code);
  return theme === undefined ? undefined : index?.codebook?.themes[theme]?.number;
}

function disagreementOf(cell: Cell, copies: readonly Copy[], info: readonly CoderInfo[]): Disagreement {
  const present = cell.codes.filter((codes): codes is string[] => codes !== undefined);
  const union = new Set(present.flat());
  const codes = [...union].filter((code) => !present.every((list) => list.includes(code))).sort();
  const reference = copies[0];
  const line = reference
    ? reference.transcript.lines.positionAt(toFileOffset(reference.stripped, cell.span.start)).line + 1
    : 0;
  const plain = reference?.stripped.text ?? '';
  const coders: DisagreementCopy[] = info.map((coder, index) => {
    const copy = copies.find((c) => c.coder === index);
    const codesOfCoder = cell.codes[index];
    if (!copy) {
      return { coder: coder.name, ...(coder.ref !== undefined ? { ref: coder.ref } : {}), codes: null };
    }
    return {
      coder: coder.name,
      uri: copy.transcript.uri,
      ...(coder.ref !== undefined ? { ref: coder.ref } : {}),
      range: copy.transcript.lines.rangeOf(fileSpan(copy.stripped, cell.span)),
      codes: codesOfCoder ?? null,
    };
  });
  return {
    path: cell.path,
    line,
    unit: cell.kind,
    weight: cell.weight,
    ...(cell.unit.speaker !== undefined ? { speaker: cell.unit.speaker } : {}),
    ...(cell.unit.turn !== undefined ? { turn: cell.unit.turn } : {}),
    text: excerpt(plain.slice(cell.span.start, cell.span.end)),
    codes,
    coders,
  };
}

function excerpt(text: string, limit = 80): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length <= limit ? folded : `${folded.slice(0, limit - 1).trimEnd()}…`;
}
