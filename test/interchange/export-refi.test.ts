import { describe, expect, it } from 'vitest';
import { exportProject } from '../../server/src/core/interchange';
import { readXml, type XmlNode } from '../../server/src/core/interchange/xmlReader';
import { exampleStudy } from '../helpers/cli';
import { loadFixture } from '../helpers/project';
import { interchangeFixtures, schemaErrors, unzipText } from './helpers';

const example = loadFixture(exampleStudy);
const small = loadFixture(`${interchangeFixtures}small-project`);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function all(node: XmlNode, name: string): XmlNode[] {
  const out: XmlNode[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const at = stack.pop();
    if (!at) break;
    if (at.name === name) out.push(at);
    stack.push(...[...at.children].reverse());
  }
  return out;
}

describe('export --format qdc', () => {
  it('writes the example codebook valid against Codebook.xsd', async () => {
    const qdc = text(exportProject(example, 'qdc').bytes);
    expect(await schemaErrors(qdc, 'codebook')).toEqual([]);
    expect(
      qdc.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"'),
    ).toBe(true);
  });

  it('makes themes non-codable folders with codes nested under them and definitions as descriptions', () => {
    const root = readXml(text(exportProject(example, 'qdc').bytes), 'codebook.qdc');
    const codes = all(root, 'Code');
    const folders = codes.filter((c) => c.attributes.isCodable === 'false');
    expect(folders).toHaveLength(example.codebook?.themes.length ?? -1);
    const first = folders[0];
    expect(first?.attributes.name).toBe(
      '1 Gemensamt för den terapeutiska alliansen och handledningsalliansen',
    );
    const contract = codes.find((c) => c.attributes.name === 'kontrakt');
    expect(contract?.attributes.isCodable).toBe('true');
    expect(contract?.children.find((c) => c.name === 'Description')?.text).toBe(
      'Uttalade överenskommelser om tid, plats, frekvens, arvode och uppdrag. Aliases: överenskommelse, plattform',
    );
    const subtheme = folders.find((f) => f.attributes.name?.startsWith('1.1 '));
    expect(subtheme?.children.filter((c) => c.name === 'Code').map((c) => c.attributes.name)).toEqual([
      'kontrakt',
      'ramar',
    ]);
  });

  it('refuses a codebook with nothing in it rather than writing an invalid file', async () => {
    const { indexFiles } = await import('../helpers/project');
    const empty = indexFiles({ 'codebook.md': '---\ntitle: Tom\n---\n' });
    expect(() => exportProject(empty, 'qdc')).toThrow(/nothing to export/);
  });
});

