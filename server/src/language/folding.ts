import { type FoldingRange, FoldingRangeKind } from 'vscode-languageserver';
import type { ProjectIndex } from '../core/projectIndex';
import { findFrontMatter } from '../core/scanner';
import type { LineIndex, Span } from '../core/text';

/** Fold front matter, speaker turns that run over several lines, and sections (transcript headings, themes). */
export function foldingRanges(project: ProjectIndex, uri: string): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const add = (lines: LineIndex, span: Span, kind?: FoldingRangeKind) => {
    const start = lines.positionAt(span.start).line;
    let end = lines.positionAt(span.end).line;
    // A section ends where the next heading starts: keep that heading visible.
    if (span.end > span.start && lines.lineStart(end) === span.end) end--;
    if (end > start) ranges.push({ startLine: start, endLine: end, ...(kind ? { kind } : {}) });
  };
  const transcript = project.transcript(uri);
  if (transcript) {
    const lines = transcript.lines;
    if (transcript.frontMatter) add(lines, transcript.frontMatter, FoldingRangeKind.Region);
    for (const turn of transcript.turns) add(lines, turn.span);
    transcript.headings.forEach((heading, i) => {
      const next = transcript.headings.slice(i + 1).find((h) => h.level <= heading.level);
      add(lines, { start: heading.span.start, end: next ? next.span.start : transcript.text.length });
    });
    return ranges;
  }
  const codebook = project.codebook;
  if (codebook?.uri !== uri) return ranges;
  const frontMatter = findFrontMatter(codebook.text);
  if (frontMatter) add(codebook.lines, frontMatter.span, FoldingRangeKind.Region);
  for (const theme of codebook.themes) add(codebook.lines, theme.section);
  return ranges;
}
