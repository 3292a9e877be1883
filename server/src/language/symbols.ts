import { type DocumentSymbol, SymbolKind, type WorkspaceSymbol } from 'vscode-languageserver';
import { foldCode } from '../core/codeNames';
import type { ProjectIndex } from '../core/projectIndex';
import type { Span } from '../core/text';
import { plainText, quoteText } from '../core/transcript';
import { shorten } from './describe';

/**
 * Outline of a document. A transcript: its headings, speaker turns, and the coded segments in each
 * turn. The codebook: the theme hierarchy with each theme's codes.
 */
export function documentSymbols(project: ProjectIndex, uri: string): DocumentSymbol[] {
  const transcript = project.transcript(uri);
  if (transcript) {
    const lines = transcript.lines;
    const symbol = (
      name: string,
      kind: SymbolKind,
      span: Span,
      selection: Span,
      detail?: string,
    ): DocumentSymbol => ({
      name: name || '…',
      kind,
      range: lines.rangeOf(span),
      selectionRange: lines.rangeOf(selection),
      ...(detail ? { detail } : {}),
      children: [],
    });
    const top: DocumentSymbol[] = transcript.headings.map((h) =>
      symbol(transcript.text.slice(h.text.start, h.text.end), SymbolKind.Namespace, h.span, h.text),
    );
    const turns = transcript.turns.map((turn) => {
      const preview = shorten(
        plainText(transcript, { start: turn.label.end, end: turn.span.end }).trim().replace(/\s+/g, ' '),
        60,
      );
      return {
        turn,
        symbol: symbol(
          `${turn.speaker}: ${preview}`,
          SymbolKind.Event,
          turn.span,
          turn.label,
          turn.speakerName,
        ),
      };
    });
    let turnAt = 0;
    for (const segment of transcript.segments) {
      const codes = [...new Set(segment.codes.map((c) => `#${c.name}`))].join(' ');
      const child = symbol(
        codes,
        SymbolKind.Key,
        segment.span,
        segment.tags[0]?.span ?? segment.span,
        shorten(quoteText(transcript, segment), 80),
      );
      while (
        turnAt + 1 < turns.length &&
        (turns[turnAt + 1]?.turn.span.start ?? Infinity) <= segment.span.start
      )
        turnAt++;
      const owner = turns[turnAt];
      if (owner && segment.span.start >= owner.turn.span.start && segment.span.end <= owner.turn.span.end) {
        owner.symbol.children?.push(child);
      } else top.push(child);
    }
    return [...top, ...turns.map((t) => t.symbol)].sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
  }
  const codebook = project.codebook;
  if (codebook?.uri !== uri) return [];
  const lines = codebook.lines;
  const build = (index: number): DocumentSymbol[] => {
    const theme = codebook.themes[index];
    if (!theme) return [];
    return [
      {
        name: `${theme.number} ${theme.name}`,
        kind: SymbolKind.Namespace,
        range: lines.rangeOf(theme.section),
        selectionRange: lines.rangeOf(theme.nameSpan),
        children: [
          ...theme.codes.map((code) => ({
            name: `#${code.name}`,
            kind: SymbolKind.Constant,
            range: lines.rangeOf(code.item),
            selectionRange: lines.rangeOf(code.nameSpan),
            ...(code.definition ? { detail: shorten(code.definition, 80) } : {}),
          })),
          ...theme.children.flatMap(build),
        ],
      },
    ];
  };
  return codebook.themes.filter((t) => t.parent === undefined).flatMap((t) => build(t.index));
}

/** Codes and themes of every project whose name matches the query (letters in order, case and accents ignored). */
export function workspaceSymbols(projects: readonly ProjectIndex[], query: string): WorkspaceSymbol[] {
  const wanted = foldCode(query.replace(/^#/, ''));
  const matches = (name: string) => {
    const folded = foldCode(name);
    let at = 0;
    for (const char of wanted) {
      at = folded.indexOf(char, at);
      if (at === -1) return false;
      at += char.length;
    }
    return true;
  };
  const symbols: WorkspaceSymbol[] = [];
  for (const project of projects) {
    const codebook = project.codebook;
    if (!codebook) continue;
    for (const theme of codebook.themes) {
      if (!matches(`${theme.number} ${theme.name}`)) continue;
      symbols.push({
        name: `${theme.number} ${theme.name}`,
        kind: SymbolKind.Namespace,
        location: { uri: codebook.uri, range: codebook.lines.rangeOf(theme.nameSpan) },
      });
    }
    for (const [name, entries] of codebook.codes) {
      const entry = entries[0];
      if (!entry || !matches(name)) continue;
      const theme = entry.theme === undefined ? undefined : codebook.themes[entry.theme];
      symbols.push({
        name: `#${name}`,
        kind: SymbolKind.Constant,
        location: { uri: codebook.uri, range: codebook.lines.rangeOf(entry.nameSpan) },
        ...(theme ? { containerName: `${theme.number} ${theme.name}` } : {}),
      });
    }
  }
  return symbols;
}
