import type {
  MatrixResult,
  PanelState,
  PanelUpdate,
  ThemeNode,
  ThemeTreeResult,
} from '../../server/src/protocol';

/** Swedish order, as the server sorts: codes with equal counts keep the same order after an update. */
const swedish = new Intl.Collator('sv');

/**
 * Applies a `kodkarta/panelUpdate` answer to the theme tree and matrix the panel shows, in place, so that
 * they equal what the server would send whole. Every number in an update is absolute, so applying an
 * update to numbers that already include some of its changes is harmless. Returns false when the update
 * cannot be applied (it is incomplete, or names a participant the matrix lacks): then reload everything.
 */
export function applyPanelUpdate(tree: ThemeTreeResult, matrix: MatrixResult, update: PanelUpdate): boolean {
  if (!update.complete) return false;
  const rowOf = new Map(matrix.participants.map((participant, row) => [participant.id, row]));
  if (update.matrixRows.some((row) => !rowOf.has(row.participant))) return false;
  const themeIndex = new Map(matrix.themes.map((theme, column) => [theme.number, column]));
  if (update.matrixRows.some((row) => row.counts.length !== matrix.themes.length)) return false;

  const nodes = new Map<string, ThemeNode>();
  const listed = new Map<string, ThemeNode['codes'][number]>();
  const visit = (themes: ThemeNode[]) => {
    for (const theme of themes) {
      nodes.set(theme.number, theme);
      for (const code of theme.codes) listed.set(code.name, code);
      visit(theme.children);
    }
  };
  visit(tree.themes);

  for (const change of update.themes) {
    const node = nodes.get(change.number);
    if (!node) return false;
    node.segments = change.segments;
    node.participants = change.participants;
    node.supported = change.supported;
  }

  for (const row of update.matrixRows) {
    const index = rowOf.get(row.participant) ?? 0;
    matrix.counts[index] = row.counts;
    // A theme's participants are those with a segment in its column of the matrix.
    for (const [number, node] of nodes) {
      const column = themeIndex.get(number);
      if (column === undefined) continue;
      const has = node.participantIds.includes(row.participant);
      const supports = (row.counts[column] ?? 0) > 0;
      if (supports && !has)
        node.participantIds = sortedIds([...node.participantIds, row.participant], matrix);
      else if (!supports && has)
        node.participantIds = node.participantIds.filter((id) => id !== row.participant);
    }
  }

  const frequencies = new Map(matrix.codes.map((code) => [code.name, code]));
  const unlisted = new Map(tree.unlistedCodes.map((code) => [code.name, code]));
  for (const code of update.codes) {
    const entry = listed.get(code.name);
    if (entry) {
      entry.segments = code.segments;
      entry.participants = code.participants;
    } else if (code.segments > 0) {
      unlisted.set(code.name, { name: code.name, segments: code.segments, participants: code.participants });
    } else {
      unlisted.delete(code.name);
    }
    if (code.segments > 0) frequencies.set(code.name, code);
    else frequencies.delete(code.name);
  }
  tree.unlistedCodes = [...unlisted.values()].sort(bySegments);
  matrix.codes = [...frequencies.values()].sort(bySegments);
  if (update.cooccurrence) matrix.cooccurrence = update.cooccurrence;
  tree.project = update.project;
  tree.version = update.version;
  matrix.version = update.version;
  return true;
}

/**
 * Whether an update can change the quotes the panel lists: the selected theme's or code's numbers moved
 * (a passage came or went), a transcript a listed quote comes from changed (its text may read
 * differently), or a text search is on and any transcript changed (a passage may match it now).
 */
export function affectsQuotes(
  update: PanelUpdate,
  state: Pick<PanelState, 'selection' | 'filters'>,
  listedFrom: ReadonlySet<string>,
): boolean {
  const { selection, filters } = state;
  if (!selection?.theme && !selection?.code) return false;
  if (selection.theme && update.themes.some((theme) => theme.number === selection.theme)) return true;
  if (selection.code && update.codes.some((code) => code.name === selection.code)) return true;
  if (filters.text && update.transcripts.length > 0) return true;
  return update.transcripts.some((uri) => listedFrom.has(uri));
}

/** The version both halves are at: an update since it covers whatever either of them misses. */
export function shownVersion(tree: ThemeTreeResult | null, matrix: MatrixResult | null): number | undefined {
  if (tree?.version === undefined || matrix?.version === undefined) return undefined;
  return Math.min(tree.version, matrix.version);
}

function bySegments(a: { name: string; segments: number }, b: { name: string; segments: number }): number {
  return b.segments - a.segments || swedish.compare(a.name, b.name);
}

/** Participant ids in the matrix's order (the server's participant order). */
function sortedIds(ids: string[], matrix: MatrixResult): string[] {
  const order = new Map(matrix.participants.map((participant, row) => [participant.id, row]));
  return ids.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}
