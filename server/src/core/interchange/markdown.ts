import { stringify } from 'yaml';
import { normalizeCode } from '../codeNames';
import { parseTranscript } from '../transcript';
import { arrangePassages, writePassages } from './arrange';
import { codePointPositions, exportedText } from './exportText';
import {
  MEMO_FOLDER,
  type Study,
  type StudyCode,
  type StudyPassage,
  type StudyTranscript,
  TRANSCRIPT_FOLDER,
} from './model';

/**
 * A study as Kodkarta Markdown: `codebook.md` with the code hierarchy, one transcript per source with
 * its passages coded inline, and memos. Every transcript is read back with the real parser and
 * exported again in memory to check that it says exactly what was meant; what cannot be said is
 * reported, never dropped silently.
 */

export interface PlannedFile {
  /** Relative to the project folder, `/` between folders. */
  path: string;
  text: string;
}

export interface MarkdownResult {
  files: PlannedFile[];
  warnings: string[];
}

/** Markdown heading levels stop at six. */
const MAX_LEVEL = 6;

export function studyToMarkdown(study: Study): MarkdownResult {
  const warnings: string[] = [];
  const files: PlannedFile[] = [];
  const paths = new UniquePaths();
  files.push({ path: 'codebook.md', text: codebookMarkdown(study, warnings) });
  paths.claim('codebook.md');
  for (const transcript of study.transcripts) {
    const path = paths.claim(`${TRANSCRIPT_FOLDER}/${safePath(transcript.name)}.md`);
    files.push({ path, text: transcriptMarkdown(transcript, path, warnings) });
  }
  for (const memo of study.memos) {
    const path = paths.claim(`${MEMO_FOLDER}/${safePath(memo.name)}.md`);
    files.push({ path, text: memo.text });
  }
  return { files, warnings };
}

// ---------------------------------------------------------------------------------------------------
// codebook.md

export function codebookMarkdown(study: Study, warnings: string[] = []): string {
  const front: Record<string, unknown> = { title: study.title };
  if (study.description) front.description = study.description;
  if (study.transcripts.length > 0) front.transcripts = `${TRANSCRIPT_FOLDER}/**/*.md`;
  const lines: string[] = [`---\n${yaml(front)}---`, ''];

  const loose = study.codes.filter((code) => code.codable && code.children.length === 0);
  if (loose.length > 0) {
    for (const code of loose) lines.push(codeItem(code));
    lines.push('');
  }
  const themes = study.codes.filter((code) => !code.codable || code.children.length > 0);
  themes.forEach((theme, i) => {
    writeTheme(theme, String(i + 1), 1);
  });
  while (lines[lines.length - 1] === '') lines.pop();
  return `${lines.join('\n')}\n`;

  function writeTheme(theme: StudyCode, number: string, level: number): void {
    const name = theme.codable ? (theme.displayName ?? theme.name) : theme.name;
    lines.push(`${'#'.repeat(level)} ${number} ${headingName(name, number)}`, '');
    if (!theme.codable && theme.description.trim()) lines.push(definitionBlock(theme.description), '');
    const codes = theme.codable ? [theme] : [];
    const subthemes: StudyCode[] = [];
    const collect = (children: StudyCode[], depthLeft: boolean) => {
      for (const child of children) {
        if (child.codable && child.children.length === 0) codes.push(child);
        else if (depthLeft) subthemes.push(child);
        else {
          // Below the sixth level: the folder's codes join this theme.
          warnings.push(
            `"${child.displayName ?? child.name}" lies deeper than ${MAX_LEVEL} levels: its codes are listed under "${name}"`,
          );
          if (child.codable) codes.push(child);
          collect(child.children, false);
        }
      }
    };
    collect(theme.children, level < MAX_LEVEL);
    if (codes.length > 0) {
      for (const code of codes) lines.push(codeItem(code));
      lines.push('');
    }
    subthemes.forEach((sub, i) => {
      writeTheme(sub, `${number}.${i + 1}`, level + 1);
    });
  }
}