describe('export --format qdpx', () => {
  const qdpx = exportProject(example, 'qdpx');
  const entries = unzipText(qdpx.bytes);
  const qde = entries['project.qde'] ?? '';
  const project = readXml(qde, 'project.qde');

  it('writes project.qde valid against Project.xsd, and one source file per transcript', async () => {
    expect(await schemaErrors(qde, 'project')).toEqual([]);
    const sources = all(project, 'TextSource');
    expect(sources).toHaveLength(7);
    expect(Object.keys(entries).sort()).toEqual(
      ['project.qde', ...sources.map((s) => `sources/${s.attributes.guid}.txt`)].sort(),
    );
    for (const source of sources)
      expect(source.attributes.plainTextPath).toBe(`internal://${source.attributes.guid}.txt`);
  });

  it('is byte-identical when exported twice', () => {
    expect(exportProject(loadFixture(exampleStudy), 'qdpx').bytes).toEqual(qdpx.bytes);
    expect(exportProject(loadFixture(exampleStudy), 'qdc').bytes).toEqual(
      exportProject(example, 'qdc').bytes,
    );
  });

  it('writes sources as UTF-8 with LF, no BOM, no tags, no front matter', () => {
    for (const [path, content] of Object.entries(entries)) {
      if (!path.startsWith('sources/')) continue;
      expect(content.charCodeAt(0)).not.toBe(0xfeff);
      expect(content).not.toContain('\r');
      expect(content).not.toMatch(/\]\{#|\{#[^}]*>\}|\{<#/);
      expect(content.startsWith('# Intervju')).toBe(true);
    }
  });

  it('makes every coded span a PlainTextSelection whose positions name its text', () => {
    const byGuid = new Map(all(project, 'TextSource').map((s) => [s.attributes.guid ?? '', s]));
    let selections = 0;
    for (const [guid, source] of byGuid) {
      const content = [...(entries[`sources/${guid}.txt`] ?? '')];
      for (const selection of all(source, 'PlainTextSelection')) {
        selections++;
        const start = Number(selection.attributes.startPosition);
        const end = Number(selection.attributes.endPosition);
        expect(content.slice(start, end).join('')).toBe(selection.attributes.name);
        expect(all(selection, 'Coding').length).toBeGreaterThan(0);
      }
    }
    const segments = example.transcripts().reduce((sum, t) => sum + t.segments.length, 0);
    expect(selections).toBe(segments);
  });

  it('turns participants into cases with typed variables, and tag notes into notes', () => {
    const variables = all(project, 'Variable').map((v) => [v.attributes.name, v.attributes.typeOfVariable]);
    expect(variables).toEqual([
      ['kön', 'Text'],
      ['yrke', 'Text'],
      ['yrkesår', 'Integer'],
      ['tyngdpunkt', 'Text'],
    ]);
    const cases = all(project, 'Case');
    expect(cases.map((c) => c.attributes.name)).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7']);
    expect(cases[0]?.children.find((c) => c.name === 'Description')?.text).toBe('Respondent 1');
    expect(all(cases[0] as XmlNode, 'IntegerValue')[0]?.text).toBe('32');
    const notes = all(project, 'Note').map((n) => all(n, 'PlainTextContent')[0]?.text);
    expect(notes).toContain('motöverföringen som kunskapskälla');
    expect(all(project, 'NoteRef').length).toBe(notes.length);
  });
});

describe('export of a project with memos, aliases, codes without a theme and unknown codes', () => {
  const result = exportProject(small, 'qdpx');
  const qde = unzipText(result.bytes)['project.qde'] ?? '';
  const project = readXml(qde, 'project.qde');

  it('is valid against Project.xsd', async () => {
    expect(await schemaErrors(qde, 'project')).toEqual([]);
    expect(await schemaErrors(text(exportProject(small, 'qdc').bytes), 'codebook')).toEqual([]);
  });

  it('lists codes without a theme and unknown codes at the top, and codes aliases as their code', () => {
    const top = project.children.find((c) => c.name === 'CodeBook')?.children[0]?.children ?? [];
    expect(top.map((c) => [c.attributes.name, c.attributes.isCodable])).toEqual([
      ['lös', 'true'],
      ['okänd', 'true'],
      ['1 Tillit', 'false'],
      ['2 Brott', 'false'],
    ]);
    const trust = all(project, 'Code').find((c) => c.attributes.name === 'tillit')?.attributes.guid;
    const refs = all(project, 'CodeRef').filter((r) => r.attributes.targetGUID === trust);
    // "viktig start" (tillit), "Ett plattformsord" (#förtroende, an alias) and "ramar" in R2.
    expect(refs).toHaveLength(3);
  });

  it('types variables where every value allows', () => {
    expect(all(project, 'Variable').map((v) => [v.attributes.name, v.attributes.typeOfVariable])).toEqual([
      ['yrke', 'Text'],
      ['yrkesår', 'Integer'],
      ['handleder', 'Boolean'],
      ['datum', 'Date'],
      ['vikt', 'Float'],
    ]);
    expect(all(project, 'DateValue').map((v) => v.text)).toEqual(['2024-03-05', '2023-11-20']);
    expect(all(project, 'FloatValue').map((v) => v.text)).toEqual(['1.5', '2']);
  });

  it('exports memo files as notes of the project', () => {
    const memo = all(project, 'Note').find((n) => n.attributes.name === 'tankar');
    expect(memo && all(memo, 'PlainTextContent')[0]?.text).toBe(
      '# Tankar\n\n#tillit och #närhet hänger ihop, tänker jag.\n',
    );
    const projectRefs = project.children
      .filter((c) => c.name === 'NoteRef')
      .map((r) => r.attributes.targetGUID);
    expect(projectRefs).toEqual([memo?.attributes.guid]);
  });
});
