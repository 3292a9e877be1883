import type { RuleId } from './findings';
import type { Tag } from './scanner';
import type { Range } from './text';
import {
  type EditedStretch,
  editedStretch,
  fileStem,
  firstIndexAtOrAfter,
  type Participant,
  type Segment,
  type Transcript,
} from './transcript';

/**
 * What the project needs of a transcript when nobody is looking at it: who speaks, the file's own
 * problems, and for every coded segment where its text lies and which codes it carries. Counts, findings
 * and quote pages are answered from summaries; the full model (`Transcript`) is parsed again only for the
 * features that need the text. A summary holds no reference to the text, so keeping thousands of them
 * costs a few kilobytes each, and it is plain data: the persisted index stores it as it is.
 */
export interface TranscriptSummary {
  /** UTF-16 length of the text it was made from. */
  length: number;
  participant: Participant;
  /** The file name's stem, which `participant` falls back to when the front matter names none. */
  stem: string;
  /** The transcript's own problems in order, with ranges (so findings never need the text). */
  problems: SummaryProblem[];
  /** Code names (NFC) and spellings as written, referred to by index below. */
  names: string[];
  /** Three numbers per coded segment, in the order of `Transcript.segments`: text start, text end, code set. */
  segments: Int32Array;
  /** Per code set: indexes into `names` of its distinct codes, in the order written. */
  codeSets: number[][];
  /**
   * Five numbers per code written in a span tag or an opening marker (closing markers repeat codes):
   * line, start character, end character (of `#name`), name index, spelling index.
   */
  uses: Int32Array;
}

export interface SummaryProblem {
  rule: RuleId;
  message: string;
  range: Range;
}

export const SEGMENT_FIELDS = 3;
export const USE_FIELDS = 5;

/**
 * Summarises a parsed transcript. Every string it keeps is a copy that does not keep the transcript's text
 * alive (a substring of a large string may share its memory); `internName` may return one shared copy
 * per code name. A summary sent to another thread is copied on the way: there, `copy` need not copy.
 */
export function summarize(
  transcript: Transcript,
  internName: (name: string) => string = copyString,
  copy: (text: string) => string = copyString,
): TranscriptSummary {
  return summarizeAll(transcript, internName, copy, undefined);
}

/**
 * Where each tag's codes lie in a summary, kept for open transcripts only: the next edit's summary copies
 * and renumbers what lies outside the stretch parsed again instead of summarising the whole text.
 */
interface Trail {
  /** Per tag and one past the last: where its codes begin among all codes (closing markers' too). */
  tagCodes: Int32Array;
  /** The same among the summary's `uses` (closing markers have none). */
  tagUses: Int32Array;
  /** Name and spelling index of every code of every tag, in order: they decide the order of `names`. */
  codes: Int32Array;
  /** Lines of the text: code uses after an edit's stretch move by the difference. */
  lineCount: number;
}

const trails = new WeakMap<TranscriptSummary, Trail>();

/**
 * Summarises an open transcript, equal to `summarize(transcript, internName)`. When `editTranscript`
 * made it from the transcript `previous` was made from (here), only the stretch it parsed again is
 * summarised: the rest is copied from `previous`, moved and renumbered. Typing in a 1 MB transcript then
 * costs a few passes over typed arrays instead of a name lookup per code.
 */
export function summarizeOpen(
  transcript: Transcript,
  previous: TranscriptSummary | undefined,
  internName: (name: string) => string,
): TranscriptSummary {
  const stretch = editedStretch(transcript);
  const trail = previous && trails.get(previous);
  const edited =
    previous && trail && stretch?.oldLength === previous.length
      ? summarizeEdit(transcript, previous, trail, stretch, internName)
      : undefined;
  return edited ?? summarizeAll(transcript, internName, copyString, []);
}

