import type { Nodes, Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { isCodeChar, normalizeCode } from './codeNames';
import type { RuleId } from './findings';
import { readFrontMatter } from './frontMatter';
import { type CodeMention, findMentions } from './mentions';
import { findFrontMatter } from './scanner';
import { type ProjectSettings, readSettings } from './settings';
import { LineIndex, type Span } from './text';

/**
 * The codebook: `#`, `##`, `###` … headings are themes, paragraphs under a heading define it, and list
 * items that start with a code (`- #kontrakt: definition. Aliases: ram, plattform`) are its codes.
 * Parsed with remark, which is exact about Markdown and fast enough for one file.
 */

export interface CodeEntry {
  name: string;
  raw: string;
  /** Index of the theme in `Codebook.themes`, or undefined for a code listed before any heading. */
  theme: number | undefined;
  definition: string;
  aliases: string[];
  /** The whole list item. */
  item: Span;
  /** `#name` in the list item. */
  nameSpan: Span;
  /** The item's first paragraph: name, definition and aliases. */
  paragraph: Span;
}

export interface Theme {
  index: number;
  /** The number from the theme's place in the hierarchy: "1", "2.1", "2.1.1". */
  number: string;
  /** The number as written before the name, if any. */
  writtenNumber?: string;
  name: string;
  /** Markdown heading level (1 for `#`). */
  level: number;
  /** Nesting depth in the theme tree (0 for a main theme). */
  depth: number;
  parent: number | undefined;
  children: number[];
  heading: Span;
  nameSpan: Span;
  /** From the heading to the next heading of the same or a higher level. */
  section: Span;
  definition: string;
  codes: CodeEntry[];
}

export interface CodebookProblem {
  rule: RuleId;
  span: Span;
  message: string;
  related?: { span: Span; message: string }[];
  data?: { code?: string; theme?: string };
}

export interface Codebook {
  uri: string;
  text: string;
  lines: LineIndex;
  settings: ProjectSettings;
  themes: Theme[];
  /** Every listed code by name; more than one entry means it is listed more than once. */
  codes: Map<string, CodeEntry[]>;
  /** Alias (NFC) to the code it stands for. */
  aliases: Map<string, string>;
  mentions: CodeMention[];
  problems: CodebookProblem[];
}

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);
const numberPattern = /^(\d+(?:\.\d+)*)\.?(?=\s)\s*/;
const aliasPattern = /\s*\b(?:aliases|alias)\s*:\s*(.*)$/iu;

