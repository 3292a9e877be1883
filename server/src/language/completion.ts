import {
  type CompletionItem,
  CompletionItemKind,
  type CompletionList,
  MarkupKind,
} from 'vscode-languageserver';
import { isCodeChar } from '../core/codeNames';
import type { ProjectIndex } from '../core/projectIndex';
import type { Position } from '../core/text';
import { codeDocumentation, themePath } from './describe';
import { documentOf } from './locate';

/** Swedish order, made once: `localeCompare(b, 'sv')` builds a collator on every call. */
const swedish = new Intl.Collator('sv');

export interface CompletionOptions {
  /** The client takes one edit range for every item (`itemDefaults.editRange`): items carry no range. */
  editRangeDefault?: boolean;
  /** The client asks for documentation when an item is selected (`completionItem/resolve`). */
  resolveDocumentation?: boolean;
  /** The client asks for the detail (a code's theme path) when an item is selected, too. */
  resolveDetail?: boolean;
  /** The client takes one `data` for every item (`itemDefaults.data`): items name their code by their label. */
  dataDefault?: boolean;
  /**
   * The counts are still moving (the project is being indexed): items made under the same codebook are
   * reused, ranked by the counts they were made with, instead of made again for every slice of indexing.
   */
  countsSettling?: boolean;
}

/** What `resolveCompletion` needs to find a code item's documentation (`code`: else the item's label). */
interface ItemData {
  project: string;
  code?: string;
}

/**
 * Completion of codes: inside a transcript's tag (`{#`, `{#ko`, after a space in the braces, in overlap
 * markers) and after `#` in the codebook and memos. Every known code is offered, most used first, with its
 * theme and definition; inductive codes (used but not listed) follow. Nothing is ever committed by a typed
 * character, so a new code can always be typed.
 *
 * The items are made once per state of the codebook and the counts, and reused while typing: at 500 codes
 * a fresh list per keystroke cost more than everything else the keystroke does. For clients that resolve
 * items (VS Code), an item is its label, kind and rank: the theme path and definition come when it is
 * selected, so that 500 codes make a list of a few tens of kilobytes.
 */
