import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCodebook } from '../../server/src/core/codebook';
import { findMentions } from '../../server/src/core/mentions';
import { parseTranscript, plainText } from '../../server/src/core/transcript';
import type { FileEdits } from '../../server/src/language/edits';
import { occurrencesOf } from '../../server/src/language/locate';
import { prepareRename, type RenameResult, rename } from '../../server/src/language/rename';
import { cursorOn, locate } from '../helpers/locate';
import { codebookForPool, codePool, transcriptText } from '../helpers/transcripts';
import { applyEdits, lines, type Workspace, workspace } from '../helpers/workspace';

// The property tests' codebook (1 Gemensamt › 1.1 Kontraktet: #kontrakt, alias #plattform, and #ramar;
// 2 Skillnader: #förtroende), with #tillit added under theme 2.
const codebook = `${codebookForPool}- #tillit: Att lita på någon.\n`;
const r1 = lines(
  '---',
  'participant: R1',
  '---',
  '',
  '**R1:** [Vi bestämmer tiden]{#kontrakt #ramar} och [litar]{#förtroende "not"}.',
  '{#ramar>}Vi ses [på tisdagar]{#kontrakt}{<#ramar} i [paus] rummet.',
  '',
);
const r2 = lines(
  '---',
  'participant: R2',
  '---',
  '',
  '**R2:** [Platsen]{#plattform} och [tiden]{#ramar}.',
  '',
);
const memo = lines('# Anteckningar', '', 'R2 nämner #ramar och #plattform.', '');

const files: Record<string, string> = {
  'codebook.md': codebook,
  'intervjuer/r1.md': r1,
  'intervjuer/r2.md': r2,
  'memos/anteckningar.md': memo,
};

/** The cursor one character into `needle` (inside `within`) in a file. */
const on = (path: string, needle: string, within?: string) => cursorOn(files[path] ?? '', needle, within);

/** Every file's text after a rename's edits, by path; files without edits keep their text. */
function applied(ws: Workspace, edits: FileEdits): Record<string, string> {
  const out = { ...ws.files };
  for (const [uri, list] of edits) {
    const path = Object.keys(ws.files).find((p) => ws.uri(p) === uri);
    if (!path) throw new Error(`edit for a file that is not in the workspace: ${uri}`);
    out[path] = applyEdits(ws.files[path] ?? '', list);
  }
  return out;
}

