import { sha1 } from './sha1';

/**
 * GUIDs. Kodkarta writes name-based UUIDs (RFC 9562 version 5: SHA-1 of a namespace and a name), so
 * that the same project exports the same GUIDs every time: exports are byte-identical and diffable,
 * and a second export of a project updates the objects of the first in tools that match by GUID.
 *
 * The name of every object is `project name`, its kind and a stable key (a code's name, a source's
 * name, a selection's source and positions), joined with NUL. See docs/interchange.md.
 */

/** Kodkarta's namespace for version 5 UUIDs (a fixed random UUID). */
export const KODKARTA_NAMESPACE = '6b1f3c52-8e0a-4d7b-9f43-2a5c7e1d9b60';

const encoder = new TextEncoder();

export function uuidV5(namespace: string, name: string): string {
  const ns = hexBytes(namespace.replace(/-/g, ''));
  const nameBytes = encoder.encode(name);
  const input = new Uint8Array(ns.length + nameBytes.length);
  input.set(ns);
  input.set(nameBytes, ns.length);
  const hash = sha1(input).subarray(0, 16);
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...hash].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type GuidKind =
  | 'project'
  | 'theme'
  | 'code'
  | 'variable'
  | 'case'
  | 'source'
  | 'selection'
  | 'coding'
  | 'note'
  | 'memo';

/** GUIDs for one project: the same kind and key always give the same GUID. */
export function guidFactory(projectName: string): (kind: GuidKind, key: string) => string {
  const cache = new Map<string, string>();
  return (kind, key) => {
    const name = `${projectName}\u0000${kind}\u0000${key}`;
    let guid = cache.get(name);
    if (guid === undefined) {
      guid = uuidV5(KODKARTA_NAMESPACE, name);
      cache.set(name, guid);
    }
    return guid;
  };
}

const guidPattern = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

/**
 * A GUID as read from another tool, in one spelling: lower case, no braces. ATLAS.ti writes upper case,
 * NVivo lower case, some tools braces. Anything else is returned trimmed, as a key that still matches
 * itself, so that a tool's own identifiers work even when they are not GUIDs.
 */
export function normalizeGuid(value: string | undefined): string {
  const trimmed = (value ?? '').trim();
  const match = guidPattern.exec(trimmed);
  return match?.[1] ? match[1].toLowerCase() : trimmed;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
