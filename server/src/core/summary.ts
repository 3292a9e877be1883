import type { RuleId } from './findings';
import type { Range } from './text';
import { fileStem, type Participant, type Transcript } from './transcript';

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
  let useCount = 0;
  for (const tag of transcript.tags) if (tag.kind !== 'close') useCount += tag.codes.length;
  const uses = new Int32Array(useCount * USE_FIELDS);
  // Tags come in text order: one walk down the lines finds every code's line.
  let line = 0;
  let nextLineStart = lines.lineCount > 1 ? lines.lineStart(1) : Number.POSITIVE_INFINITY;
  let u = 0;
  for (const tag of transcript.tags) {
    for (const code of tag.codes) {
      const name = indexOf(code.name);
      const raw = code.raw === code.name ? name : indexOf(code.raw);
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
  return {
    length: transcript.text.length,
    participant: {
      id: copy(participant.id),
      label: copy(participant.label),
      attributes,
      declared: participant.declared,
    },
    stem: copy(fileStem(transcript.uri)),
    problems: transcript.problems.map((problem) => ({
      rule: problem.rule,
      message: copy(problem.message),
      range: lines.rangeOf(problem.span),
    })),
    names,
    segments,
    codeSets,
    uses,
  };
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
