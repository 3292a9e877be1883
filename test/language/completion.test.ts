import { describe, expect, it } from 'vitest';
import { type CompletionItem, CompletionItemKind } from 'vscode-languageserver';
import { completeCodes, resolveCompletion } from '../../server/src/language/completion';
import { applyEdits, codebookWithDefinitions, lines, workspace } from '../helpers/workspace';

// Uses: #kontrakt 3 (one through its alias), #förtroende 2, #ramar 1, #kontroll 0; #osäkerhet is inductive.
const r1 = lines(
  '---',
  'participant: R1',
  '---',
  '',
  '**I:** Hur börjar ni?',
  '',
  '**R1:** [Vi bestämmer tiden]{#kontrakt #ramar}, och sen [paus] pratar vi.',
  '[Jag litar på henne]{#förtroende} och [hon på mig]{#förtroende}.',
  '',
);
const r2 = lines(
  '---',
  'participant: R2',
  '---',
  '',
  '**R2:** [Platsen är fast]{#plattform}, [tiden också]{#kontrakt}.',
  '[Jag vet inte]{#osäkerhet}.',
  '',
);

/**
 * Completions at the `$0` in `text`, a file at `path` next to the study's files (a transcript path
 * other than r1 and r2 adds a third transcript, so the counts stay those of r1 and r2).
 */
function complete(path: string, text: string) {
  const files: Record<string, string> = {
    'codebook.md': codebookWithDefinitions,
    'intervjuer/r1.md': r1,
    'intervjuer/r2.md': r2,
  };
  files[path] = text;
  const ws = workspace(files);
  const list = completeCodes(ws.index, ws.cursor.uri, ws.cursor.position);
  return { ws, items: list.items, list };
}

const labels = (items: CompletionItem[]) => items.map((item) => item.label);
const bySortText = (items: CompletionItem[]) =>
  [...items].sort((a, b) => ((a.sortText ?? '') < (b.sortText ?? '') ? -1 : 1));
const item = (items: CompletionItem[], label: string) => {
  const found = items.find((i) => i.label === label);
  if (!found) throw new Error(`no completion ${label} in ${labels(items).join(', ')}`);
  return found;
};

/** The line after accepting a completion, as VS Code applies its textEdit. */
function accept(text: string, completion: CompletionItem): string {
  const edit = completion.textEdit;
  if (!edit || !('range' in edit)) throw new Error('completion without a plain textEdit');
  return applyEdits(text.replace('$0', ''), [edit]);
}

