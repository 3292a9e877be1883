import { readFileSync } from 'node:fs';
import { type Range, TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from '../server/src/core/transcript';

/** Small statistics and text helpers shared by the benchmarks. */

export function median(values: number[]): number {
  return quantile(values, 0.5);
}

export function p95(values: number[]): number {
  return quantile(values, 0.95);
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (at - low);
}

/** Milliseconds `work` takes. */
export function time(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

/** B_read: read and UTF-8 decode every file of the corpus. */
export function readCorpus(paths: string[]): number {
  const decoder = new TextDecoder();
  let chars = 0;
  for (const path of paths) chars += decoder.decode(readFileSync(path)).length;
  return chars;
}

/** B_scan: one line-by-line regex pass over a transcript for tag-like patterns. */
export function regexScan(text: string): number {
  const pattern = /\]\{[^}\n]*\}|\{<?#[^}\n]*\}/g;
  let count = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    pattern.lastIndex = 0;
    while (pattern.exec(line)) count++;
    start = end + 1;
  }
  return count;
}

/** One keystroke: replace [start, end) of the current text with `text`. */
export type Keystroke = TextEdit;

/**
 * A stretch of realistic typing at `at` (a sentence start in prose): a few words, then a passage coded
 * by hand, bracket, text, `]{#`, the code's name letter by letter and `}`, then a word typed and taken
 * back with backspace. Returns the keystrokes in order, each against the text as it is by then.
 */
export function typingSession(at: number, code: string): Keystroke[] {
  const keys: Keystroke[] = [];
  let cursor = at;
  const type = (text: string) => {
    for (const char of text) {
      keys.push({ start: cursor, end: cursor, text: char });
      cursor += char.length;
    }
  };
  type('Och sen så vidare. ');
  type('[Vi pratade om det');
  type(`]{#${code}} `);
  type('ja');
  for (let i = 0; i < 2; i++) {
    keys.push({ start: cursor - 1, end: cursor, text: '' });
    cursor--;
  }
  return keys;
}

/** Sentence starts in respondents' turns, spread over the text: places to type at. */
export function typingPlaces(text: string, count: number): number[] {
  const candidates: number[] = [];
  const pattern = /\*\*R\d+:\*\* [^[\]{}\n]*?\. (?=[A-ZÅÄÖ])/g;
  for (const match of text.matchAll(pattern)) candidates.push((match.index ?? 0) + match[0].length);
  const places: number[] = [];
  for (let i = 0; i < count && candidates.length > 0; i++) {
    places.push(candidates[Math.floor(((i + 0.5) * candidates.length) / count)] as number);
  }
  return places;
}

/** Applies a keystroke to a text document as an editor does, and gives the LSP change for it. */
export function applyKeystroke(
  document: TextDocument,
  key: Keystroke,
): { document: TextDocument; change: { range: Range; text: string } } {
  const range = { start: document.positionAt(key.start), end: document.positionAt(key.end) };
  const change = { range, text: key.text };
  return { document: TextDocument.update(document, [change], document.version + 1), change };
}
