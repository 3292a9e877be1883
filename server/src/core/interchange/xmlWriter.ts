/**
 * A small XML writer for the REFI-QDA files: elements are built as values and serialised with two-space
 * indentation, attributes in the order given, so the same input always gives the same bytes.
 *
 * Strict about what it writes: characters that XML 1.0 cannot carry at all (control characters, lone
 * surrogates, U+FFFE/U+FFFF) become U+FFFD; line breaks and tabs in attributes are written as character
 * references, so that a reader's attribute normalisation does not turn them into spaces; and `element`
 * returns nothing for a container without children (an empty `<Codes/>` is invalid).
 */

export interface XmlElement {
  name: string;
  attributes: [string, string][];
  children: XmlElement[];
  /** Text content; an element has text or children, never both. */
  text?: string;
}

export type Attributes = Record<string, string | number | boolean | undefined>;

export function element(
  name: string,
  attributes: Attributes = {},
  children: (XmlElement | undefined)[] = [],
) {
  return {
    name,
    attributes: Object.entries(attributes).flatMap(([key, value]): [string, string][] =>
      value === undefined ? [] : [[key, String(value)]],
    ),
    children: children.filter((child): child is XmlElement => child !== undefined),
  } satisfies XmlElement;
}

/** An element with text content, e.g. `<Description>…</Description>`; none for empty text. */
export function textElement(name: string, text: string | undefined): XmlElement | undefined {
  if (text === undefined || text === '') return undefined;
  return { name, attributes: [], children: [], text };
}

/** A container that must hold at least one child: none when it would be empty. */
export function container(
  name: string,
  children: (XmlElement | undefined)[],
  attributes: Attributes = {},
): XmlElement | undefined {
  const present = children.filter((child): child is XmlElement => child !== undefined);
  return present.length > 0 ? element(name, attributes, present) : undefined;
}

export function serializeXml(root: XmlElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>\n'];
  write(root, 0);
  return out.join('');

  function write(node: XmlElement, depth: number): void {
    const indent = '  '.repeat(depth);
    const attributes = node.attributes.map(([key, value]) => ` ${key}="${escapeAttribute(value)}"`).join('');
    if (node.text !== undefined) {
      out.push(`${indent}<${node.name}${attributes}>${escapeText(node.text)}</${node.name}>\n`);
    } else if (node.children.length === 0) {
      out.push(`${indent}<${node.name}${attributes}/>\n`);
    } else {
      out.push(`${indent}<${node.name}${attributes}>\n`);
      for (const child of node.children) write(child, depth + 1);
      out.push(`${indent}</${node.name}>\n`);
    }
  }
}

// Tab, LF and CR are allowed; other C0 controls, lone surrogates and U+FFFE/U+FFFF are not.
const invalidXmlChars =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlSafe(text: string): string {
  return text.replace(invalidXmlChars, '\ufffd');
}

export function escapeText(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

export function escapeAttribute(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
