import type { CodeLens } from 'vscode-languageserver';
import type { ProjectIndex } from '../core/projectIndex';
import { ClientCommands } from '../protocol';
import { countsLine } from './describe';

/** Counts above every theme heading and beside every code in the codebook; a click shows the quotes. */
export function codeLenses(project: ProjectIndex, uri: string): CodeLens[] {
  const codebook = project.codebook;
  if (codebook?.uri !== uri) return [];
  const totals = project.totals();
  const lenses: CodeLens[] = [];
  for (const theme of codebook.themes) {
    const tally = totals.themes[theme.index];
    lenses.push({
      range: codebook.lines.rangeOf(theme.heading),
      command: {
        title: countsLine(tally?.segments ?? 0, tally?.participants.size ?? 0),
        command: ClientCommands.showQuotes,
        arguments: [{ project: project.rootUri, theme: theme.number }],
      },
    });
    for (const code of theme.codes) {
      const codeTally = totals.codes.get(code.name);
      lenses.push({
        range: codebook.lines.rangeOf(code.nameSpan),
        command: {
          title: countsLine(codeTally?.segments ?? 0, codeTally?.participants.size ?? 0),
          command: ClientCommands.showQuotes,
          arguments: [{ project: project.rootUri, code: code.name }],
        },
      });
    }
  }
  return lenses;
}