function renamed(result: RenameResult | { error: string }): RenameResult {
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('prepareRename', () => {
  const ws = workspace(files);

  it('offers the code name without # for a code in a tag, entry or mention', () => {
    for (const [path, needle, within] of [
      ['intervjuer/r1.md', '#ramar', undefined],
      ['intervjuer/r1.md', '#ramar', '{#ramar>}'],
      ['codebook.md', '#ramar', undefined],
      ['memos/anteckningar.md', '#ramar', undefined],
    ] as const) {
      const range = locate(files[path] ?? '', '#ramar', within);
      expect(prepareRename(ws.index, ws.uri(path), on(path, needle, within))).toEqual({
        range: { start: { ...range.start, character: range.start.character + 1 }, end: range.end },
        placeholder: 'ramar',
      });
    }
  });

  it('offers the NFC name for a code written decomposed', () => {
    const decomposed = '[Tillit]{#förtroende}'.normalize('NFD');
    const nfd = workspace({ ...files, 'intervjuer/r3.md': decomposed });
    expect(prepareRename(nfd.index, nfd.uri('intervjuer/r3.md'), { line: 0, character: 10 })).toMatchObject({
      placeholder: 'förtroende',
    });
  });

  it('offers the theme name without its number on a heading', () => {
    expect(
      prepareRename(ws.index, ws.uri('codebook.md'), on('codebook.md', 'Kontraktet', '## 1.1 Kontraktet')),
    ).toEqual({
      range: locate(codebook, 'Kontraktet', '## 1.1 Kontraktet'),
      placeholder: 'Kontraktet',
    });
  });

  it('refuses an alias, naming the code to rename instead', () => {
    const result = prepareRename(ws.index, ws.uri('intervjuer/r2.md'), on('intervjuer/r2.md', '#plattform'));
    expect(result).toEqual({ error: expect.stringContaining('#plattform is an alias of #kontrakt') });
  });

  it('refuses plain text, [paus] and a note', () => {
    for (const needle of ['bestämmer', 'paus', 'not']) {
      expect(prepareRename(ws.index, ws.uri('intervjuer/r1.md'), on('intervjuer/r1.md', needle))).toEqual({
        error: expect.any(String),
      });
    }
    expect(prepareRename(ws.index, ws.uri('codebook.md'), on('codebook.md', 'Tillit till'))).toHaveProperty(
      'error',
    );
  });
});

describe('rename a code', () => {
  it('renames tags in every transcript, overlap markers, the entry and all mentions', () => {
    const ws = workspace(files);
    const result = renamed(
      rename(ws.index, ws.uri('intervjuer/r2.md'), on('intervjuer/r2.md', '#ramar'), 'gränser'),
    );
    expect(result.merge).toBeUndefined();
    const out = applied(ws, result.edits);
    expect(out['intervjuer/r1.md']).toBe(r1.replaceAll('#ramar', '#gränser'));
    expect(out['intervjuer/r2.md']).toBe(r2.replaceAll('#ramar', '#gränser'));
    expect(out['memos/anteckningar.md']).toBe(memo.replaceAll('#ramar', '#gränser'));
    expect(out['codebook.md']).toBe(codebook.replaceAll('#ramar', '#gränser'));
  });

  it('leaves alias uses alone: they keep counting for the renamed code through its entry', () => {
    const ws = workspace(files);
    const result = renamed(
      rename(ws.index, ws.uri('codebook.md'), on('codebook.md', '#kontrakt', '- #kontrakt'), 'avtal'),
    );
    const out = applied(ws, result.edits);
    expect(out['intervjuer/r2.md']).toContain('{#plattform}');
    expect(out['codebook.md']).toContain('- #avtal: Överenskommelser om tid och plats. Aliases: plattform');
    expect(out['codebook.md']).toContain('Alliansen vilar på #avtal och');
    expect(out['codebook.md']).toContain('jämför #avtal.');
  });

  it('accepts a leading # and writes a decomposed name in NFC', () => {
    const ws = workspace(files);
    const result = renamed(
      rename(
        ws.index,
        ws.uri('intervjuer/r1.md'),
        on('intervjuer/r1.md', '#ramar'),
        '  #gräns '.normalize('NFD'),
      ),
    );
    const out = applied(ws, result.edits);
    expect(out['intervjuer/r2.md']).toContain('[tiden]{#gr\u00e4ns}');
  });

  it('renames every spelling of a code, a decomposed one included', () => {
    const ws = workspace({ ...files, 'intervjuer/r3.md': '[Tillit]{#förtroende}'.normalize('NFD') });
    const result = renamed(
      rename(ws.index, ws.uri('intervjuer/r1.md'), on('intervjuer/r1.md', '#förtroende'), 'tilltro'),
    );
    expect(applied(ws, result.edits)['intervjuer/r3.md']).toBe('[Tillit]{#tilltro}');
  });

  it('changes nothing when the name stays the same', () => {
    const ws = workspace(files);
    expect(rename(ws.index, ws.uri('intervjuer/r1.md'), on('intervjuer/r1.md', '#ramar'), '#ramar')).toEqual({
      edits: new Map(),
    });
  });

  it('refuses names that are not code names', () => {
    const ws = workspace(files);
    for (const name of ['', '#', 'två ord', 'kod!', 'a//b', '/a', 'a/', 'fråga?', 'x"y']) {
      const result = rename(ws.index, ws.uri('intervjuer/r1.md'), on('intervjuer/r1.md', '#ramar'), name);
      expect(result, JSON.stringify(name)).toEqual({ error: expect.any(String) });
    }
  });

  it('refuses a new name that is another code’s alias, whose uses would silently change code', () => {
    const ws = workspace(files);
    expect(
      rename(ws.index, ws.uri('intervjuer/r1.md'), on('intervjuer/r1.md', '#ramar'), 'plattform'),
    ).toEqual({
      error: expect.stringContaining('#plattform is an alias of #kontrakt'),
    });
  });

  it('lets a code take its own alias as its name: the alias uses keep counting for it', () => {
    const ws = workspace(files);
    const result = renamed(
      rename(ws.index, ws.uri('codebook.md'), on('codebook.md', '#kontrakt', '- #kontrakt'), 'plattform'),
    );
    const out = workspace(applied(ws, result.edits)).index;
    expect(out.totals().codes.get('plattform')?.segments).toBe(
      ws.index.totals().codes.get('kontrakt')?.segments,
    );
  });

  it('refuses to rename through an alias or plain text', () => {
    const ws = workspace(files);
    expect(
      rename(ws.index, ws.uri('intervjuer/r2.md'), on('intervjuer/r2.md', '#plattform'), 'x'),
    ).toHaveProperty('error');
    expect(
      rename(ws.index, ws.uri('intervjuer/r2.md'), on('intervjuer/r2.md', 'Platsen'), 'x'),
    ).toHaveProperty('error');
  });
});

describe('rename onto an existing code merges', () => {
  it('sets merge, removes the old entry, adds the old name as an alias and drops duplicate codes', () => {
    const ws = workspace(files);
    const result = renamed(
      rename(ws.index, ws.uri('intervjuer/r1.md'), on('intervjuer/r1.md', '#ramar'), 'kontrakt'),
    );
    expect(result.merge).toEqual({ from: 'ramar', into: 'kontrakt' });
    const out = applied(ws, result.edits);
    expect(out['codebook.md']).toBe(
      codebook
        .replace('- #ramar: Ramen som håller, jämför #kontrakt.\n', '')
        .replace('Aliases: plattform', 'Aliases: plattform, ramar'),
    );
    expect(out['intervjuer/r1.md']).toBe(
      lines(
        '---',
        'participant: R1',
        '---',
        '',
        '**R1:** [Vi bestämmer tiden]{#kontrakt} och [litar]{#förtroende "not"}.',
        '{#kontrakt>}Vi ses [på tisdagar]{#kontrakt}{<#kontrakt} i [paus] rummet.',
        '',
      ),
    );
    expect(out['memos/anteckningar.md']).toContain('R2 nämner #kontrakt och #plattform.');
    const merged = parseCodebook(ws.uri('codebook.md'), out['codebook.md'] ?? '');
    expect(merged.aliases.get('ramar')).toBe('kontrakt');
    expect(merged.codes.has('ramar')).toBe(false);
  });

  it('starts an alias list on a target code that had none', () => {
    const ws = workspace(files);
    const result = renamed(
      rename(ws.index, ws.uri('codebook.md'), on('codebook.md', '#tillit'), 'förtroende'),
    );
    expect(result.merge).toEqual({ from: 'tillit', into: 'förtroende' });
    const out = applied(ws, result.edits)['codebook.md'] ?? '';
    expect(out).toContain('- #förtroende: Tillit till den andra parten. Aliases: tillit\n');
    expect(out).not.toContain('#tillit');
  });

  it('carries the merged code’s own aliases over to the target', () => {
    const ws = workspace(files);
    const result = renamed(
      rename(ws.index, ws.uri('codebook.md'), on('codebook.md', '#kontrakt', '- #kontrakt'), 'ramar'),
    );
    const out = applied(ws, result.edits)['codebook.md'] ?? '';
    expect(out).toContain('- #ramar: Ramen som håller, jämför #ramar. Aliases: kontrakt, plattform');
    expect(parseCodebook(ws.uri('codebook.md'), out).aliases.get('plattform')).toBe('ramar');
  });

  it('merges an inductive code into a listed one without touching the codebook entries', () => {
    const ws = workspace({
      ...files,
      'intervjuer/r3.md': '[Osäker]{#osäkerhet #ramar} och [igen]{#osäkerhet}',
    });
    const result = renamed(rename(ws.index, ws.uri('intervjuer/r3.md'), { line: 0, character: 12 }, 'ramar'));
    expect(result.merge).toEqual({ from: 'osäkerhet', into: 'ramar' });
    expect([...result.edits.keys()]).toEqual([ws.uri('intervjuer/r3.md')]);
    // The duplicate goes with the space before it; first in its tag, with the space after it.
    const out = applied(ws, result.edits)['intervjuer/r3.md'] ?? '';
    expect(out).toBe('[Osäker]{#ramar} och [igen]{#ramar}');
    expect(
      parseTranscript(ws.uri('intervjuer/r3.md'), out).segments.map((s) => s.codes.map((c) => c.name)),
    ).toEqual([['ramar'], ['ramar']]);
  });

  it('counts a rename onto a used inductive code as a merge', () => {
    const ws = workspace({ ...files, 'intervjuer/r3.md': '[Osäker]{#osäkerhet}' });
    const result = renamed(
      rename(ws.index, ws.uri('intervjuer/r1.md'), on('intervjuer/r1.md', '#ramar'), 'osäkerhet'),
    );
    expect(result.merge).toEqual({ from: 'ramar', into: 'osäkerhet' });
    expect(applied(ws, result.edits)['codebook.md']).toContain('- #osäkerhet: Ramen som håller');
  });
});

describe('rename a theme', () => {
  it('replaces the heading’s name and keeps its number', () => {
    const ws = workspace(files);
    const result = renamed(
      rename(
        ws.index,
        ws.uri('codebook.md'),
        on('codebook.md', 'Kontraktet', '## 1.1 Kontraktet'),
        '  Ramarna  ',
      ),
    );
    expect(applied(ws, result.edits)['codebook.md']).toBe(
      codebook.replace('## 1.1 Kontraktet', '## 1.1 Ramarna'),
    );
    expect(result.merge).toBeUndefined();
  });

  it('refuses an empty or multi-line theme name', () => {
    const ws = workspace(files);
    for (const name of ['', '   ', 'Två\nrader', 'Två\r\nrader']) {
      expect(rename(ws.index, ws.uri('codebook.md'), on('codebook.md', 'Gemensamt'), name)).toHaveProperty(
        'error',
      );
    }
  });
});

describe('rename keeps every transcript’s text (property)', () => {
  const newName = fc.oneof(
    fc.constantFrom(...codePool),
    fc.constantFrom('ny-kod', 'ärlighet', 'Kontrakt', 'höst/vår', '#med-hash', 'ö'.normalize('NFD')),
  );

  it('leaves plainText byte-identical and no trace of the old code in tags, entries or mentions', () => {
    fc.assert(
      fc.property(
        fc.array(transcriptText, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('kontrakt', 'ramar', 'förtroende', 'osäkerhet', 'tillit/inre'),
        newName,
        fc.nat(),
        (transcripts, from, into, pick) => {
          const input: Record<string, string> = {
            'codebook.md': codebookForPool,
            'memos/m.md': `Om #${from} och #kontrakt.\n`,
          };
          transcripts.forEach((t, i) => {
            input[`intervjuer/r${i + 1}.md`] = t.text;
          });
          const ws = workspace(input);
          // Rename from a random place the code is written, as a user would.
          const places = occurrencesOf(ws.index, from, { aliases: false });
          fc.pre(places.length > 0);
          const place = places[pick % places.length];
          if (!place) return;
          const result = rename(ws.index, place.uri, place.lines.positionAt(place.span.start + 1), into);
          const nfcInto = into.replace(/^#/, '').normalize('NFC');
          if ('error' in result) {
            // Only another code's alias is refused as a new name.
            expect([nfcInto, from]).toEqual(['plattform', expect.not.stringMatching(/^kontrakt$/)]);
            return;
          }
          const out = applied(ws, result.edits);

          transcripts.forEach((_, i) => {
            const path = `intervjuer/r${i + 1}.md`;
            const before = parseTranscript(ws.uri(path), ws.files[path] ?? '');
            const after = parseTranscript(ws.uri(path), out[path] ?? '');
            expect(plainText(after)).toBe(plainText(before));
            expect(before.problems.filter((p) => p.rule === 'malformed-tag')).toEqual([]);
            expect(after.problems.filter((p) => p.rule === 'malformed-tag')).toEqual([]);
            const brackets = (t: typeof before) =>
              t.segments.filter((segment) => segment.kind === 'span').length;
            expect(brackets(after)).toBe(brackets(before));
            if (nfcInto !== from)
              expect(after.tags.flatMap((tag) => tag.codes.map((c) => c.name))).not.toContain(from);
          });
          if (nfcInto !== from) {
            const after = parseCodebook(ws.uri('codebook.md'), out['codebook.md'] ?? '');
            expect(after.codes.has(from)).toBe(false);
            expect(after.mentions.map((m) => m.name)).not.toContain(from);
            expect(findMentions(out['memos/m.md'] ?? '').map((m) => m.name)).not.toContain(from);
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