/** The summary; with `trailCodes` (an empty list to fill) also its trail, for the next edit. */
function summarizeAll(
  transcript: Transcript,
  internName: (name: string) => string,
  copy: (text: string) => string,
  trailCodes: number[] | undefined,
): TranscriptSummary {
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const indexOf = (name: string) => {
    let at = nameIndex.get(name);
    if (at === undefined) {
      at = names.length;
      names.push(internName(name));
      nameIndex.set(name, at);
    }
    return at;
  };
  const lines = transcript.lines;
  const tags = transcript.tags;
  let useCount = 0;
  for (const tag of tags) if (tag.kind !== 'close') useCount += tag.codes.length;
  const uses = new Int32Array(useCount * USE_FIELDS);
  const tagCodes = new Int32Array(trailCodes ? tags.length + 1 : 0);
  const tagUses = new Int32Array(trailCodes ? tags.length + 1 : 0);
  // Tags come in text order: one walk down the lines finds every code's line.
  let line = 0;
  let nextLineStart = lines.lineCount > 1 ? lines.lineStart(1) : Number.POSITIVE_INFINITY;
  let u = 0;
  for (let t = 0; t < tags.length; t++) {
    const tag = tags[t] as Tag;
    if (trailCodes) {
      tagCodes[t] = trailCodes.length / 2;
      tagUses[t] = u / USE_FIELDS;
    }
    for (const code of tag.codes) {
      const name = indexOf(code.name);
      const raw = code.raw === code.name ? name : indexOf(code.raw);
      trailCodes?.push(name, raw);
      if (tag.kind === 'close') continue;
      const offset = code.span.start;
      while (offset >= nextLineStart) {
        line++;
        nextLineStart = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : Number.POSITIVE_INFINITY;
      }
      const character = Math.min(offset, lines.lineEnd(line)) - lines.lineStart(line);
      uses[u++] = line;
      uses[u++] = character;
      uses[u++] = character + (code.span.end - code.span.start);
      uses[u++] = name;
      uses[u++] = raw;
    }
  }
  const segments = new Int32Array(transcript.segments.length * SEGMENT_FIELDS);
  const codeSets: number[][] = [];
  /** Sets of one code by the code's name index; larger sets by their indexes joined. */
  const single: number[] = [];
  const multiple = new Map<string, number>();
  transcript.segments.forEach((segment, i) => {
    let index: number | undefined;
    const codes = segment.codes;
    if (codes.length === 1) {
      const at = indexOf((codes[0] as { name: string }).name);
      index = single[at];
      if (index === undefined) {
        index = codeSets.length;
        codeSets.push([at]);
        single[at] = index;
      }
    } else {
      const set: number[] = [];
      for (const code of codes) {
        const at = indexOf(code.name);
        if (!set.includes(at)) set.push(at);
      }
      if (set.length === 1) {
        const at = set[0] as number;
        index = single[at];
        if (index === undefined) {
          index = codeSets.length;
          codeSets.push(set);
          single[at] = index;
        }
      } else {
        const key = set.join(',');
        index = multiple.get(key);
        if (index === undefined) {
          index = codeSets.length;
          codeSets.push(set);
          multiple.set(key, index);
        }
      }
    }
    segments[i * SEGMENT_FIELDS] = segment.text.start;
    segments[i * SEGMENT_FIELDS + 1] = segment.text.end;
    segments[i * SEGMENT_FIELDS + 2] = index;
  });
  const { participant } = transcript;
  const attributes: Participant['attributes'] = {};
  for (const [key, value] of Object.entries(participant.attributes)) {
    attributes[copy(key)] = typeof value === 'string' ? copy(value) : value;
  }
  const summary: TranscriptSummary = {
    length: transcript.text.length,
    participant: {
      id: copy(participant.id),
      label: copy(participant.label),
      attributes,
      declared: participant.declared,
    },
    stem: copy(fileStem(transcript.uri)),
    problems: summarizeProblems(transcript, copy),
    names,
    segments,
    codeSets,
    uses,
  };
  if (trailCodes) {
    tagCodes[tags.length] = trailCodes.length / 2;
    tagUses[tags.length] = u / USE_FIELDS;
    trails.set(summary, {
      tagCodes,
      tagUses,
      codes: Int32Array.from(trailCodes),
      lineCount: lines.lineCount,
    });
  }
  return summary;
}

function summarizeProblems(transcript: Transcript, copy: (text: string) => string): SummaryProblem[] {
  return transcript.problems.map((problem) => ({
    rule: problem.rule,
    message: copy(problem.message),
    range: transcript.lines.rangeOf(problem.span),
  }));
}

/**
 * The summary after an edit: tags, uses and segments before the stretch copied, those in it summarised,
 * those after it moved (the stretch ends at a line start, so only their lines move). Names and code sets
 * are then renumbered in the order `summarizeAll` meets them, so the result is the same. Undefined when
 * `previous` does not fit the stretch.
 */
