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
  const simple = parseSimpleYaml(source);
  if (simple) return { data: simple, span: block.span, problems: [] };
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

/** Keys the fast path reads: letters, digits, `_` and `-`, not starting with `-`, and not a YAML special. */
const simpleKey = /^[\p{L}\p{N}_][\p{L}\p{N}_-]*$/u;
const simpleInt = /^(?:0|[1-9][0-9]{0,14})$/;
/** Plain scalars YAML would read as something other than text, or that need the full parser. */
const notPlainText =
  /^(?:[-?:,[\]{}#&*!|>'"%@`+.~0-9]|(?:null|true|false)$)|[:\t[\]{}\p{Cc}\u2028\u2029\ufeff]| #|\s$/iu;

/**
 * The front matter Kodkarta projects write (`key: value`, one level of nested `key: value` or `- item`,
 * plain text, whole numbers and true/false), read without the YAML library: a transcript's front matter
 * cost more than scanning the whole transcript. Anything else, or anything that could mean something
 * else in YAML, returns undefined and goes to the full parser, which then decides.
 */
export function parseSimpleYaml(source: string): FrontMatterMap | undefined {
  const data: FrontMatterMap = {};
  const lines = source.split('\n');
  let parent:
    | { key: string; indent: number; value: FrontMatterMap | FrontMatterValue[] | undefined }
    | undefined;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (/^ *$/.test(line)) continue;
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    if (indent === 0) {
      parent = undefined;
      const entry = simpleEntry(line);
      if (!entry || Object.hasOwn(data, entry.key)) return undefined;
      if (entry.value === undefined) {
        parent = { key: entry.key, indent: -1, value: undefined };
        data[entry.key] = null;
      } else {
        const value = simpleScalar(entry.value);
        if (value === undefined) return undefined;
        data[entry.key] = value;
      }
      continue;
    }
    if (!parent || (parent.indent !== -1 && parent.indent !== indent)) return undefined;
    parent.indent = indent;
    const rest = line.slice(indent);
    if (rest.startsWith('- ')) {
      if (parent.value === undefined) parent.value = data[parent.key] = [];
      if (!Array.isArray(parent.value)) return undefined;
      const value = simpleScalar(rest.slice(2).trimStart());
      if (value === undefined || value === null) return undefined;
      parent.value.push(value);
      continue;
    }
    const entry = simpleEntry(rest);
    if (!entry || entry.value === undefined) return undefined;
    if (parent.value === undefined) parent.value = data[parent.key] = {};
    if (Array.isArray(parent.value) || Object.hasOwn(parent.value, entry.key)) return undefined;
    const value = simpleScalar(entry.value);
    if (value === undefined) return undefined;
    parent.value[entry.key] = value;
  }
  return data;
}

function simpleEntry(line: string): { key: string; value: string | undefined } | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  const key = line.slice(0, colon);
  if (!simpleKey.test(key) || key === '__proto__' || notPlainText.test(key)) return undefined;
  const after = line.slice(colon + 1);
  if (/^ *$/.test(after)) return { key, value: undefined };
  if (after.charCodeAt(0) !== 32) return undefined;
  return { key, value: after.slice(1).replace(/ +$/, '') };
}

/** A plain scalar's value, or undefined when only the full parser may say what it means. */
function simpleScalar(value: string): FrontMatterValue | undefined {
  if (value === '') return null;
  if (simpleInt.test(value)) return Number(value);
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (notPlainText.test(value) || value.startsWith(' ')) return undefined;
  return value;
}
