import { describe, expect, it } from 'vitest';
import { DocumentHighlightKind, type Location } from 'vscode-languageserver';
import { definition, documentHighlights, references } from '../../server/src/language/navigation';
import { locate } from '../helpers/locate';
import { lines, positionAt, type Workspace, workspace } from '../helpers/workspace';

const codebook = lines(
  '---',
  'transcripts: intervjuer/*.md',
  '---',
  '',
  '# 1 Gemensamt',
  '',
  'Ramen bygger på #kontrakt, se också #förtroende.',
  '',
  '## 1.1 Kontraktet',
  '',
  '- #kontrakt: Överenskommelser om tid och plats. Aliases: plattform',
  '- #ramar: Ramen, som skiljer sig från #kontrakt.',
  '',
  '# 2 Skillnader',
  '',
  '- #förtroende: Tillit till den andra parten.',
  '',
);
const r1 = lines(
  '---',
  'participant: R1',
  '---',
  '',
  '**R1:** [Vi bestämmer tiden]{#kontrakt #ramar} och [litar]{#förtroende}.',
  '{#kontrakt>}Vi ses [på tisdagar]{#ramar}{<#kontrakt} i [paus] rummet.',
  '',
);
const r2 = lines('---', 'participant: R2', '---', '', '**R2:** [Platsen är fast]{#plattform}.', '');
const memo = lines('# Fältanteckningar', '', 'R2 säger #plattform men menar #kontrakt.', '');

const files = {
  'codebook.md': codebook,
  'intervjuer/r1.md': r1,
  'intervjuer/r2.md': r2,
  'memos/fältanteckningar.md': memo,
};

function study(): Workspace {
  return workspace(files);
}

type Path = keyof typeof files;

/** Where `needle` (the n-th one, counting from 0) is, as a location; the cursor goes one character in. */
function at(ws: Workspace, path: Path, needle: string, nth = 0): Location {
  const text = files[path];
  let from = -1;
  for (let i = 0; i <= nth; i++) from = text.indexOf(needle, from + 1);
  if (from === -1) throw new Error(`${needle} #${nth} is not in ${path}`);
  return {
    uri: ws.uri(path),
    range: { start: positionAt(text, from), end: positionAt(text, from + needle.length) },
  };
}

const cursor = (location: Location) => ({
  line: location.range.start.line,
  character: location.range.start.character + 1,
});

const sorted = (locations: Location[]) =>
  [...locations].sort(
    (a, b) =>
      a.uri.localeCompare(b.uri) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character,
  );

describe('definition', () => {
  it('goes from a tag in a transcript to the codebook entry', () => {
    const ws = study();
    const from = at(ws, 'intervjuer/r1.md', '#ramar');
    expect(definition(ws.index, from.uri, cursor(from))).toEqual([at(ws, 'codebook.md', '#ramar')]);
  });

  it('goes from an alias, an overlap marker and a memo mention to the entry of the code', () => {
    const ws = study();
    const entry = at(ws, 'codebook.md', '#kontrakt', 1);
    for (const from of [
      at(ws, 'intervjuer/r2.md', '#plattform'),
      at(ws, 'intervjuer/r1.md', '#kontrakt', 2),
      at(ws, 'memos/fältanteckningar.md', '#kontrakt'),
      at(ws, 'codebook.md', '#kontrakt', 0),
    ]) {
      expect(definition(ws.index, from.uri, cursor(from))).toEqual([entry]);
    }
  });

  it('finds both entries of a code listed twice', () => {
    const twice = codebook.replace('- #förtroende:', '- #ramar: Igen.\n- #förtroende:');
    const ws = workspace({ ...files, 'codebook.md': twice });
    const from = at(ws, 'intervjuer/r1.md', '#ramar');
    expect(definition(ws.index, from.uri, cursor(from)).map((l) => l.range.start.line)).toEqual([11, 15]);
  });

  it('finds nothing for an inductive code or off a code', () => {
    const ws = workspace({ ...files, 'intervjuer/r3.md': '[Text]{#okänd} och [paus]' });
    expect(definition(ws.index, ws.uri('intervjuer/r3.md'), { line: 0, character: 9 })).toEqual([]);
    expect(definition(ws.index, ws.uri('intervjuer/r3.md'), { line: 0, character: 21 })).toEqual([]);
    expect(definition(ws.index, ws.uri('intervjuer/r1.md'), { line: 4, character: 12 })).toEqual([]);
  });
});

