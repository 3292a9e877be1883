import {
  type Codeline,
  codeline,
  type SequenceResult,
  selectorLabel,
  sequence,
  type TranscriptCodeline,
} from '../core/agreement';
import { loadProject, ProjectLoadError } from '../node/loadProject';
import { percent, plural, table } from './agreement';
import type { Io } from './main';
import { type Command, parseCommandLine, usageError, valueError, wholeNumber } from './options';

export const codelineUsage = `Usage:
  kodkarta codeline [dir] [--json]
  kodkarta codeline [dir] --follows A --then B [--within N] [--json]

Without --follows: each transcript's coded segments in order along its turns (paragraphs when it has
no speaker turns), as a grid of codes by turn and as a list. With --follows and --then: how often a
passage coded A is followed by one coded B within N turns (default 1: the same or the next turn), per
transcript and overall. A and B are codes (#code or code) or theme numbers (2, 2.1: every code of the
theme and of the themes below it).
`;

const kodkartaCodeline: Command = { name: 'kodkarta', usage: codelineUsage };

/** `kodkarta codeline …`; `argv` starts after the command name. */
export async function runCodeline(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandLine(argv, io, kodkartaCodeline, {
    follows: { type: 'string' },
    // biome-ignore lint/suspicious/noThenProperty: the option is --then, as in "A, then B"; never awaited.
    then: { type: 'string' },
    within: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    return usageError(io, kodkartaCodeline, `unexpected argument "${positionals[1]}"`);
  }
  const querying = values.follows !== undefined || values.then !== undefined || values.within !== undefined;
  if (querying && (values.follows === undefined || values.then === undefined)) {
    return usageError(io, kodkartaCodeline, 'the sequence query needs both --follows A and --then B');
  }
  const within = values.within === undefined ? 1 : wholeNumber(values.within);
  if (within === undefined) {
    return valueError(
      io,
      kodkartaCodeline,
      `--within must be a whole number of turns (0 or more), not "${values.within}"`,
    );
  }
  let line: Codeline;
  try {
    const project = await loadProject(positionals[0] ?? '.', io.cwd);
    line = codeline(project.index);
  } catch (error) {
    if (error instanceof ProjectLoadError) {
      io.err(`kodkarta: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (querying) {
    const result = sequence(line, { a: values.follows ?? '', b: values.then ?? '', within });
    io.out(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatSequence(result));
    return 0;
  }
  io.out(values.json ? `${JSON.stringify(line, null, 2)}\n` : formatCodeline(line));
  return 0;
}

/** Each transcript as a grid (a row per code, a column per turn) followed by its segments in order. */
export function formatCodeline(line: Codeline): string {
  const out: string[] = [];
  for (const transcript of line.transcripts) {
    out.push(...transcriptLines(transcript, line), '');
  }
  if (line.transcripts.length === 0) out.push('No transcripts.');
  return `${out.join('\n').trimEnd()}\n`;
}

function transcriptLines(transcript: TranscriptCodeline, line: Codeline): string[] {
  const steps = transcript.steps.length;
  const stepName = transcript.axis === 'turn' ? 'turn' : 'paragraph';
  const out = [
    `${transcript.path} · ${transcript.label} · ${plural(steps, stepName)}, ${plural(transcript.segments.length, 'coded segment')}`,
  ];
  const used = line.codes.filter((code) => transcript.segments.some((s) => s.codes.includes(code.name)));
  if (used.length === 0) return out;
  const labels = used.map((code) => `#${code.name}`);
  const width = Math.max(...labels.map((label) => label.length));
  // A scale with a mark at every tenth step, numbered from 1 as people count turns.
  let scale = '';
  for (let i = 0; i < steps; i++) scale += (i + 1) % 10 === 0 ? '|' : (i + 1) % 5 === 0 ? ':' : ' ';
  out.push(`  ${''.padEnd(width)}  ${scale.trimEnd()}`);
  used.forEach((code, row) => {
    const marks = new Array<string>(steps).fill('·');
    for (const segment of transcript.segments) {
      if (!segment.codes.includes(code.name)) continue;
      for (let step = segment.from; step <= segment.to; step++) marks[step] = '█';
    }
    out.push(`  ${(labels[row] ?? '').padEnd(width)}  ${marks.join('')}`);
  });
  out.push('');
  // Turns are numbered as people count them, from 1; a paragraph outside every turn by its step.
  const stepLabel = (index: number) => {
    const step = transcript.steps[index];
    return transcript.axis === 'turn' && step?.turn !== undefined ? String(step.turn + 1) : `(${index + 1})`;
  };
  const rows = transcript.segments.map((segment) => [
    segment.from === segment.to
      ? stepLabel(segment.from)
      : `${stepLabel(segment.from)}–${stepLabel(segment.to)}`,
    segment.speaker ?? '',
    segment.codes.map((code) => `#${code}`).join(' '),
    `${segment.range.start.line + 1}`,
    `“${shorten(segment.text, 60)}”`,
  ]);
  const header = [stepName, 'speaker', 'codes', 'line', 'text'];
  const lines = table(header, rows, undefined, 5).map((text) => `  ${text}`);
  out.push(...lines);
  return out;
}

export function formatSequence(result: SequenceResult): string {
  const turns = result.within === 1 ? 'turn' : 'turns';
  const out = [
    `${selectorLabel(result.a)} followed by ${selectorLabel(result.b)} within ${result.within} ${turns}`,
    '',
  ];
  const lagHeadings = result.overall.lags.map((_, lag) => `lag ${lag}`);
  const header = ['transcript', 'A', 'followed', 'share', ...lagHeadings, 'B'];
  const row = (name: string, counts: SequenceResult['overall']) => [
    name,
    String(counts.occurrences),
    String(counts.followed),
    percent(counts.share),
    ...counts.lags.map(String),
    String(counts.thenOccurrences),
  ];
  out.push(
    ...table(
      header,
      result.transcripts.map((t) => row(t.path, t)),
      row('all transcripts', result.overall),
      1,
    ),
  );
  out.push(
    '',
    `A: passages coded ${selectorLabel(result.a)}; followed: those a passage coded ${selectorLabel(result.b)} follows within ${result.within} ${turns};`,
    `lag k: the nearest such passage starts k turns after A's last turn; B: passages coded ${selectorLabel(result.b)}.`,
  );
  return `${out.join('\n')}\n`;
}

function shorten(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1).trimEnd()}…`;
}
