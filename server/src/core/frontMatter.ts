import { parseDocument } from 'yaml';
import { findFrontMatter } from './scanner';
import type { Span } from './text';

export type FrontMatterValue = string | number | boolean | null | FrontMatterValue[] | FrontMatterMap;
export interface FrontMatterMap {
  [key: string]: FrontMatterValue;
}

export interface FrontMatter {
  data: FrontMatterMap;
  /** The whole block with its fences, or undefined when the file has none. */
  span?: Span;
  problems: { span: Span; message: string }[];
}

/**
 * Reads the YAML front matter. Aliases are refused so that a hostile file cannot make the parser expand
 * a billion laughs (unknown custom tags are read as their plain value); errors become problems with
 * positions, never exceptions.
 */
export function readFrontMatter(text: string): FrontMatter {
  const block = findFrontMatter(text);
  if (!block) return { data: {}, problems: [] };
  const source = text.slice(block.content.start, block.content.end);
  const doc = parseDocument(source, { uniqueKeys: true, prettyErrors: false });
  const problems = doc.errors.map((error) => ({
    span: {
      start: block.content.start + (error.pos[0] ?? 0),
      end: block.content.start + Math.max(error.pos[1] ?? 0, (error.pos[0] ?? 0) + 1),
    },
    message: `front matter is not valid YAML: ${error.message.split('\n')[0]}`,
  }));
  let data: FrontMatterMap = {};
  if (problems.length === 0) {
    try {
      const value: unknown = doc.toJS({ maxAliasCount: 0 });
      if (value !== null && typeof value === 'object' && !Array.isArray(value))
        data = value as FrontMatterMap;
      else if (value !== null && value !== undefined) {
        problems.push({ span: block.span, message: 'front matter must be a YAML mapping of keys to values' });
      }
    } catch (error) {
      problems.push({ span: block.span, message: `front matter could not be read: ${String(error)}` });
    }
  }
  return { data, span: block.span, problems };
}

export function stringValue(value: FrontMatterValue | undefined): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function stringList(value: FrontMatterValue | undefined): string[] | undefined {
  if (typeof value === 'string') return [value];
  // A list holding anything but text is reported as a whole rather than quietly losing items.
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) return value;
  return undefined;
}

export function isMap(value: FrontMatterValue | undefined): value is FrontMatterMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
