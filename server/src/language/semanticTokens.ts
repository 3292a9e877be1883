import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { ProjectIndex } from '../core/projectIndex';
import type { LineIndex, Span } from '../core/text';

/** Main themes get colours in turn; a study rarely has more main themes than this. */
const THEME_COLOURS = 8;

/**
 * Codes coloured by their main theme: `kodkartaCode` with the modifier `theme1` … `theme8`, and
 * `kodkartaUnknownCode` for codes no theme lists. `kodkartaPassageBracket` marks the `[` of a passage
 * that ends on a later line, which the TextMate grammar cannot see (it reads one line at a time).
 * The client maps them to scopes (package.json).
 */
export const semanticTokensLegend: SemanticTokensLegend = {
  tokenTypes: ['kodkartaCode', 'kodkartaUnknownCode', 'kodkartaPassageBracket'],
  tokenModifiers: Array.from({ length: THEME_COLOURS }, (_, i) => `theme${i + 1}`),
};

export function semanticTokens(project: ProjectIndex, uri: string): SemanticTokens {
  const transcript = project.transcript(uri);
  const codebook = project.codebook;
  const spans: { span: Span; name?: string }[] = [];
  let lines: LineIndex | undefined;
  if (transcript) {
    lines = transcript.lines;
    for (const tag of transcript.tags)
      for (const code of tag.codes) spans.push({ span: code.span, name: code.name });
    const before = spans.length;
    for (const segment of transcript.segments) {
      const open = segment.span.start;
      if (segment.kind === 'span' && lines.positionAt(open).line !== lines.positionAt(segment.text.end).line)
        spans.push({ span: { start: open, end: open + 1 } });
    }
    if (spans.length > before) spans.sort((a, b) => a.span.start - b.span.start);
  } else if (codebook?.uri === uri) {
    lines = codebook.lines;
    for (const entries of codebook.codes.values())
      for (const e of entries) spans.push({ span: e.nameSpan, name: e.name });
    for (const mention of codebook.mentions) spans.push({ span: mention.span, name: mention.name });
    spans.sort((a, b) => a.span.start - b.span.start);
  }
  if (!lines) return { data: [] };
  const data: number[] = [];
  let previousLine = 0;
  let previousCharacter = 0;
  for (const { span, name } of spans) {
    const start = lines.positionAt(span.start);
    const end = lines.positionAt(span.end);
    if (end.line !== start.line) continue;
    const mainTheme = name === undefined ? undefined : mainThemeOf(project, project.resolveCode(name));
    const type = name === undefined ? 2 : mainTheme === undefined ? 1 : 0;
    const modifiers = mainTheme === undefined ? 0 : 1 << (mainTheme % THEME_COLOURS);
    const deltaLine = start.line - previousLine;
    data.push(
      deltaLine,
      deltaLine === 0 ? start.character - previousCharacter : start.character,
      end.character - start.character,
      type,
      modifiers,
    );
    previousLine = start.line;
    previousCharacter = start.character;
  }
  return { data };
}

/** Position of the code's main theme among the main themes. */
function mainThemeOf(project: ProjectIndex, code: string): number | undefined {
  const themes = project.codebook?.themes ?? [];
  let at = project.themeOf(code);
  if (at === undefined) return undefined;
  while (themes[at]?.parent !== undefined) at = themes[at]?.parent ?? at;
  const root = themes[at];
  return root ? Number(root.number) - 1 : undefined;
}
