import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guidFactory, normalizeGuid, uuidV5 } from '../../server/src/core/interchange/guid';
import { sha1 } from '../../server/src/core/interchange/sha1';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('GUIDs', () => {
  it('computes SHA-1 as node:crypto does', () => {
    expect(hex(sha1(new Uint8Array()))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(hex(sha1(bytes))).toBe(createHash('sha1').update(bytes).digest('hex'));
      }),
    );
  });

  it('makes RFC version 5 UUIDs', () => {
    // The DNS namespace and "www.example.com", the example of RFC 9562.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('gives the same GUID for the same project, kind and key, and different ones otherwise', () => {
    const a = guidFactory('Studie');
    const b = guidFactory('Studie');
    expect(a('code', 'förtroende')).toBe(b('code', 'förtroende'));
    expect(a('code', 'förtroende')).not.toBe(a('theme', 'förtroende'));
    expect(a('code', 'förtroende')).not.toBe(guidFactory('Annan studie')('code', 'förtroende'));
    expect(a('code', 'x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('reads GUIDs in either case and in braces as one', () => {
    const guid = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    expect(normalizeGuid('3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toBe(guid);
    expect(normalizeGuid('{3F2504E0-4F89-11D3-9A0C-0305E82C3301}')).toBe(guid);
    expect(normalizeGuid(` ${guid} `)).toBe(guid);
    expect(normalizeGuid('not-a-guid')).toBe('not-a-guid');
  });
});