function summarizeEdit(
  transcript: Transcript,
  previous: TranscriptSummary,
  trail: Trail,
  stretch: EditedStretch,
  internName: (name: string) => string,
): TranscriptSummary | undefined {
  const { from, newTo } = stretch;
  const delta = newTo - stretch.oldTo;
  const lines = transcript.lines;
  const tags = transcript.tags;
  const headTags = firstIndexAtOrAfter(tags, (tag) => tag.span.start, from);
  const tailTags = firstIndexAtOrAfter(tags, (tag) => tag.span.start, newTo);
  const oldTailTags = trail.tagCodes.length - 1 - (tags.length - tailTags);
  const passages = transcript.segments;
  const headSegments = firstIndexAtOrAfter(passages, (segment) => segment.span.start, from);
  const tailSegments = firstIndexAtOrAfter(passages, (segment) => segment.span.start, newTo);
  const oldSegments = previous.segments;
  const oldTailSegments = oldSegments.length / SEGMENT_FIELDS - (passages.length - tailSegments);
  if (oldTailTags < headTags || oldTailSegments < headSegments) return undefined;

  // What the stretch holds, numbered as `previous` numbers its names and code sets; new ones after those.
  const oldNames = previous.names;
  const known = new Map<string, number>();
  oldNames.forEach((name, i) => {
    known.set(name, i);
  });
  const added: string[] = [];
  const numberOf = (name: string) => {
    let at = known.get(name);
    if (at === undefined) {
      at = oldNames.length + added.length;
      added.push(name);
      known.set(name, at);
    }
    return at;
  };
  const codesBefore = trail.tagCodes[headTags] ?? 0;
  const usesBefore = trail.tagUses[headTags] ?? 0;
  const stretchCodes: number[] = [];
  const stretchUses: number[] = [];
  const stretchTagCodes: number[] = [];
  const stretchTagUses: number[] = [];
  for (let t = headTags; t < tailTags; t++) {
    const tag = tags[t] as Tag;
    stretchTagCodes.push(codesBefore + stretchCodes.length / 2);
    stretchTagUses.push(usesBefore + stretchUses.length / USE_FIELDS);
    for (const code of tag.codes) {
      const name = numberOf(code.name);
      const raw = code.raw === code.name ? name : numberOf(code.raw);
      stretchCodes.push(name, raw);
      if (tag.kind === 'close') continue;
      const { line, character } = lines.positionAt(code.span.start);
      stretchUses.push(line, character, character + (code.span.end - code.span.start), name, raw);
    }
  }
  const oldSets = previous.codeSets;
  const single: number[] = [];
  oldSets.forEach((set, i) => {
    if (set.length === 1) single[set[0] as number] = i;
  });
  let multiple: Map<string, number> | undefined;
  const addedSets: number[][] = [];
  const stretchSets: number[] = [];
  for (let s = headSegments; s < tailSegments; s++) {
    const set: number[] = [];
    for (const code of (passages[s] as Segment).codes) {
      const at = numberOf(code.name);
      if (!set.includes(at)) set.push(at);
    }
    let index: number | undefined;
    if (set.length === 1) index = single[set[0] as number];
    else {
      if (!multiple) {
        multiple = new Map();
        for (let i = 0; i < oldSets.length; i++) {
          const old = oldSets[i] as number[];
          if (old.length > 1) multiple.set(old.join(','), i);
        }
      }
      index = multiple.get(set.join(','));
    }
    if (index === undefined) {
      index = oldSets.length + addedSets.length;
      addedSets.push(set);
      if (set.length === 1) single[set[0] as number] = index;
      else multiple?.set(set.join(','), index);
    }
    stretchSets.push(index);
  }

  // Renumbered in the order `summarizeAll` meets them: the tags' codes, then the segments' code sets.
  const renumber = new Int32Array(oldNames.length + added.length).fill(-1);
  const names: string[] = [];
  const meet = (at: number) => {
    if (renumber[at] === -1) {
      renumber[at] = names.length;
      names.push(
        at < oldNames.length ? (oldNames[at] as string) : internName(added[at - oldNames.length] as string),
      );
    }
  };
  const oldCodes = trail.codes;
  const headCodes = codesBefore * 2;
  const tailCodes = (trail.tagCodes[oldTailTags] ?? 0) * 2;
  const codes = new Int32Array(headCodes + stretchCodes.length + oldCodes.length - tailCodes);
  codes.set(oldCodes.subarray(0, headCodes));
  codes.set(stretchCodes, headCodes);
  codes.set(oldCodes.subarray(tailCodes), headCodes + stretchCodes.length);
  for (let i = 0; i < codes.length; i++) {
    const at = codes[i] as number;
    meet(at);
    codes[i] = renumber[at] as number;
  }

  // Mostly every name keeps its number: then the previous code sets' arrays serve as they are.
  const sameNames = names.length === oldNames.length && renumber.every((at, i) => at === i);
  const renumberSet = new Int32Array(oldSets.length + addedSets.length).fill(-1);
  const codeSets: number[][] = [];
  const segments = new Int32Array(passages.length * SEGMENT_FIELDS);
  const headFields = headSegments * SEGMENT_FIELDS;
  const tailFields = oldTailSegments * SEGMENT_FIELDS;
  segments.set(oldSegments.subarray(0, headFields));
  for (let s = headSegments; s < tailSegments; s++) {
    const segment = passages[s] as Segment;
    segments[s * SEGMENT_FIELDS] = segment.text.start;
    segments[s * SEGMENT_FIELDS + 1] = segment.text.end;
    segments[s * SEGMENT_FIELDS + 2] = stretchSets[s - headSegments] as number;
  }
  const movedFields = tailSegments * SEGMENT_FIELDS;
  segments.set(oldSegments.subarray(tailFields), movedFields);
  for (let i = 0; i < segments.length; i += SEGMENT_FIELDS) {
    if (i >= movedFields) {
      segments[i] = (segments[i] as number) + delta;
      segments[i + 1] = (segments[i + 1] as number) + delta;
    }
    const set = segments[i + 2] as number;
    if (renumberSet[set] === -1) {
      renumberSet[set] = codeSets.length;
      const members =
        set < oldSets.length ? (oldSets[set] as number[]) : (addedSets[set - oldSets.length] as number[]);
      for (const at of members) meet(at);
      codeSets.push(
        sameNames && set < oldSets.length ? members : members.map((at) => renumber[at] as number),
      );
    }
    segments[i + 2] = renumberSet[set] as number;
  }

  const oldUses = previous.uses;
  const headUses = usesBefore * USE_FIELDS;
  const tailUses = (trail.tagUses[oldTailTags] ?? 0) * USE_FIELDS;
  const movedUses = headUses + stretchUses.length;
  const uses = new Int32Array(movedUses + oldUses.length - tailUses);
  uses.set(oldUses.subarray(0, headUses));
  uses.set(stretchUses, headUses);
  uses.set(oldUses.subarray(tailUses), movedUses);
  const lineDelta = lines.lineCount - trail.lineCount;
  for (let i = 0; i < uses.length; i += USE_FIELDS) {
    if (i >= movedUses) uses[i] = (uses[i] as number) + lineDelta;
    uses[i + 3] = renumber[uses[i + 3] as number] as number;
    uses[i + 4] = renumber[uses[i + 4] as number] as number;
  }

  const tagCodes = new Int32Array(tags.length + 1);
  const tagUses = new Int32Array(tags.length + 1);
  tagCodes.set(trail.tagCodes.subarray(0, headTags));
  tagUses.set(trail.tagUses.subarray(0, headTags));
  tagCodes.set(stretchTagCodes, headTags);
  tagUses.set(stretchTagUses, headTags);
  const codesShift = (headCodes + stretchCodes.length - tailCodes) / 2;
  const usesShift = (movedUses - tailUses) / USE_FIELDS;
  for (let t = tailTags, old = oldTailTags; t <= tags.length; t++, old++) {
    tagCodes[t] = (trail.tagCodes[old] ?? 0) + codesShift;
    tagUses[t] = (trail.tagUses[old] ?? 0) + usesShift;
  }

  const summary: TranscriptSummary = {
    length: transcript.text.length,
    // The front matter lies before any stretch `editTranscript` parses again.
    participant: previous.participant,
    stem: previous.stem,
    problems: summarizeProblems(transcript, copyString),
    names,
    segments,
    codeSets,
    uses,
  };
  trails.set(summary, { tagCodes, tagUses, codes, lineCount: lines.lineCount });
  return summary;
}

/** The number of coded segments a summary holds. */
export function segmentCount(summary: TranscriptSummary): number {
  return summary.segments.length / SEGMENT_FIELDS;
}

/** A copy of a string that shares no memory with the string it was cut from. */
export function copyString(text: string): string {
  // V8 cuts substrings of 13 or more characters as views into their parent; shorter ones are copies.
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}