export function completeCodes(
  project: ProjectIndex,
  uri: string,
  position: Position,
  options: CompletionOptions = {},
): CompletionList {
  const empty: CompletionList = { isIncomplete: false, items: [] };
  const document = documentOf(project, uri);
  if (!document || position.line >= document.lines.lineCount) return empty;
  const { text, lines } = document;
  const lineStart = lines.lineStart(position.line);
  const cursor = lines.offsetAt(position);
  const prefix = codePrefixAt(text, lineStart, cursor);
  if (!prefix) return empty;
  const inTranscript = project.isTranscript(uri);
  if (
    inTranscript ? !insideTag(text, lineStart, prefix.start) : !startsMention(text, lineStart, prefix.start)
  ) {
    return empty;
  }

  let end = cursor;
  while (end < text.length && isCodeChar(text.codePointAt(end) ?? 0))
    end += (text.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
  const range = {
    start: { line: position.line, character: prefix.start - lineStart },
    end: { line: position.line, character: end - lineStart },
  };
  const typed = text.slice(prefix.start, cursor);
  // VS Code filters by the typed text as it is; keep decomposed (NFD) input matching NFC names.
  const decomposed = typed !== typed.normalize('NFC');
  const items = codeItems(project, decomposed, options);
  // What every item shares, for clients that take it once for the list.
  const shared = {
    ...(options.editRangeDefault ? { editRange: range } : {}),
    ...(options.dataDefault && options.resolveDocumentation ? { data: { project: project.rootUri } } : {}),
  };
  const list = { isIncomplete: false, ...(Object.keys(shared).length > 0 ? { itemDefaults: shared } : {}) };
  if (options.editRangeDefault) return { ...list, items };
  return {
    ...list,
    items: items.map(({ textEditText, ...item }) => ({
      ...item,
      textEdit: { range, newText: textEditText ?? item.label },
    })),
  };
}

/** A code item's documentation, for clients that ask for it when the item is selected. */
export function resolveCompletion(project: ProjectIndex, item: CompletionItem): CompletionItem {
  const data = item.data as Partial<ItemData> | undefined;
  const code = data?.code ?? item.label.slice(1);
  // Codebook codes only: an alias item is labelled with the alias.
  if (item.kind !== CompletionItemKind.Constant || !project.isKnownCode(code)) return item;
  const theme = project.themeOf(code);
  return {
    ...item,
    ...(theme !== undefined ? { detail: themePath(project, theme) } : {}),
    documentation: {
      kind: MarkupKind.Markdown,
      value: codeDocumentation(project, code, { quote: false }),
    },
  };
}

/** Items without their edit range, by project and what they were made from. */
const itemCache = new WeakMap<
  ProjectIndex,
  { key: string; countsVersion: number; items: CompletionItem[] }
>();

function codeItems(project: ProjectIndex, decomposed: boolean, options: CompletionOptions): CompletionItem[] {
  const lazy = options.resolveDocumentation === true;
  const lazyDetail = lazy && options.resolveDetail === true;
  const sharedData = lazy && options.dataDefault === true;
  const compact = options.editRangeDefault === true;
  const key = `${project.codebookVersion}:${decomposed}:${lazy}:${lazyDetail}:${sharedData}:${compact}`;
  const { countsVersion } = project;
  const cached = itemCache.get(project);
  if (cached?.key === key && (cached.countsVersion === countsVersion || options.countsSettling))
    return cached.items;
  const filter = (name: string) => (decomposed ? `#${name}`.normalize('NFD') : `#${name}`);
  // The filter text only when it differs from the label (it is the label by default), in compact lists.
  const filterText = (name: string) => (compact && !decomposed ? {} : { filterText: filter(name) });
  const totals = project.totals().codes;
  const codebook = project.codebook;
  const items: CompletionItem[] = [];
  const ranked = [...(codebook?.codes.keys() ?? [])].sort(
    (a, b) => (totals.get(b)?.segments ?? 0) - (totals.get(a)?.segments ?? 0) || swedish.compare(a, b),
  );
  ranked.forEach((name, rank) => {
    const theme = project.themeOf(name);
    items.push({
      label: `#${name}`,
      kind: CompletionItemKind.Constant,
      ...(theme !== undefined && !lazyDetail ? { detail: themePath(project, theme) } : {}),
      ...(lazy && !sharedData ? { data: { project: project.rootUri, code: name } satisfies ItemData } : {}),
      ...(lazy
        ? {}
        : {
            documentation: {
              kind: MarkupKind.Markdown,
              value: codeDocumentation(project, name, { quote: false }),
            },
          }),
      sortText: String(rank).padStart(6, '0'),
      ...filterText(name),
    });
  });
  for (const [alias, name] of codebook?.aliases ?? []) {
    items.push({
      label: `#${alias}`,
      kind: CompletionItemKind.Reference,
      detail: `alias of #${name}`,
      sortText: `1${alias}`,
      ...filterText(alias),
      textEditText: `#${name}`,
    });
  }
  const inductive = [...totals.entries()]
    .filter(([name]) => !codebook?.codes.has(name))
    .sort((a, b) => b[1].segments - a[1].segments || swedish.compare(a[0], b[0]));
  inductive.forEach(([name, tally], rank) => {
    items.push({
      label: `#${name}`,
      kind: CompletionItemKind.Variable,
      detail: `not in the codebook · ${tally.segments} segment${tally.segments === 1 ? '' : 's'}`,
      sortText: `2${String(rank).padStart(6, '0')}`,
      ...filterText(name),
    });
  });
  itemCache.set(project, { key, countsVersion, items });
  return items;
}

/** The `#` that starts the code being typed at the cursor, or the cursor itself right after `{` or a space in a tag. */
function codePrefixAt(text: string, lineStart: number, cursor: number): { start: number } | undefined {
  let at = cursor;
  while (at > lineStart) {
    const previous = text.charCodeAt(at - 1);
    const low = previous >= 0xdc00 && previous <= 0xdfff ? 2 : 1;
    const codePoint = text.codePointAt(at - low) ?? 0;
    if (!isCodeChar(codePoint)) break;
    at -= low;
  }
  if (text.charCodeAt(at - 1) === 35) return { start: at - 1 };
  if (at === cursor) {
    const before = text.charAt(cursor - 1);
    if (before === '{' || before === ' ' || before === '<') return { start: cursor };
  }
  return undefined;
}

/** Whether `offset` lies between a tag's `{` and its `}` on this line. */
function insideTag(text: string, lineStart: number, offset: number): boolean {
  for (let k = offset - 1; k >= lineStart; k--) {
    const char = text.charAt(k);
    if (char === '}') return false;
    if (char === '{') {
      const before = text.charAt(k - 1);
      const after = text.charAt(k + 1);
      return before === ']' || after === '#' || after === '<' || k + 1 === offset;
    }
  }
  return false;
}

/** In prose a mention's `#` follows a space or "(", and a line of only `#`s is a heading being typed. */
function startsMention(text: string, lineStart: number, hash: number): boolean {
  if (text.charCodeAt(hash) !== 35) return false;
  const before = text.charAt(hash - 1);
  return (
    (before === ' ' || before === '\t' || before === '(') && !/^#+\s*$/.test(text.slice(lineStart, hash))
  );
}