describe('completion in transcript tags', () => {
  it('offers every code after {# with the range covering the typed #', () => {
    const text = lines('**R1:** [Ny text]{#$0', '');
    const { items, ws } = complete('intervjuer/r3.md', text);
    expect(labels(items)).toEqual(
      expect.arrayContaining(['#kontrakt', '#förtroende', '#ramar', '#kontroll', '#plattform', '#osäkerhet']),
    );
    const edit = item(items, '#ramar').textEdit;
    const character = ws.cursor.position.character;
    expect(edit).toEqual({
      range: { start: { line: 0, character: character - 1 }, end: { line: 0, character } },
      newText: '#ramar',
    });
  });

  it('completes a partly typed code, {#ko, replacing the typed prefix', () => {
    const text = '**R1:** [Ny text]{#ko$0';
    const { items } = complete('intervjuer/r3.md', text);
    expect(accept(text, item(items, '#kontroll'))).toBe('**R1:** [Ny text]{#kontroll');
    expect(item(items, '#kontrakt').filterText).toBe('#kontrakt');
  });

  it('replaces the rest of the code name after the cursor as well', () => {
    const text = '**R1:** [Ny text]{#ko$0ntrakt "not"}';
    const { items } = complete('intervjuer/r3.md', text);
    expect(accept(text, item(items, '#kontroll'))).toBe('**R1:** [Ny text]{#kontroll "not"}');
  });

  it('completes a second code after a space inside the braces', () => {
    const text = '**R1:** [Ny text]{#kontrakt $0}';
    const { items } = complete('intervjuer/r3.md', text);
    expect(accept(text, item(items, '#ramar'))).toBe('**R1:** [Ny text]{#kontrakt #ramar}');
  });

  it('completes inside an opening overlap marker and a closing marker {<#', () => {
    const opening = 'Vi {#ra$0>} bestämmer';
    expect(accept(opening, item(complete('intervjuer/r3.md', opening).items, '#ramar'))).toBe(
      'Vi {#ramar>} bestämmer',
    );
    const closing = '{#ramar>}Vi bestämmer{<#$0';
    expect(accept(closing, item(complete('intervjuer/r3.md', closing).items, '#ramar'))).toBe(
      '{#ramar>}Vi bestämmer{<#ramar',
    );
    const bare = '{#ramar>}Vi bestämmer{<$0';
    expect(accept(bare, item(complete('intervjuer/r3.md', bare).items, '#ramar'))).toBe(
      '{#ramar>}Vi bestämmer{<#ramar',
    );
  });

  it('offers #förtroende for the Unicode prefix {#för', () => {
    const text = '[Tillit]{#för$0}';
    const { items } = complete('intervjuer/r3.md', text);
    const förtroende = item(items, '#förtroende');
    expect(förtroende.filterText?.startsWith('#för')).toBe(true);
    expect(accept(text, förtroende)).toBe('[Tillit]{#förtroende}');
  });

  it('matches a decomposed (NFD) typed prefix and inserts the NFC name', () => {
    const typed = '#för'.normalize('NFD');
    expect(typed).not.toBe('#för');
    const text = `[Tillit]{${typed}$0}`;
    const { items } = complete('intervjuer/r3.md', text);
    const förtroende = item(items, '#förtroende');
    expect(förtroende.filterText?.startsWith(typed)).toBe(true);
    expect(accept(text, förtroende)).toBe('[Tillit]{#f\u00f6rtroende}');
  });

  it('ranks known codes by use, then aliases, then inductive codes', () => {
    const { items } = complete('intervjuer/r3.md', '[Ny]{#$0}');
    expect(labels(bySortText(items))).toEqual([
      '#kontrakt',
      '#förtroende',
      '#ramar',
      '#kontroll',
      '#plattform',
      '#osäkerhet',
    ]);
  });

  it('breaks ties in use by Swedish alphabetical order', () => {
    const ws = workspace({ 'codebook.md': codebookWithDefinitions, 'intervjuer/r1.md': '[Ny]{#$0}' });
    const { items } = completeCodes(ws.index, ws.cursor.uri, ws.cursor.position);
    expect(labels(bySortText(items))).toEqual([
      '#förtroende',
      '#kontrakt',
      '#kontroll',
      '#ramar',
      '#plattform',
    ]);
  });

  it('offers an alias that inserts the code it stands for', () => {
    const text = '[Platsen]{#pla$0}';
    const { items } = complete('intervjuer/r3.md', text);
    const alias = item(items, '#plattform');
    expect(alias.kind).toBe(CompletionItemKind.Reference);
    expect(alias.detail).toBe('alias of #kontrakt');
    expect(alias.filterText).toBe('#plattform');
    expect(accept(text, alias)).toBe('[Platsen]{#kontrakt}');
  });

  it('lists inductive codes after known ones, with their use count', () => {
    const { items } = complete('intervjuer/r3.md', '[Ny]{#$0}');
    const inductive = item(items, '#osäkerhet');
    expect(inductive.kind).toBe(CompletionItemKind.Variable);
    expect(inductive.detail).toBe('not in the codebook · 1 segment');
    const known = items.filter((i) => i.kind === CompletionItemKind.Constant);
    expect(known.every((k) => (k.sortText ?? '') < (inductive.sortText ?? ''))).toBe(true);
  });

  it('documents a known code with its theme path and definition', () => {
    const { items } = complete('intervjuer/r3.md', '[Ny]{#$0}');
    const kontrakt = item(items, '#kontrakt');
    expect(kontrakt.detail).toBe('1 Gemensamt › 1.1 Kontraktet');
    expect(kontrakt.documentation).toEqual({
      kind: 'markdown',
      value: expect.stringContaining('Uttalade överenskommelser om tid och plats'),
    });
  });

  it('offers nothing in plain transcript text, transcription conventions or after a closed tag', () => {
    for (const text of [
      '**R1:** Vi bestämmer$0 tiden',
      '**R1:** Vi bestämmer $0',
      '**R1:** Vi [paus$0] bestämmer',
      '**R1:** Vi [paus] #hashtag$0 i texten',
      '**R1:** [Vi bestämmer]{#kontrakt} $0',
      '**R1:** [Vi bestämmer]{#kontrakt}$0',
    ]) {
      expect(complete('intervjuer/r3.md', text).items, text).toEqual([]);
    }
  });
});

