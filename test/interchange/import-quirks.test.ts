import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportProject, type ImportPlan, planImport } from '../../server/src/core/interchange';
import { indexOfPlan, interchangeFixtures, schemaErrors, unzipText, utf8, zipFolder } from './helpers';

const file = (plan: ImportPlan, path: string) => plan.files.find((f) => f.path === path)?.text;

/** The import must read back as Kodkarta without a malformed tag, and export again validly. */
async function expectUsable(plan: ImportPlan): Promise<void> {
  const index = indexOfPlan(plan);
  for (const transcript of index.transcripts()) {
    expect(transcript.problems.filter((p) => p.rule === 'malformed-tag')).toEqual([]);
  }
  const qde = unzipText(exportProject(index, 'qdpx').bytes)['project.qde'] ?? '';
  expect(await schemaErrors(qde, 'project')).toEqual([]);
}

describe('import of the shapes ATLAS.ti writes', () => {
  // CRLF in the archive, made here so that no tool or git setting can change the fixture's bytes.
  const bytes = zipFolder(`${interchangeFixtures}atlas`, {
    transform: (path, content) =>
      path.endsWith('.txt') ? utf8(new TextDecoder().decode(content).replace(/\n/g, '\r\n')) : content,
  });
  const plan = planImport(bytes, 'tillit.qdpx');

  it('finds the .qde named after the project, sources in Sources/, and GUIDs in upper case and braces', async () => {
    expect(plan.files.map((f) => f.path)).toEqual([
      'codebook.md',
      'transcripts/Intervju Anna.md',
      'memos/Om ramar.md',
    ]);
    expect(file(plan, 'codebook.md')).toBe(
      '---\ntitle: Studie om tillit\ntranscripts: transcripts/**/*.md\n---\n\n- #Tillit\n- #Ramar-och-tider\n',
    );
    await expectUsable(plan);
  });

  it('reads CRLF counted as one character by checking the selections against the text they name', () => {
    expect(file(plan, 'transcripts/Intervju Anna.md')).toBe(
      [
        'Intervju med Anna 😀',
        'I: Hur började det?',
        `A: [Vi litade på varandra från början.]{#Tillit "Tilliten kom 'tidigt' {redan) första gången."}`,
        'A: [Sen kom ramen på plats]{#Ramar-och-tider}, och den höll.',
        '',
      ].join('\n'),
    );
  });

  it('turns notes linked to a selection into its note, and notes linked to a code into a memo', () => {
    expect(file(plan, 'memos/Om ramar.md')).toBe('# About #Ramar-och-tider\n\nRamar är det som håller.\n');
  });

  it('says what it could not carry over', () => {
    expect(plan.warnings).toEqual([
      '1 code name was not a valid Kodkarta code name and became: "Ramar och tider" → #Ramar-och-tider',
      '1 code colour is not kept: Kodkarta colours codes by theme',
      '1 link between objects not carried over (Kodkarta has no links)',
      '1 user is not carried over (who coded what is not kept)',
    ]);
  });
});

