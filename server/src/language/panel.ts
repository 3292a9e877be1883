import { codeCooccurrence } from '../core/analyses/cooccurrence';
import { participantThemeMatrix } from '../core/analyses/matrix';
import { findQuotes, type QuotePage, type QuoteQuery } from '../core/analyses/quotes';
import { themeTree } from '../core/analyses/themeTree';
import type { ProjectIndex } from '../core/projectIndex';
import { fileStem } from '../core/transcript';
import type { MatrixResult, ProjectInfo, ThemeTreeResult } from '../protocol';

/** Quotes a page holds at most: the panel pages through larger sets instead of receiving them whole. */
export const MAX_QUOTE_PAGE = 500;

/** The data behind the theme panel, answered from the index as it is now. */
export function projectInfo(project: ProjectIndex, indexing: boolean): ProjectInfo {
  const transcripts = project.transcripts();
  const totals = project.totals();
  return {
    uri: project.rootUri,
    title: project.settings.title ?? fileStem(project.rootUri),
    transcripts: transcripts.length,
    participants: new Set(transcripts.map((t) => t.participant.id)).size,
    segments: transcripts.reduce((sum, t) => sum + t.segments.length, 0),
    codes: new Set([...(project.codebook?.codes.keys() ?? []), ...totals.codes.keys()]).size,
    indexing,
  };
}

export function themeTreeResult(project: ProjectIndex, indexing: boolean): ThemeTreeResult {
  const unlistedCodes = [...project.totals().codes.entries()]
    .filter(([name]) => !project.isKnownCode(name))
    .map(([name, tally]) => ({ name, segments: tally.segments, participants: tally.participants.size }))
    .sort((a, b) => b.segments - a.segments || a.name.localeCompare(b.name, 'sv'));
  return { project: projectInfo(project, indexing), themes: themeTree(project), unlistedCodes };
}

export function quotePage(project: ProjectIndex, query: QuoteQuery): QuotePage {
  const limit = Math.min(Math.max(1, query.limit ?? 100), MAX_QUOTE_PAGE);
  return findQuotes(project, { ...query, limit });
}

export function matrixResult(project: ProjectIndex): MatrixResult {
  const codes = [...project.totals().codes.entries()]
    .map(([name, tally]) => {
      const theme = project.themeOf(name);
      const number = theme === undefined ? undefined : project.codebook?.themes[theme]?.number;
      return {
        name,
        ...(number ? { theme: number } : {}),
        segments: tally.segments,
        participants: tally.participants.size,
      };
    })
    .sort((a, b) => b.segments - a.segments || a.name.localeCompare(b.name, 'sv'));
  return { ...participantThemeMatrix(project), codes, cooccurrence: codeCooccurrence(project) };
}
