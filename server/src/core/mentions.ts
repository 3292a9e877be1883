import { normalizeCode } from './codeNames';
import type { Span } from './text';

/** `#code` written in prose (memos, definitions): a cross-reference, not a coding. */
export interface CodeMention {
  name: string;
  raw: string;
  span: Span;
}

// A mention starts after a line start, space or opening punctuation, so "#1" in "nr #1" still counts
// but Markdown headings ("# Title", with a space) and URLs with fragments ("page#part") do not.
const mentionPattern = /(^|[\s(,;:"'“‘])#([\p{L}\p{N}\p{M}_\-/]*[\p{L}\p{N}\p{M}_-])/gu;

export function findMentions(text: string, region: Span = { start: 0, end: text.length }): CodeMention[] {
  const mentions: CodeMention[] = [];
  const source = text.slice(region.start, region.end);
  for (const match of source.matchAll(mentionPattern)) {
    const start = region.start + (match.index ?? 0) + (match[1]?.length ?? 0);
    const raw = match[2] ?? '';
    mentions.push({ name: normalizeCode(raw), raw, span: { start, end: start + 1 + raw.length } });
  }
  return mentions;
}