describe('import of the shapes NVivo writes', () => {
  const bytes = zipFolder(`${interchangeFixtures}nvivo`, {
    store: true,
    extra: { 'sources/.root': new Uint8Array() },
  });
  const plan = planImport(bytes, 'handledning.qdpx');

  it('reads a stored archive with sources/.root, lower-case GUIDs and codable parent codes', async () => {
    expect(file(plan, 'codebook.md')).toBe(
      [
        '---',
        'title: Handledning',
        'transcripts: transcripts/**/*.md',
        '---',
        '',
        '- #Minne',
        '',
        '# 1 Känslor',
        '',
        '- #Känslor: Allt om känslor.',
        '- #Glädje',
        '- #Ilska-frustration: Irritation, ilska och frustration.',
        '',
      ].join('\n'),
    );
    await expectUsable(plan);
  });

  it('takes participants and typed attributes from cases, annotations from selection descriptions', () => {
    expect(file(plan, 'transcripts/Bertil.md')).toBe(
      [
        '---',
        'participant: Bertil',
        'attributes:',
        '  Ålder: 54',
        '  Handleder: true',
        '  Yrke: psykolog',
        '---',
        '',
        'Bertil: Det var [glädje 😀 men {#Ilska-frustration #Känslor>}också]{#Glädje "En annotering från NVivo."} ilska{<#Ilska-frustration #Känslor}, blandat.',
        'Bertil: Jag minns inte mer.',
        '',
      ].join('\n'),
    );
    expect(file(plan, 'memos/imported-annotations.md')).toBe(
      '# Annotations on uncoded passages\n\nNotes that the imported project kept on passages with no code.\n\n## Bertil\n\n> Jag minns inte mer.\n\nBara en annotering, ingen kod.\n',
    );
  });

  it('says which sources, sets and colours it could not carry over', () => {
    expect(plan.warnings).toEqual([
      '1 code name was not a valid Kodkarta code name and became: "Ilska & frustration" → #Ilska-frustration',
      '1 code colour is not kept: Kodkarta colours codes by theme',
      '1 PDF source not carried over (Kodkarta codes text only): Artikel.pdf',
      '1 audio source not carried over (Kodkarta codes text only): Bertil.mp3',
      '1 picture source not carried over (Kodkarta codes text only): Teckning.png',
      '1 note on uncoded passages went to memos/imported-annotations.md',
      '1 set is not carried over',
    ]);
  });
});

describe('import of the shapes QualCoder writes', () => {
  const bytes = zipFolder(`${interchangeFixtures}qualcoder`, {
    transform: (path, content) =>
      path.endsWith('.txt') ? utf8(new TextDecoder().decode(content).replace(/\n/g, '\r\n')) : content,
  });
  const plan = planImport(bytes, 'lek.qdpx');

  it('strips BOMs, reads CRLF counted as two, variables on the source and notes referenced from selections', async () => {
    expect(file(plan, 'transcripts/Cecilia.md')).toBe(
      [
        '---',
        'attributes:',
        '  Erfarenhet: 12.5',
        '---',
        '',
        'Cecilia: Första raden.',
        'Cecilia: Vi [lekte med tankar 𝔸]{#lek "Leken som metod."} i gruppen.',
        'Cecilia: [Slut.]{#avslut}',
        '',
      ].join('\n'),
    );
    expect(file(plan, 'codebook.md')).toContain('# 1 Reflektion\n\nKategori.\n\n- #lek\n- #avslut\n');
    expect(file(plan, 'memos/Projektmemo.md')).toBe('Tankar om hela projektet.\n');
    await expectUsable(plan);
  });

  it('reads a misspelt namespace and an empty Sets, and says so about the namespace', () => {
    expect(plan.warnings).toEqual([
      'project.qde: namespace "urn:QDA-XML:project:1:0" instead of "urn:QDA-XML:project:1.0"; read anyway',
    ]);
  });

  it('imports a codebook with a BOM', () => {
    const codebook = planImport(
      new Uint8Array(readFileSync(`${interchangeFixtures}qualcoder-codebook.qdc`)),
      'koder.qdc',
    );
    expect(codebook.files).toEqual([
      {
        path: 'codebook.md',
        text: '---\ntitle: koder\n---\n\n- #övrigt\n\n# 1 Relation\n\nAllt om relationen.\n\n- #tillit: Att lita på den andra.\n- #närhet\n',
      },
    ]);
    expect(codebook.warnings).toEqual([
      '2 code colours are not kept: Kodkarta colours codes by theme',
      '1 code set is not carried over (Kodkarta groups codes by theme)',
    ]);
  });
});