/** A theme's name for its heading: a number it already carries is dropped when it is the place's number. */
function headingName(name: string, number: string): string {
  const flat = name.replace(/\s+/g, ' ').trim() || 'Theme';
  const match = /^(\d+(?:\.\d+)*)\.?\s+(.+)$/.exec(flat);
  const bare = match && match[1] === number ? (match[2] ?? flat) : flat;
  // A closing run of # would be read as the end of the heading, not part of its name.
  return bare.replace(/(\s)(#+)$/, '$1\\$2');
}

function codeItem(code: StudyCode): string {
  const description = code.description.replace(/\s+/g, ' ').trim();
  return description ? `- #${code.name}: ${description}` : `- #${code.name}`;
}

/** A definition as paragraphs that cannot turn into headings or codes. */
function definitionBlock(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').trim().split('\n');
  return lines
    .map((line, i) => {
      if (/^\s{0,3}#{1,6}(\s|$)/.test(line)) return line.replace('#', '\\#');
      if (/^\s{0,3}([-*+]|\d{1,9}[.)])\s+#[^\s#]/.test(line)) return line.replace('#', '\\#');
      const previous = lines[i - 1];
      if (/^\s{0,3}(=+|-+)\s*$/.test(line) && previous !== undefined && previous.trim() !== '')
        return `\\${line.trimStart()}`;
      return line;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------
// transcripts

export function transcriptMarkdown(
  transcript: StudyTranscript,
  path: string,
  warnings: string[] = [],
): string {
  const { text, passages } = withoutLeadingBlankLines(transcript);
  const front: Record<string, unknown> = {};
  if (transcript.participant !== undefined) front.participant = transcript.participant;
  if (transcript.label !== undefined && transcript.label !== transcript.participant)
    front.label = transcript.label;
  if (transcript.attributes.length > 0) front.attributes = Object.fromEntries(transcript.attributes);
  const head =
    Object.keys(front).length > 0
      ? `---\n${yaml(front)}---\n\n`
      : /^---[ \t]*(\n|$)/.test(text)
        ? '---\n---\n\n'
        : '';

  const skip = new Set<number>();
  const markers = new Set<number>();
  const position = codePointPositions(text);
  const wanted = passages.map((passage) => passageKey(position, passage));
  for (let attempt = 0; ; attempt++) {
    const arrangement = arrangePassages(passages, skip, markers);
    for (const index of arrangement.dropped) skip.add(index);
    const markdown = head + writePassages(text, passages, arrangement.forms);
    const check = readBack(markdown);
    const missing = wanted.flatMap((key, i) => (skip.has(i) || check.keys.has(key) ? [] : [i]));
    if (missing.length === 0 || attempt >= 8) {
      for (const index of [...skip, ...missing].sort((a, b) => a - b)) {
        const passage = passages[index];
        if (passage)
          warnings.push(
            `${path}: ${passageLabel(text, passage)} could not be written as Kodkarta markup and was left out`,
          );
      }
      const extra = [...check.keys].filter((key) => !wanted.includes(key)).length;
      if (extra > 0) {
        warnings.push(
          `${path}: the text itself contains tag syntax that Kodkarta reads as ${extra} more coded passage${extra === 1 ? '' : 's'}`,
        );
      }
      if (check.text !== text)
        warnings.push(`${path}: the text contains tag syntax, which Kodkarta does not count as text`);
      return markdown;
    }
    // Markup that the text around it swallows (an unbalanced bracket, a backslash, inline code): a
    // bracket is tried again as markers, markers that fail too are left out.
    for (const index of missing) {
      if (arrangement.forms[index] === 'bracket') markers.add(index);
      else skip.add(index);
    }
  }
}

function withoutLeadingBlankLines(transcript: StudyTranscript): { text: string; passages: StudyPassage[] } {
  let leading = 0;
  while (transcript.text.charCodeAt(leading) === 10) leading++;
  if (leading === 0) return transcript;
  return {
    text: transcript.text.slice(leading),
    passages: transcript.passages
      .map((p) => ({ ...p, start: Math.max(0, p.start - leading), end: Math.max(0, p.end - leading) }))
      .filter((p) => p.end > p.start),
  };
}

function passageKey(position: (offset: number) => number, passage: StudyPassage): string {
  const codes = passage.codes.map(normalizeCode).join(' ');
  return `${position(passage.start)}:${position(passage.end)}:${codes}:${passage.note ?? ''}`;
}

function readBack(markdown: string): { keys: Set<string>; text: string } {
  const transcript = parseTranscript('file:///check/transcript.md', markdown);
  const exported = exportedText(transcript);
  const keys = new Set<string>();
  for (const segment of transcript.segments) {
    const codes = segment.codes.map((code) => code.name).join(' ');
    keys.add(
      `${exported.position(segment.text.start)}:${exported.position(segment.text.end)}:${codes}:${segment.note?.text ?? ''}`,
    );
  }
  return { keys, text: exported.text };
}

function passageLabel(text: string, passage: StudyPassage): string {
  const quote = text.slice(passage.start, passage.end).replace(/\s+/g, ' ').trim();
  const short = [...quote].length > 40 ? `${[...quote].slice(0, 40).join('')}…` : quote;
  return `the coding ${passage.codes.map((c) => `#${c}`).join(' ')} of "${short}"`;
}

// ---------------------------------------------------------------------------------------------------
// names and paths

function yaml(value: Record<string, unknown>): string {
  return stringify(value, { lineWidth: 0 });
}

const reservedNames = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** One file or folder name that is safe on every system: no separators, controls, or reserved names. */
export function safeSegment(name: string): string {
  let safe = name
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if ([...safe].length > 100) safe = [...safe].slice(0, 100).join('').trim();
  if (safe === '') safe = 'untitled';
  if (reservedNames.test(safe)) safe = `${safe}_`;
  return safe;
}

/** A relative path from a name that may hold `/`: each part made safe, `.` and `..` parts dropped. */
export function safePath(name: string): string {
  const parts = name
    .split(/[/\\]+/)
    .filter((part) => part.trim() !== '' && part !== '.' && part !== '..')
    .map(safeSegment);
  return parts.length > 0 ? parts.join('/') : 'untitled';
}

/** Hands out paths that differ from each other also on case-insensitive file systems. */
class UniquePaths {
  private readonly taken = new Set<string>();

  claim(path: string): string {
    let candidate = path;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n++) {
      candidate = path.replace(/(\.md)?$/, `-${n}$1`);
    }
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}
