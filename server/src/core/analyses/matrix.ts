import type { ProjectIndex } from '../projectIndex';
import type { AttributeValue } from '../transcript';
import { sortParticipants } from './themeTree';

export interface MatrixParticipant {
  id: string;
  label: string;
  attributes: Record<string, AttributeValue>;
}

export interface ParticipantThemeMatrix {
  participants: MatrixParticipant[];
  themes: { number: string; name: string; depth: number }[];
  /** counts[p][t]: segments of participant p that support theme t (rolled up like the theme tree). */
  counts: number[][];
}

/** Which participant supports which theme: answers "did every respondent raise every theme?". */
export function participantThemeMatrix(index: ProjectIndex): ParticipantThemeMatrix {
  const byId = new Map<string, MatrixParticipant>();
  for (const uri of index.transcriptUris()) {
    const participant = index.summary(uri)?.participant;
    if (!participant) continue;
    const { id, label, attributes } = participant;
    if (!byId.has(id)) byId.set(id, { id, label, attributes });
  }
  const ids = sortParticipants([...byId.keys()]);
  const themes = index.codebook?.themes ?? [];
  const totals = index.totals();
  return {
    participants: ids.map((id) => byId.get(id) ?? { id, label: id, attributes: {} }),
    themes: themes.map((theme) => ({ number: theme.number, name: theme.name, depth: theme.depth })),
    counts: ids.map((id) => themes.map((theme) => totals.themes[theme.index]?.participants.get(id) ?? 0)),
  };
}