describe('completion in the codebook and memos', () => {
  it('completes a code list item after #', () => {
    const text = codebookWithDefinitions.replace(
      '- #kontroll: Att styra samtalet.',
      '- #kontroll: Att styra samtalet.\n- #ko$0',
    );
    const { items } = complete('codebook.md', text);
    expect(labels(items)).toContain('#kontroll');
    expect(accept(text, item(items, '#kontroll'))).toContain('\n- #kontroll\n');
  });

  it('completes a mention in a theme definition', () => {
    const text = codebookWithDefinitions.replace('se #förtroende.', 'se #$0');
    expect(labels(complete('codebook.md', text).items)).toContain('#förtroende');
  });

  it('completes a mention in a memo, also after an opening parenthesis', () => {
    const memo = lines('# Fältanteckningar', '', 'R2 talar om platsen (#pla$0');
    const { items } = complete('memos/anteckningar.md', memo);
    expect(accept(memo, item(items, '#plattform'))).toBe(
      lines('# Fältanteckningar', '', 'R2 talar om platsen (#kontrakt'),
    );
  });

  it('does not complete a heading being typed', () => {
    for (const typed of ['#$0', '## $0', '# $0', '### #$0']) {
      const text = codebookWithDefinitions.replace('# 2 Skillnader', `${typed}\n\n# 2 Skillnader`);
      expect(complete('codebook.md', text).items, typed).toEqual([]);
    }
    expect(complete('memos/anteckningar.md', lines('Text', '', '#$0')).items).toEqual([]);
  });

  it('does not complete a # glued to a word, as in a URL fragment', () => {
    const memo = 'Se https://example.org/sida#$0';
    expect(complete('memos/anteckningar.md', memo).items).toEqual([]);
  });

  it('offers nothing in a file outside the project or past the last line', () => {
    const ws = workspace({ 'codebook.md': codebookWithDefinitions, 'intervjuer/r1.md': r1 });
    expect(completeCodes(ws.index, 'file:///elsewhere/x.md', { line: 0, character: 0 }).items).toEqual([]);
    expect(completeCodes(ws.index, ws.uri('intervjuer/r1.md'), { line: 99, character: 0 }).items).toEqual([]);
  });
});