describe('references', () => {
  it('finds every tag in every transcript, alias uses, codebook and memo mentions, and the entry', () => {
    const ws = study();
    const from = at(ws, 'intervjuer/r1.md', '#kontrakt');
    const expected = [
      at(ws, 'codebook.md', '#kontrakt', 0),
      at(ws, 'codebook.md', '#kontrakt', 1),
      at(ws, 'codebook.md', '#kontrakt', 2),
      at(ws, 'intervjuer/r1.md', '#kontrakt', 0),
      at(ws, 'intervjuer/r1.md', '#kontrakt', 1),
      at(ws, 'intervjuer/r1.md', '#kontrakt', 2),
      at(ws, 'intervjuer/r2.md', '#plattform'),
      at(ws, 'memos/fältanteckningar.md', '#plattform'),
      at(ws, 'memos/fältanteckningar.md', '#kontrakt'),
    ];
    expect(sorted(references(ws.index, from.uri, cursor(from), true))).toEqual(sorted(expected));
  });

  it('leaves the codebook entry out without the declaration', () => {
    const ws = study();
    const from = at(ws, 'memos/fältanteckningar.md', '#plattform');
    const found = references(ws.index, from.uri, cursor(from), false);
    expect(found).toHaveLength(8);
    expect(found).not.toContainEqual(at(ws, 'codebook.md', '#kontrakt', 1));
    expect(found).toContainEqual(at(ws, 'codebook.md', '#kontrakt', 2));
  });

  it('gives the same answer from the entry, a mention, an alias and a tag', () => {
    const ws = study();
    const answers = [
      at(ws, 'codebook.md', '#kontrakt', 1),
      at(ws, 'codebook.md', '#kontrakt', 2),
      at(ws, 'intervjuer/r2.md', '#plattform'),
      at(ws, 'memos/fältanteckningar.md', '#kontrakt'),
    ].map((from) => sorted(references(ws.index, from.uri, cursor(from), true)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it('finds the uses of an inductive code', () => {
    const ws = workspace({ ...files, 'intervjuer/r3.md': lines('[Text]{#okänd}', '[Mer]{#okänd #ramar}') });
    const found = references(ws.index, ws.uri('intervjuer/r3.md'), { line: 1, character: 8 }, true);
    expect(found.map((l) => l.range)).toEqual([
      locate('[Text]{#okänd}', '#okänd'),
      locate(lines('', '[Mer]{#okänd'), '#okänd'),
    ]);
  });

  it('finds nothing on a theme heading or in plain text', () => {
    const ws = study();
    expect(references(ws.index, ws.uri('codebook.md'), { line: 8, character: 5 }, true)).toEqual([]);
    expect(references(ws.index, ws.uri('intervjuer/r1.md'), { line: 5, character: 58 }, true)).toEqual([]);
  });
});

describe('document highlights', () => {
  it('highlights the code’s tags and overlap markers in the transcript', () => {
    const ws = study();
    const from = at(ws, 'intervjuer/r1.md', '#kontrakt', 1);
    const found = documentHighlights(ws.index, from.uri, cursor(from));
    expect(found).toEqual(
      [0, 1, 2].map((n) => ({
        range: at(ws, 'intervjuer/r1.md', '#kontrakt', n).range,
        kind: DocumentHighlightKind.Read,
      })),
    );
  });

  it('marks the codebook entry as a write and mentions as reads', () => {
    const ws = study();
    const from = at(ws, 'codebook.md', '#kontrakt', 2);
    const found = documentHighlights(ws.index, from.uri, cursor(from));
    expect(found).toEqual([
      { range: at(ws, 'codebook.md', '#kontrakt', 1).range, kind: DocumentHighlightKind.Write },
      { range: at(ws, 'codebook.md', '#kontrakt', 0).range, kind: DocumentHighlightKind.Read },
      { range: at(ws, 'codebook.md', '#kontrakt', 2).range, kind: DocumentHighlightKind.Read },
    ]);
  });

  it('highlights alias and name together in a memo', () => {
    const ws = study();
    const from = at(ws, 'memos/fältanteckningar.md', '#kontrakt');
    expect(documentHighlights(ws.index, from.uri, cursor(from)).map((h) => h.range)).toEqual([
      at(ws, 'memos/fältanteckningar.md', '#plattform').range,
      from.range,
    ]);
  });

  it('highlights nothing off a code', () => {
    const ws = study();
    expect(documentHighlights(ws.index, ws.uri('intervjuer/r1.md'), { line: 4, character: 3 })).toEqual([]);
  });
});
