import type { CodeEntry, Theme } from '../codebook';
import type { ProjectIndex, Tally } from '../projectIndex';
import type { Range } from '../text';
import { compareParticipants } from './participants';

export interface CodeSummary {
  name: string;
  definition: string;
  aliases: string[];
  /** Number of the theme the code is listed under. */
  theme: string;
  segments: number;
  participants: number;
  range: Range;
}

export interface ThemeNode {
  number: string;
  name: string;
  definition: string;
  depth: number;
  /** Coded segments with a code of this theme or of a theme below it; a segment counts once. */
  segments: number;
  /** Distinct participants among those segments. */
  participants: number;
  participantIds: string[];
  /** Whether the theme reaches the codebook's min_participants. */
  supported: boolean;
  codes: CodeSummary[];
  children: ThemeNode[];
  range: Range;
}

/** The codebook's themes as a tree, with counts rolled up from codes to themes. */
export function themeTree(index: ProjectIndex): ThemeNode[] {
  const codebook = index.codebook;
  if (!codebook) return [];
  const totals = index.totals();
  const minimum = codebook.settings.minParticipants;
  const node = (theme: Theme): ThemeNode => {
    const tally = totals.themes[theme.index] ?? { segments: 0, participants: new Map() };
    return {
      number: theme.number,
      name: theme.name,
      definition: theme.definition,
      depth: theme.depth,
      segments: tally.segments,
      participants: tally.participants.size,
      participantIds: index.participantIds(tally),
      supported: tally.participants.size >= minimum && tally.segments > 0,
      codes: theme.codes.map((entry) =>
        codeSummary(entry, theme, totals.codes.get(entry.name), codebook.lines),
      ),
      children: theme.children.flatMap((child) => {
        const childTheme = codebook.themes[child];
        return childTheme ? [node(childTheme)] : [];
      }),
      range: codebook.lines.rangeOf(theme.heading),
    };
  };
  return codebook.themes.filter((theme) => theme.parent === undefined).map(node);
}

function codeSummary(
  entry: CodeEntry,
  theme: Theme,
  tally: Tally | undefined,
  lines: { rangeOf: (span: { start: number; end: number }) => Range },
): CodeSummary {
  return {
    name: entry.name,
    definition: entry.definition,
    aliases: entry.aliases,
    theme: theme.number,
    segments: tally?.segments ?? 0,
    participants: tally?.participants.size ?? 0,
    range: lines.rangeOf(entry.nameSpan),
  };
}

/** Depth-first list of a tree's nodes, parents before children. */
export function flattenThemes(nodes: ThemeNode[]): ThemeNode[] {
  const out: ThemeNode[] = [];
  const visit = (list: ThemeNode[]) => {
    for (const node of list) {
      out.push(node);
      visit(node.children);
    }
  };
  visit(nodes);
  return out;
}

/** Participants in natural order: R2 before R10 (and "R2" before "r2", whichever came first). */
export function sortParticipants(ids: string[]): string[] {
  return ids.sort(compareParticipants);
}
