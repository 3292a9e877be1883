import { codeCooccurrence } from '../core/analyses/cooccurrence';
import { participantThemeMatrix } from '../core/analyses/matrix';
import { findQuotes, type QuotePage, type QuoteQuery } from '../core/analyses/quotes';
import { themeTree } from '../core/analyses/themeTree';
import type { ProjectIndex } from '../core/projectIndex';
import { segmentCount } from '../core/summary';
import { fileStem } from '../core/transcript';
import type { CodeFrequency, MatrixResult, PanelUpdate, ProjectInfo, ThemeTreeResult } from '../protocol';

/** Swedish order, made once: `localeCompare(b, 'sv')` builds a collator on every call. */
const swedish = new Intl.Collator('sv');

/** Quotes a page holds at most: the panel pages through larger sets instead of receiving them whole. */
export const MAX_QUOTE_PAGE = 500;

/** Code pairs the panel receives: it shows the most frequent ones, and thousands would only weigh. */
export const MAX_CODE_PAIRS = 100;

/** The data behind the theme panel, answered from the index as it is now. */
export function projectInfo(project: ProjectIndex, indexing: boolean): ProjectInfo {
  const uris = project.transcriptUris();
  const totals = project.totals();
  const participants = new Set<string>();
  let segments = 0;
  for (const uri of uris) {
    const summary = project.summary(uri);
    if (!summary) continue;
    participants.add(summary.participant.id);
    segments += segmentCount(summary);
  }
  return {
    uri: project.rootUri,
    title: project.settings.title ?? fileStem(project.rootUri),
    transcripts: uris.length,
    participants: participants.size,
    segments,
    codes: new Set([...(project.codebook?.codes.keys() ?? []), ...totals.codes.keys()]).size,
    indexing,
  };
}

export function themeTreeResult(project: ProjectIndex, indexing: boolean): ThemeTreeResult {
  const unlistedCodes = [...project.totals().codes.entries()]
    .filter(([name]) => !project.isKnownCode(name))
    .map(([name, tally]) => ({ name, segments: tally.segments, participants: tally.participants.size }))
    .sort((a, b) => b.segments - a.segments || swedish.compare(a.name, b.name));
  return {
    project: projectInfo(project, indexing),
    version: project.version,
    themes: themeTree(project),
    unlistedCodes,
  };
}

export function quotePage(project: ProjectIndex, query: QuoteQuery): QuotePage {
  const limit = Math.min(Math.max(1, query.limit ?? 100), MAX_QUOTE_PAGE);
  return findQuotes(project, { ...query, limit });
}

export function matrixResult(project: ProjectIndex): MatrixResult {
  const codes = [...project.totals().codes.keys()]
    .map((name) => codeFrequency(project, name))
    .sort((a, b) => b.segments - a.segments || swedish.compare(a.name, b.name));
  return {
    ...participantThemeMatrix(project),
    codes,
    cooccurrence: codeCooccurrence(project, MAX_CODE_PAIRS),
    version: project.version,
  };
}

function codeFrequency(project: ProjectIndex, name: string): CodeFrequency {
  const tally = project.totals().codes.get(name);
  const theme = project.themeOf(name);
  const number = theme === undefined ? undefined : project.codebook?.themes[theme]?.number;
  return {
    name,
    ...(number ? { theme: number } : {}),
    segments: tally?.segments ?? 0,
    participants: tally?.participants.size ?? 0,
  };
}

/**
 * The panel's numbers that changed since `since`: a few themes, codes and one matrix row after an edit,
 * however large the project. Incomplete (and empty) when only a whole reload can say what changed.
 */
export function panelUpdate(project: ProjectIndex, indexing: boolean, since: number): PanelUpdate {
  const changes = project.changesSince(since);
  const update: PanelUpdate = {
    project: projectInfo(project, indexing),
    version: project.version,
    complete: changes.complete && !changes.membership && !indexing,
    themes: [],
    codes: [],
    matrixRows: [],
    transcripts: [],
  };
  if (!update.complete) return update;
  update.transcripts = project.transcriptUris().filter((uri) => (project.fileVersion(uri) ?? 0) > since);
  const codebook = project.codebook;
  const totals = project.totals();
  const minimum = project.settings.minParticipants;
  for (const index of [...changes.themes].sort((a, b) => a - b)) {
    const theme = codebook?.themes[index];
    const tally = totals.themes[index];
    if (!theme || !tally) continue;
    update.themes.push({
      number: theme.number,
      segments: tally.segments,
      participants: tally.participants.size,
      supported: tally.participants.size >= minimum && tally.segments > 0,
    });
  }
  update.codes = [...changes.codes].sort().map((name) => codeFrequency(project, name));
  const themes = codebook?.themes ?? [];
  for (const participant of [...changes.participants].sort()) {
    update.matrixRows.push({
      participant,
      counts: themes.map((theme) => totals.themes[theme.index]?.participants.get(participant) ?? 0),
    });
  }
  if (changes.pairs) update.cooccurrence = codeCooccurrence(project, MAX_CODE_PAIRS);
  return update;
}
