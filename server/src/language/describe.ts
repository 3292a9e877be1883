import { findQuotes } from '../core/analyses/quotes';
import type { Theme } from '../core/codebook';
import type { ProjectIndex } from '../core/projectIndex';

/** "1 Gemensamt … › 1.1 Kontraktet …": the theme and its ancestors, main theme first. */
export function themePath(project: ProjectIndex, themeIndex: number): string {
  const themes = project.codebook?.themes ?? [];
  const path: Theme[] = [];
  for (let at: number | undefined = themeIndex; at !== undefined; at = themes[at]?.parent) {
    const theme = themes[at];
    if (theme) path.unshift(theme);
  }
  return path.map((theme) => `${theme.number} ${theme.name}`).join(' › ');
}

export function countsLine(segments: number, participants: number): string {
  return `${segments} segment${segments === 1 ? '' : 's'} · ${participants} participant${participants === 1 ? '' : 's'}`;
}

/** Markdown about a code: theme path, definition, aliases, counts and, if asked, one example quote. */
export function codeDocumentation(project: ProjectIndex, code: string, options: { quote: boolean }): string {
  const entry = project.codebook?.codes.get(code)?.[0];
  const tally = project.totals().codes.get(code);
  const parts: string[] = [];
  const theme = project.themeOf(code);
  if (theme !== undefined) parts.push(`*${escapeMarkdown(themePath(project, theme))}*`);
  else if (!entry) parts.push('*Not in the codebook: an inductive code.*');
  if (entry?.definition) parts.push(escapeMarkdown(entry.definition));
  if (entry && entry.aliases.length > 0)
    parts.push(`Aliases: ${entry.aliases.map((a) => `#${a}`).join(', ')}`);
  parts.push(countsLine(tally?.segments ?? 0, tally?.participants.size ?? 0));
  if (options.quote) {
    const example = findQuotes(project, { code, limit: 1 }).items[0];
    if (example)
      parts.push(`> ${escapeMarkdown(shorten(example.text, 240))} (${escapeMarkdown(example.label)})`);
  }
  return parts.join('\n\n');
}

export function themeDocumentation(project: ProjectIndex, theme: Theme): string {
  const tally = project.totals().themes[theme.index];
  const parts = [`**${escapeMarkdown(`${theme.number} ${theme.name}`)}**`];
  if (theme.parent !== undefined) parts.push(`*${escapeMarkdown(themePath(project, theme.parent))}*`);
  if (theme.definition) parts.push(escapeMarkdown(theme.definition));
  parts.push(countsLine(tally?.segments ?? 0, tally?.participants.size ?? 0));
  if (theme.codes.length > 0) parts.push(`Codes: ${theme.codes.map((c) => `#${c.name}`).join(', ')}`);
  return parts.join('\n\n');
}

export function shorten(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1).trimEnd()}…`;
}

/** Transcript text is data: escape what Markdown (and the HTML it allows) would interpret. */
export function escapeMarkdown(text: string): string {
  // `~` too: GFM reads `~~text~~` as strikethrough and `~~~` as a code fence.
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (char) => `\\${char}`);
}