describe('completion lists for clients that take defaults and resolve later', () => {
  const compact = { editRangeDefault: true, resolveDocumentation: true };
  const files = (text: string) => ({
    'codebook.md': codebookWithDefinitions,
    'intervjuer/r1.md': r1,
    'intervjuer/r2.md': r2,
    'intervjuer/ny.md': text,
  });

  it('give one edit range for all items and the same items otherwise, documentation on request', () => {
    const ws = workspace(files('---\nparticipant: R9\n---\n[Vi ses]{#ko$0}\n'));
    const full = completeCodes(ws.index, ws.cursor.uri, ws.cursor.position);
    const small = completeCodes(ws.index, ws.cursor.uri, ws.cursor.position, compact);
    const range = (full.items[0]?.textEdit as { range: unknown } | undefined)?.range;
    expect(small.itemDefaults?.editRange).toEqual(range);
    expect(labels(small.items)).toEqual(labels(full.items));
    expect(small.items.every((i) => i.textEdit === undefined && i.documentation === undefined)).toBe(true);
    // The alias inserts the code it stands for.
    expect(item(small.items, '#plattform').textEditText).toBe('#kontrakt');
    const kontrakt = item(small.items, '#kontrakt');
    expect(resolveCompletion(ws.index, kontrakt).documentation).toEqual(
      item(full.items, '#kontrakt').documentation,
    );
    expect(JSON.stringify(small).length).toBeLessThan(JSON.stringify(full).length);
  });

  it('are made once and reused until the codebook or a count changes', () => {
    const ws = workspace(files('---\nparticipant: R9\n---\n[Vi ses]{#$0}\n'));
    const first = completeCodes(ws.index, ws.cursor.uri, ws.cursor.position, compact);
    expect(completeCodes(ws.index, ws.cursor.uri, ws.cursor.position, compact).items).toBe(first.items);
    ws.index.update(ws.uri('intervjuer/r2.md'), r2.replace('#osäkerhet', '#ramar'));
    const after = completeCodes(ws.index, ws.cursor.uri, ws.cursor.position, compact);
    expect(after.items).not.toBe(first.items);
    expect(labels(bySortText(after.items)).slice(0, 3)).toEqual(['#kontrakt', '#förtroende', '#ramar']);
  });

  it('leave theme path and project to the list and the resolve step, for clients that take that (VS Code)', () => {
    const ws = workspace(files('---\nparticipant: R9\n---\n[Vi ses]{#ko$0}\n'));
    const full = completeCodes(ws.index, ws.cursor.uri, ws.cursor.position);
    const smallest = completeCodes(ws.index, ws.cursor.uri, ws.cursor.position, {
      ...compact,
      resolveDetail: true,
      dataDefault: true,
    });
    expect(smallest.itemDefaults?.data).toEqual({ project: ws.index.rootUri });
    expect(labels(smallest.items)).toEqual(labels(full.items));
    const codes = smallest.items.filter((i) => i.kind === item(full.items, '#kontrakt').kind);
    expect(codes.every((i) => i.detail === undefined && i.data === undefined)).toBe(true);
    // The client gives the resolve step the list's data; the item's label names the code.
    const kontrakt = { ...item(smallest.items, '#kontrakt'), data: smallest.itemDefaults?.data };
    const resolved = resolveCompletion(ws.index, kontrakt);
    expect(resolved.detail).toBe(item(full.items, '#kontrakt').detail);
    expect(resolved.documentation).toEqual(item(full.items, '#kontrakt').documentation);
    // An alias is not taken for the code it stands for.
    const alias = { ...item(smallest.items, '#plattform'), data: smallest.itemDefaults?.data };
    expect(resolveCompletion(ws.index, alias)).toEqual(alias);
    expect(JSON.stringify(smallest).length).toBeLessThan(
      JSON.stringify(completeCodes(ws.index, ws.cursor.uri, ws.cursor.position, compact)).length,
    );
  });

  it('are reused while the counts settle (indexing), and made again once they have', () => {
    const ws = workspace(files('---\nparticipant: R9\n---\n[Vi ses]{#$0}\n'));
    const settling = { ...compact, countsSettling: true };
    const first = completeCodes(ws.index, ws.cursor.uri, ws.cursor.position, settling);
    ws.index.update(ws.uri('intervjuer/r2.md'), r2.replace('#osäkerhet', '#ramar'));
    expect(completeCodes(ws.index, ws.cursor.uri, ws.cursor.position, settling).items).toBe(first.items);
    const settled = completeCodes(ws.index, ws.cursor.uri, ws.cursor.position, compact);
    expect(settled.items).not.toBe(first.items);
    expect(labels(bySortText(settled.items)).slice(0, 3)).toEqual(['#kontrakt', '#förtroende', '#ramar']);
  });
});
