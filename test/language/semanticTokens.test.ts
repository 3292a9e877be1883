import { describe, expect, it } from 'vitest';
import type { Position } from '../../server/src/core/text';
import { semanticTokens, semanticTokensLegend } from '../../server/src/language/semanticTokens';
import { locate } from '../helpers/locate';
import { lines, workspace } from '../helpers/workspace';

interface Token {
  line: number;
  character: number;
  length: number;
  type: string;
  modifiers: string[];
}

/** Decodes LSP's relative five-integer encoding into absolute tokens with named types and modifiers. */
function decode(data: number[]): Token[] {
  expect(data.length % 5).toBe(0);
  const tokens: Token[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [deltaLine = 0, deltaStart = 0, length = 0, type = 0, bits = 0] = data.slice(i, i + 5);
    line += deltaLine;
    character = deltaLine === 0 ? character + deltaStart : deltaStart;
    const modifiers = semanticTokensLegend.tokenModifiers.filter((_, bit) => bits & (1 << bit));
    tokens.push({
      line,
      character,
      length,
      type: semanticTokensLegend.tokenTypes[type] ?? `?${type}`,
      modifiers,
    });
  }
  return tokens;
}

const at = (start: Position, length: number) => ({ line: start.line, character: start.character, length });

const codebook = lines(
  '# 1 Gemensamt',
  '',
  'Se #ramar och #förtroende.',
  '',
  '## 1.1 Kontraktet',
  '',
  '- #kontrakt: Tid. Aliases: plattform',
  '- #ramar: Ramen.',
  '',
  '# 2 Skillnader',
  '',
  '- #förtroende: Tillit.',
  '',
);
const transcript = lines(
  '**R1:** [Vi 😀 ses]{#kontrakt #förtroende} och {#ramar>}mer',
  'text{<#ramar} [plats]{#plattform #okänd}',
);

describe('semantic tokens', () => {
  it('colours each code in a transcript by its main theme, unknown codes apart', () => {
    const ws = workspace({ 'codebook.md': codebook, 'r1.md': transcript });
    const tokens = decode(semanticTokens(ws.index, ws.uri('r1.md')).data);
    const code = (needle: string, within?: string) =>
      at(locate(transcript, needle, within).start, needle.length);
    expect(tokens).toEqual([
      { ...code('#kontrakt'), type: 'kodkartaCode', modifiers: ['theme1'] },
      { ...code('#förtroende'), type: 'kodkartaCode', modifiers: ['theme2'] },
      { ...code('#ramar', '{#ramar>}'), type: 'kodkartaCode', modifiers: ['theme1'] },
      { ...code('#ramar', '{<#ramar}'), type: 'kodkartaCode', modifiers: ['theme1'] },
      { ...code('#plattform'), type: 'kodkartaCode', modifiers: ['theme1'] },
      { ...code('#okänd'), type: 'kodkartaUnknownCode', modifiers: [] },
    ]);
  });

  it('counts characters in UTF-16 code units, an emoji as two', () => {
    const ws = workspace({ 'codebook.md': codebook, 'r1.md': transcript });
    const [first] = decode(semanticTokens(ws.index, ws.uri('r1.md')).data);
    // '**R1:** [Vi ' is 12 units, the emoji 2, ' ses]{' 6.
    expect(first?.character).toBe(20);
  });

  it('colours codebook entries and mentions in document order', () => {
    const ws = workspace({ 'codebook.md': codebook });
    const tokens = decode(semanticTokens(ws.index, ws.uri('codebook.md')).data);
    expect(tokens.map((t) => [t.line, t.character, t.length, t.modifiers.join()])).toEqual([
      [2, 3, 6, 'theme1'],
      [2, 14, 11, 'theme2'],
      [6, 2, 9, 'theme1'],
      [7, 2, 6, 'theme1'],
      [11, 2, 11, 'theme2'],
    ]);
  });

  it('cycles the eight theme colours for a ninth main theme', () => {
    const many = Array.from({ length: 9 }, (_, i) => `# ${i + 1} Tema\n\n- #kod${i + 1}\n`).join('\n');
    const ws = workspace({ 'codebook.md': many, 'r1.md': '[a]{#kod8} [b]{#kod9}' });
    expect(decode(semanticTokens(ws.index, ws.uri('r1.md')).data).map((t) => t.modifiers)).toEqual([
      ['theme8'],
      ['theme1'],
    ]);
  });

  it('marks every code unknown without a codebook, and gives nothing for files it does not colour', () => {
    const ws = workspace({ 'r1.md': transcript });
    const tokens = decode(semanticTokens(ws.index, ws.uri('r1.md')).data);
    expect(tokens).toHaveLength(6);
    expect(tokens.every((t) => t.type === 'kodkartaUnknownCode' && t.modifiers.length === 0)).toBe(true);
    expect(semanticTokens(ws.index, 'file:///elsewhere/r1.md')).toEqual({ data: [] });
    expect(semanticTokens(ws.index, ws.uri('codebook.md'))).toEqual({ data: [] });
  });

  it('marks the opening bracket of a passage that ends on a later line, in document order', () => {
    const text = lines('**R1:** [Det var', 'svårt [först]{#ramar} och', 'sen]{#kontrakt} [kort]{#ramar}');
    const ws = workspace({ 'codebook.md': codebook, 'r1.md': text });
    const tokens = decode(semanticTokens(ws.index, ws.uri('r1.md')).data);
    expect(tokens.map((t) => [t.line, t.character, t.length, t.type])).toEqual([
      [0, 8, 1, 'kodkartaPassageBracket'],
      [1, 14, 6, 'kodkartaCode'],
      [2, 5, 9, 'kodkartaCode'],
      [2, 23, 6, 'kodkartaCode'],
    ]);
  });

  it('declares the legend the client maps to scopes', () => {
    expect(semanticTokensLegend.tokenTypes).toEqual([
      'kodkartaCode',
      'kodkartaUnknownCode',
      'kodkartaPassageBracket',
    ]);
    expect(semanticTokensLegend.tokenModifiers).toEqual(Array.from({ length: 8 }, (_, i) => `theme${i + 1}`));
  });
});
