import { SaxesParser } from 'saxes';
import { InterchangeError } from './errors';

/**
 * Reads the XML of .qde and .qdc files into a small tree, leniently about what tools write (any or a
 * misspelt namespace, prefixes, a BOM) and strictly about what could hurt: a DOCTYPE is refused
 * outright (it is how entities, external ones included, get defined), undefined entities and malformed
 * XML are errors with a position, and the input size and nesting depth are bounded.
 */

export interface XmlNode {
  /** The local name: the tag without its namespace prefix. */
  name: string;
  /** Attributes by local name. */
  attributes: Record<string, string>;
  children: XmlNode[];
  /** The element's own text (text between child elements included), as the parser gives it. */
  text: string;
  /** The namespace declared on the element (`xmlns`), if any. */
  namespace?: string;
  line: number;
}

export interface XmlReadLimits {
  /** Longest input in UTF-16 units. */
  maxLength: number;
  maxDepth: number;
}

export const defaultXmlLimits: XmlReadLimits = { maxLength: 200 * 1024 * 1024, maxDepth: 200 };

export function readXml(source: string, fileName: string, limits: XmlReadLimits = defaultXmlLimits): XmlNode {
  if (source.length > limits.maxLength) {
    throw new InterchangeError(`${fileName} is too large to read (${source.length} characters)`);
  }
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const parser = new SaxesParser({ xmlns: false, position: true, fileName });
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  parser.on('doctype', () => {
    throw new InterchangeError(
      `${fileName}:${parser.line}: DOCTYPE declarations are refused: they can define entities that expand or read other files`,
    );
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= limits.maxDepth) {
      throw new InterchangeError(
        `${fileName}:${parser.line}: elements are nested more than ${limits.maxDepth} deep`,
      );
    }
    const attributes: Record<string, string> = {};
    const declared = tag.attributes as Record<string, string>;
    for (const [key, value] of Object.entries(declared)) {
      if (key !== 'xmlns' && !key.startsWith('xmlns:')) attributes[localName(key)] = value;
    }
    const colon = tag.name.indexOf(':');
    const namespace = colon === -1 ? declared.xmlns : declared[`xmlns:${tag.name.slice(0, colon)}`];
    const node: XmlNode = {
      name: localName(tag.name),
      attributes,
      children: [],
      text: '',
      ...(namespace !== undefined ? { namespace } : {}),
      line: parser.line,
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('text', (value) => {
    const current = stack[stack.length - 1];
    if (current) current.text += value;
  });
  parser.on('cdata', (value) => {
    const current = stack[stack.length - 1];
    if (current) current.text += value;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof InterchangeError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new InterchangeError(`${fileName} is not well-formed XML: ${message}`);
  }
  if (!root) throw new InterchangeError(`${fileName} holds no XML element`);
  return root;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** The children of a node with a local name. */
export function childrenNamed(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((child) => child.name === name) : [];
}

export function childNamed(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((child) => child.name === name);
}

/** Text of the first child with that name, trimmed; undefined when missing or blank. */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  const text = childNamed(node, name)?.text.trim();
  return text ? text : undefined;
}
