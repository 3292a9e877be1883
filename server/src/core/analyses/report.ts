import type { ProjectIndex } from '../projectIndex';
import { segmentCount } from '../summary';
import { findQuotes, type Quote } from './quotes';
import { flattenThemes, type ThemeNode, themeTree } from './themeTree';

export type ReportFormat = 'md' | 'json';

/** `kodkarta report`: the numbered theme table with counts, then each theme's quotes with attribution. */
export function report(index: ProjectIndex, format: ReportFormat): string {
  const tree = themeTree(index);
  const themes = flattenThemes(tree);
  const quotesByTheme = new Map<string, Quote[]>();
  for (const theme of themes) {
    // A theme's own quotes: those coded with its own codes, not with its subthemes' codes.
    const quotes = findQuotes(index, { theme: theme.number }).items.filter((q) =>
      q.themes.includes(theme.number),
    );
    quotesByTheme.set(theme.number, quotes);
  }
  const title = index.settings.title ?? 'Kodkarta report';
  const summaries = index.transcriptUris().flatMap((uri) => index.summary(uri) ?? []);
  const participants = new Set(summaries.map((s) => s.participant.id)).size;
  const segments = summaries.reduce((sum, s) => sum + segmentCount(s), 0);
  if (format === 'json') {
    return `${JSON.stringify({ title, participants, segments, themes: tree, quotes: Object.fromEntries(quotesByTheme) }, null, 2)}\n`;
  }
  const lines: string[] = [`# ${title}`, ''];
  lines.push(
    `${plural(themes.length, 'theme')}, ${plural(segments, 'coded segment')}, ${plural(participants, 'participant')}.`,
    '',
    '| No. | Theme | Coded segments | Participants |',
    '|---|---|---:|---:|',
  );
  for (const theme of themes) {
    const name = `${'&emsp;'.repeat(theme.depth)}${escapeCell(theme.name)}`;
    lines.push(`| ${theme.number} | ${name} | ${theme.segments} | ${theme.participants} |`);
  }
  for (const theme of themes) lines.push('', ...themeSection(theme, quotesByTheme.get(theme.number) ?? []));
  return `${lines.join('\n')}\n`;
}

function themeSection(theme: ThemeNode, quotes: Quote[]): string[] {
  const lines = [`${'#'.repeat(Math.min(theme.depth + 2, 6))} ${theme.number} ${theme.name}`, ''];
  lines.push(
    `*${plural(theme.segments, 'coded segment')}, ${plural(theme.participants, 'participant')}.*`,
    '',
  );
  if (theme.definition) lines.push(theme.definition, '');
  if (theme.codes.length > 0) {
    const codes = theme.codes.map((code) => `#${code.name} (${code.segments})`).join(', ');
    lines.push(`Codes: ${codes}.`, '');
  }
  for (const quote of quotes) lines.push(`> "${quote.text}" (${quote.label})`, '');
  lines.pop();
  return lines;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
