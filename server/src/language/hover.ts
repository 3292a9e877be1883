import { type Hover, MarkupKind } from 'vscode-languageserver';
import type { ProjectIndex } from '../core/projectIndex';
import type { Position } from '../core/text';
import { codeDocumentation, escapeMarkdown, themeDocumentation } from './describe';
import { documentOf, targetAt } from './locate';

/** On a code: its theme, definition, counts and an example quote. On a theme heading: definition and counts. */
export function hover(project: ProjectIndex, uri: string, position: Position): Hover | undefined {
  const document = documentOf(project, uri);
  if (!document) return undefined;
  const target = targetAt(project, uri, document.lines.offsetAt(position));
  if (!target) return undefined;
  if (target.kind === 'theme') {
    return {
      contents: { kind: MarkupKind.Markdown, value: themeDocumentation(project, target.theme) },
      range: target.lines.rangeOf(target.theme.heading),
    };
  }
  const { occurrence, name } = target;
  const heading =
    occurrence.name === name
      ? `**#${escapeMarkdown(name)}**`
      : `**#${escapeMarkdown(occurrence.name)}** → **#${escapeMarkdown(name)}** (alias)`;
  return {
    contents: {
      kind: MarkupKind.Markdown,
      value: `${heading}\n\n${codeDocumentation(project, name, { quote: true })}`,
    },
    range: occurrence.lines.rangeOf(occurrence.span),
  };
}