export function parseCodebook(uri: string, text: string): Codebook {
  const frontMatter = readFrontMatter(text);
  const { settings, problems: settingProblems } = readSettings(frontMatter.data);
  const problems: CodebookProblem[] = frontMatter.problems.map((p) => ({
    rule: 'invalid-front-matter',
    ...p,
  }));
  for (const problem of settingProblems) {
    problems.push({
      rule: 'invalid-setting',
      span: frontMatter.span ?? { start: 0, end: 0 },
      message: problem.message,
    });
  }

  const themes: Theme[] = [];
  const codes = new Map<string, CodeEntry[]>();
  const mentions: CodeMention[] = [];
  const open: Theme[] = [];
  const definitionParts = new Map<Theme, string[]>();
  /** Where each written number stands, so that `theme-numbering` marks the number itself. */
  const numberSpans = new Map<Theme, Span>();

  for (const block of codebookBlocks(text)) {
    if (block.kind === 'heading') {
      addTheme(block);
      continue;
    }
    const current = open[open.length - 1];
    if (block.kind === 'item') {
      const rest = addCode(block, current);
      if (rest !== undefined && current) definitionParts.get(current)?.push(rest);
      continue;
    }
    collectMentions(block.span);
    if (current) definitionParts.get(current)?.push(text.slice(block.span.start, block.span.end).trim());
  }
  for (const theme of themes) {
    theme.definition = (definitionParts.get(theme) ?? []).join('\n\n');
    theme.section.end = sectionEnd(theme);
  }
  numberThemes();
  checkDuplicates();

  const aliases = new Map<string, string>();
  for (const [name, entries] of codes) {
    for (const entry of entries)
      for (const alias of entry.aliases) if (!codes.has(alias)) aliases.set(alias, name);
  }
  return { uri, text, lines: new LineIndex(text), settings, themes, codes, aliases, mentions, problems };

  function addTheme(node: HeadingBlock): void {
    const heading = node.span;
    const contentStart = node.content?.start ?? heading.end;
    const contentEnd = node.content?.end ?? heading.end;
    const content = text.slice(contentStart, contentEnd);
    const numberMatch = numberPattern.exec(content);
    const nameStart = contentStart + (numberMatch ? numberMatch[0].length : 0);
    while (open.length > 0 && (open[open.length - 1]?.level ?? 0) >= node.depth) open.pop();
    const parent = open[open.length - 1];
    const expectedLevel = parent ? parent.level + 1 : 1;
    if (node.depth !== expectedLevel) {
      problems.push({
        rule: 'theme-level-skipped',
        span: heading,
        message: parent
          ? `heading level ${node.depth} under a level ${parent.level} heading: use ${'#'.repeat(expectedLevel)} for a subtheme of "${parent.name}"`
          : `the first theme heading should be level 1 (#), not ${'#'.repeat(node.depth)}`,
      });
    }
    const theme: Theme = {
      index: themes.length,
      number: '',
      ...(numberMatch?.[1] ? { writtenNumber: numberMatch[1] } : {}),
      name: text.slice(nameStart, contentEnd).trim(),
      level: node.depth,
      depth: open.length,
      parent: parent?.index,
      children: [],
      heading,
      nameSpan: { start: nameStart, end: contentEnd },
      section: { start: heading.start, end: text.length },
      definition: '',
      codes: [],
    };
    parent?.children.push(theme.index);
    themes.push(theme);
    open.push(theme);
    definitionParts.set(theme, []);
    if (theme.writtenNumber !== undefined) {
      numberSpans.set(theme, { start: contentStart, end: contentStart + theme.writtenNumber.length });
    }
  }

  /** Adds a list item that is a code to the theme; returns the item's source when it is not a code. */
  function addCode(item: ItemBlock, theme: Theme | undefined): string | undefined {
    {
      const itemSpan = item.span;
      const entry = item.paragraph ? readCodeEntry(item.paragraph, itemSpan, theme) : undefined;
      collectMentions(itemSpan, entry?.nameSpan);
      if (!entry) return text.slice(itemSpan.start, itemSpan.end).trim();
      if (!theme) {
        problems.push({
          rule: 'code-without-theme',
          span: entry.nameSpan,
          message: `#${entry.raw} is listed before any theme heading: move it under the theme it belongs to`,
          data: { code: entry.name },
        });
      }
      theme?.codes.push(entry);
      const entries = codes.get(entry.name);
      if (entries) entries.push(entry);
      else codes.set(entry.name, [entry]);
    }
    return undefined;
  }

  function readCodeEntry(paragraph: Span, item: Span, theme: Theme | undefined): CodeEntry | undefined {
    if (text.charCodeAt(paragraph.start) !== 35) return undefined;
    let end = paragraph.start + 1;
    while (end < paragraph.end) {
      const codePoint = text.codePointAt(end) ?? 0;
      if (!isCodeChar(codePoint)) break;
      end += codePoint > 0xffff ? 2 : 1;
    }
    while (end > paragraph.start + 1 && text.charCodeAt(end - 1) === 47) end--;
    if (end === paragraph.start + 1) return undefined;
    const raw = text.slice(paragraph.start + 1, end);
    let definition = text
      .slice(end, paragraph.end)
      .replace(/^\s*[:–—-]?\s*/u, '')
      .replace(/\s+/g, ' ')
      .trim();
    let aliases: string[] = [];
    const aliasMatch = aliasPattern.exec(definition);
    if (aliasMatch) {
      definition = definition.slice(0, aliasMatch.index).trim();
      aliases = (aliasMatch[1] ?? '')
        .split(/[,;]/)
        .map((alias) => normalizeCode(alias.trim().replace(/^#/, '').replace(/\.$/, '')))
        .filter((alias) => alias.length > 0);
    }
    return {
      name: normalizeCode(raw),
      raw,
      theme: theme?.index,
      definition,
      aliases,
      item,
      nameSpan: { start: paragraph.start, end },
      paragraph,
    };
  }

  function collectMentions(span: Span, skip?: Span): void {
    for (const mention of findMentions(text, span))
      if (mention.span.start !== skip?.start) mentions.push(mention);
  }

  function sectionEnd(theme: Theme): number {
    for (let k = theme.index + 1; k < themes.length; k++) {
      const next = themes[k];
      if (next && next.level <= theme.level) return next.heading.start;
    }
    return text.length;
  }

  function numberThemes(): void {
    let mainCount = 0;
    for (const theme of themes) {
      const parent = theme.parent === undefined ? undefined : themes[theme.parent];
      theme.number = parent
        ? `${parent.number}.${parent.children.indexOf(theme.index) + 1}`
        : String(++mainCount);
      if (theme.writtenNumber !== undefined && theme.writtenNumber !== theme.number) {
        problems.push({
          rule: 'theme-numbering',
          span: numberSpans.get(theme) ?? theme.nameSpan,
          message: `"${theme.name}" is numbered ${theme.writtenNumber} but is theme ${theme.number} by its place in the codebook`,
          data: { theme: theme.number },
        });
      }
    }
  }

  function checkDuplicates(): void {
    const byName = new Map<string, Theme>();
    for (const theme of themes) {
      const key = theme.name.normalize('NFC').toLocaleLowerCase('sv');
      const earlier = byName.get(key);
      if (earlier) {
        problems.push({
          rule: 'duplicate-theme',
          span: theme.heading,
          message: `theme "${theme.name}" (${theme.number}) has the same name as theme ${earlier.number}`,
          related: [{ span: earlier.heading, message: `theme ${earlier.number} "${earlier.name}"` }],
          data: { theme: theme.number },
        });
      } else byName.set(key, theme);
    }
    for (const [name, entries] of codes) {
      const first = entries[0];
      if (!first) continue;
      for (const entry of entries.slice(1)) {
        const sameTheme = entry.theme === first.theme;
        const where = (e: CodeEntry) =>
          e.theme === undefined ? 'before any theme' : `under ${themeLabel(e.theme)}`;
        problems.push({
          rule: sameTheme ? 'duplicate-code' : 'code-in-several-themes',
          span: entry.nameSpan,
          message: sameTheme
            ? `#${name} is listed twice ${where(entry)}`
            : `#${name} is listed ${where(entry)} and ${where(first)}: a code belongs to one theme`,
          related: [{ span: first.nameSpan, message: `#${name} ${where(first)}` }],
          data: { code: name },
        });
      }
    }
  }

  function themeLabel(index: number): string {
    const theme = themes[index];
    return theme ? `${theme.number} ${theme.name}` : 'a theme';
  }
}

interface HeadingBlock {
  kind: 'heading';
  /** 1 for `#`. */
  depth: number;
  span: Span;
  /** From the first to the last character of the heading's text; undefined for an empty heading. */
  content: Span | undefined;
}

interface ItemBlock {
  kind: 'item';
  span: Span;
  /** The item's first paragraph, if it starts with one. */
  paragraph: Span | undefined;
}

/** The codebook's blocks in order: what the theme hierarchy is read from. Spans as in mdast. */
export type CodebookBlock = HeadingBlock | ItemBlock | { kind: 'paragraph' | 'other'; span: Span };

/**
 * The codebook's top-level blocks, with list items on their own. A codebook written in plain Markdown
 * (`#` headings, paragraphs, `- ` items) is read line by line; anything else (quotes, code, tables, nested
 * lists, setext headings ...) goes to remark, which is exact about all of Markdown. Both give the same
 * blocks wherever the line reader answers (test/core/codebookBlocks.property.test.ts).
 */
export function codebookBlocks(text: string, options: { remarkOnly?: boolean } = {}): CodebookBlock[] {
  return (options.remarkOnly ? undefined : plainBlocks(text)) ?? remarkBlocks(text);
}

function remarkBlocks(text: string): CodebookBlock[] {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const tree = parser.parse(bom ? text.slice(1) : text) as Root;
  const offsetOf = (node: Nodes, edge: 'start' | 'end') => (node.position?.[edge].offset ?? 0) + bom;
  const spanOf = (node: Nodes): Span => ({ start: offsetOf(node, 'start'), end: offsetOf(node, 'end') });
  const blocks: CodebookBlock[] = [];
  for (const node of tree.children) {
    if (node.type === 'yaml') continue;
    if (node.type === 'heading') {
      const first = node.children[0];
      const last = node.children[node.children.length - 1];
      blocks.push({
        kind: 'heading',
        depth: node.depth,
        span: spanOf(node),
        content: first && last ? { start: offsetOf(first, 'start'), end: offsetOf(last, 'end') } : undefined,
      });
    } else if (node.type === 'list') {
      for (const item of node.children) {
        const paragraph = item.children[0];
        blocks.push({
          kind: 'item',
          span: spanOf(item),
          paragraph: paragraph?.type === 'paragraph' ? spanOf(paragraph) : undefined,
        });
      }
    } else {
      blocks.push({ kind: node.type === 'paragraph' ? 'paragraph' : 'other', span: spanOf(node) });
    }
  }
  return blocks;
}

const atxHeading = /^(#{1,6})(?:[ \t]|$)/;

/**
 * Whether a line (without its indentation) can only continue or start a paragraph: it opens no other
 * block (heading, list, quote, code, HTML, thematic break, setext underline, link definition).
 */
function isPlainStart(rest: string): boolean {
  const first = rest.charCodeAt(0);
  // - * + _ > < = [ ` ~ \ and tabs open (or may open) other blocks.
  if ('-*+_><=[`~\\\t'.includes(rest.charAt(0))) return false;
  if (first === 35 && atxHeading.test(rest)) return false;
  if (first >= 48 && first <= 57 && /^\d{1,9}[.)](?:[ \t]|$)/.test(rest)) return false;
  return true;
}

/** The blocks of a codebook in plain Markdown, read line by line; undefined when it is anything more. */
export function plainBlocks(text: string): CodebookBlock[] | undefined {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let at = bom;
  const frontMatter = findFrontMatter(text);
  if (frontMatter) {
    // remark-frontmatter knows `---` fences only, without trailing spaces.
    const closing = text.slice(frontMatter.content.end, frontMatter.span.end).replace(/\r?\n$/, '');
    if (!text.startsWith('---\n', bom) && !text.startsWith('---\r\n', bom)) return undefined;
    if (closing !== '---' || frontMatter.content.end === frontMatter.content.start) return undefined;
    at = frontMatter.span.end;
  } else if (text.startsWith('---', bom)) return undefined;
  const lines: { start: number; end: number; text: string }[] = [];
  while (at <= text.length) {
    let next = text.indexOf('\n', at);
    if (next === -1) next = text.length;
    const end = next > at && text.charCodeAt(next - 1) === 13 ? next - 1 : next;
    lines.push({ start: at, end, text: text.slice(at, end) });
    if (next === text.length) break;
    at = next + 1;
  }
  const blank = (line: { text: string } | undefined) => line !== undefined && /^[ \t]*$/.test(line.text);
  const indentOf = (line: string) => line.length - line.replace(/^[ \t]+/, '').length;
  const blocks: CodebookBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as { start: number; end: number; text: string };
    if (blank(line)) {
      i++;
      continue;
    }
    if (line.text.includes('\r') || line.text.startsWith(' ')) return undefined;
    const heading = atxHeading.exec(line.text);
    if (heading) {
      const hashes = heading[1]?.length ?? 0;
      const body = line.text.slice(hashes);
      // Markdown trims spaces and tabs only (a no-break space is text).
      const content = body.replace(/^[ \t]+|[ \t]+$/g, '');
      // Empty headings and closing `#` sequences are left to remark.
      if (content === '' || /(?:^|[ \t])#+$/.test(content) || body.startsWith('\t')) return undefined;
      const contentStart = line.start + hashes + (body.length - body.replace(/^[ \t]+/, '').length);
      blocks.push({
        kind: 'heading',
        depth: hashes,
        span: { start: line.start, end: line.end },
        content: { start: contentStart, end: contentStart + content.length },
      });
      i++;
      continue;
    }
    if (line.text.startsWith('- ')) {
      const content = line.text.slice(2);
      if (content === '' || !isPlainStart(content) || content.startsWith(' ')) return undefined;
      let end = line.end;
      i++;
      // Continuation lines are indented at least as far as the item's text; a blank line ends the item.
      while (i < lines.length && !blank(lines[i])) {
        const next = lines[i] as { start: number; end: number; text: string };
        const indent = indentOf(next.text);
        if (indent < 2 || next.text.includes('\r') || next.text.slice(0, indent).includes('\t')) break;
        if (indent < 6 && !isPlainStart(next.text.slice(indent))) return undefined;
        end = next.end;
        i++;
      }
      const after = lines[i];
      if (after && !blank(after) && !after.text.startsWith('- ') && !atxHeading.test(after.text))
        return undefined;
      // A blank line and then indented text: a second paragraph of the item, or code. Left to remark.
      let k = i;
      while (k < lines.length && blank(lines[k])) k++;
      if (k > i && k < lines.length && indentOf(lines[k]?.text ?? '') > 0) return undefined;
      blocks.push({
        kind: 'item',
        span: { start: line.start, end },
        paragraph: { start: line.start + 2, end },
      });
      continue;
    }
    if (!isPlainStart(line.text)) return undefined;
    let end = line.end;
    i++;
    // A paragraph goes on until a blank line, a heading or a list item; other blocks are left to remark.
    while (i < lines.length && !blank(lines[i])) {
      const next = lines[i] as { start: number; end: number; text: string };
      if (next.text.startsWith('- ') || atxHeading.test(next.text)) break;
      const indent = indentOf(next.text);
      if (next.text.includes('\r') || next.text.slice(0, indent).includes('\t')) return undefined;
      if (indent < 4 && !isPlainStart(next.text.slice(indent))) return undefined;
      end = next.end;
      i++;
    }
    blocks.push({ kind: 'paragraph', span: { start: line.start, end } });
  }
  return blocks;
}