describe('other placements', () => {
  const project = (sources: string, extra = '') =>
    utf8(`<?xml version="1.0"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="P">
  <CodeBook><Codes><Code guid="00000000-0000-4000-8000-000000000001" name="a" isCodable="true"/></Codes></CodeBook>
  ${extra}
  <Sources>${sources}</Sources>
</Project>`);

  it('reads a bare .qde with inline text, and a coding of the whole source as a passage over all of it', () => {
    const plan = planImport(
      project(`<TextSource guid="00000000-0000-4000-8000-000000000002" name="Inline">
        <PlainTextContent>  Hela texten.\n</PlainTextContent>
        <Coding guid="00000000-0000-4000-8000-000000000003"><CodeRef targetGUID="00000000-0000-4000-8000-000000000001"/></Coding>
      </TextSource>`),
      'p.qde',
    );
    expect(file(plan, 'transcripts/Inline.md')).toBe('  [Hela texten.]{#a}\n');
    expect(plan.warnings).toEqual([
      'source "Inline": 1 coding of the whole source became a passage over its whole text',
    ]);
  });

  it('keeps the first of several cases, and says so', () => {
    const plan = planImport(
      project(
        '<TextSource guid="00000000-0000-4000-8000-000000000002" name="Grupp"><PlainTextContent>Text</PlainTextContent></TextSource>',
        `<Cases>
          <Case guid="00000000-0000-4000-8000-000000000011" name="Anna"><SourceRef targetGUID="00000000-0000-4000-8000-000000000002"/></Case>
          <Case guid="00000000-0000-4000-8000-000000000012" name="Bo"><SourceRef targetGUID="00000000-0000-4000-8000-000000000002"/><SelectionRef targetGUID="00000000-0000-4000-8000-000000000099"/></Case>
          <Case guid="00000000-0000-4000-8000-000000000013" name="Ensam"/>
        </Cases>`,
      ),
      'p.qde',
    );
    expect(file(plan, 'transcripts/Grupp.md')).toBe('---\nparticipant: Anna\n---\n\nText');
    expect(plan.warnings).toEqual([
      'case "Ensam" refers to no source: its attributes are not carried over',
      '1 passage assigned to cases: case membership of single passages is not carried over',
      'source "Grupp" belongs to 2 cases (Anna, Bo): a transcript has one participant, the first is kept',
    ]);
  });

  it('says when a source has only rich text or lies outside the archive, and when a coding names no code', () => {
    const plan = planImport(
      project(`<TextSource guid="00000000-0000-4000-8000-000000000002" name="Rik" richTextPath="internal://x.docx"/>
        <TextSource guid="00000000-0000-4000-8000-000000000003" name="Extern" plainTextPath="relative://extern.txt"/>
        <TextSource guid="00000000-0000-4000-8000-000000000004" name="Fel"><PlainTextContent>Ord här</PlainTextContent>
          <PlainTextSelection guid="00000000-0000-4000-8000-000000000005" startPosition="0" endPosition="3">
            <Coding guid="00000000-0000-4000-8000-000000000006"><CodeRef targetGUID="00000000-0000-4000-8000-0000000000ff"/></Coding>
          </PlainTextSelection>
          <PlainTextSelection guid="00000000-0000-4000-8000-000000000007" startPosition="4" endPosition="99">
            <Coding guid="00000000-0000-4000-8000-000000000008"><CodeRef targetGUID="00000000-0000-4000-8000-000000000001"/></Coding>
          </PlainTextSelection>
        </TextSource>`),
      'p.qde',
    );
    expect(plan.files.map((f) => f.path)).toEqual(['codebook.md', 'transcripts/Fel.md']);
    expect(plan.warnings).toEqual([
      'source "Rik" has only rich text (internal://x.docx), no plain text: not carried over',
      'source "Extern": its text lies outside the archive (relative://extern.txt) and is not carried over',
      'a coding refers to a code that is not in the codebook (00000000-0000-4000-8000-0000000000ff): left out',
      'source "Fel": 1 selection outside the text or empty, left out',
      'source "Fel": 1 selection with no code and no note, left out',
    ]);
  });
});
