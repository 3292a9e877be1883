import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CodeAction, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import type { Span } from '../../server/src/core/text';
import { parseTranscript, plainText, type Transcript } from '../../server/src/core/transcript';
import { codableSelection, codeActions, codeSelectionEdits } from '../../server/src/language/codeActions';
import { documentDiagnostics } from '../../server/src/language/diagnostics';
import { cursorOn, locate } from '../helpers/locate';
import { transcriptText } from '../helpers/transcripts';
import { applyEdits, lines, offsetAt, type Workspace, workspace } from '../helpers/workspace';

const codebook = lines(
  '---',
  'transcripts: intervjuer/*.md',
  '---',
  '',
  '# 1 Gemensamt',
  '',
  'Det som är lika i båda relationerna.',
  '',
  '## 1.1 Kontraktet',
  '',
  '- #kontrakt: Överenskommelser om tid och plats. Aliases: plattform',
  '- #ramar: Ramen som håller.',
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
  '**R1:** [Vi bestämmer tiden]{#kontrakt #ramar "viktigt"} och [litar]{#Förtroende}.',
  '[Hon förstår]{#Förtroende} och [vi pratar]{#nytt} om [platsen]{#plattform}.',
  '{#ramar>}Ramen [håller]{#kontrakt} oss{<#ramar} [paus] kvar.',
  '',
);

function study(files: Record<string, string> = {}): Workspace {
  return workspace({ 'codebook.md': codebook, 'intervjuer/r1.md': r1, ...files });
}

const R1 = 'intervjuer/r1.md';

/** Code actions for a range of a file, with the file's real diagnostics as VS Code would send them. */
function actionsAt(
  ws: Workspace,
  path: string,
  range: Range,
  diagnostics = documentDiagnostics(ws.index, ws.uri(path)),
) {
  const touching = diagnostics.filter(
    (d) =>
      d.range.start.line === range.start.line &&
      d.range.start.character <= range.end.character &&
      range.start.character <= d.range.end.character,
  );
  return codeActions(ws.index, { uri: ws.uri(path), range, diagnostics: touching });
}

function action(actions: CodeAction[], title: string): CodeAction {
  const found = actions.find((a) => a.title === title);
  if (!found) throw new Error(`no action "${title}" in: ${actions.map((a) => a.title).join(' | ')}`);
  return found;
}

/** The text of a file after an action's edit. */
function textAfter(ws: Workspace, path: string, codeAction: CodeAction): string {
  const edits = codeAction.edit?.changes?.[ws.uri(path)];
  if (!edits) throw new Error(`the action does not edit ${path}`);
  return applyEdits(ws.files[path] ?? '', edits);
}

/** An empty selection one character into `needle` (inside `within`). */
const point = (text: string, needle: string, within?: string): Range => {
  const at = cursorOn(text, needle, within);
  return { start: at, end: at };
};

describe('add an unknown code to the codebook', () => {
  it('offers every theme, and under a theme with codes inserts after its last code', () => {
    const ws = study();
    const actions = actionsAt(ws, R1, point(r1, '#nytt'));
    expect(actions.filter((a) => a.title.startsWith('Add #nytt')).map((a) => a.title)).toEqual([
      'Add #nytt to the codebook under 1 Gemensamt',
      'Add #nytt to the codebook under 1.1 Kontraktet',
      'Add #nytt to the codebook under 2 Skillnader',
    ]);
    const add = action(actions, 'Add #nytt to the codebook under 1.1 Kontraktet');
    expect(add.kind).toBe('quickfix');
    expect(add.diagnostics?.map((d) => d.code)).toEqual(['unknown-code']);
    expect(textAfter(ws, 'codebook.md', add)).toBe(
      codebook.replace('- #ramar: Ramen som håller.', '- #ramar: Ramen som håller.\n- #nytt:'),
    );
  });

  it('under a theme without codes inserts a list before its first subtheme', () => {
    const ws = study();
    const add = action(actionsAt(ws, R1, point(r1, '#nytt')), 'Add #nytt to the codebook under 1 Gemensamt');
    expect(textAfter(ws, 'codebook.md', add)).toBe(
      codebook.replace(
        'lika i båda relationerna.\n\n## 1.1',
        'lika i båda relationerna.\n\n- #nytt:\n\n## 1.1',
      ),
    );
  });

  it('under a last theme without codes appends a list at the end of the file', () => {
    const bare = lines('# 1 Gemensamt', '', 'Text.');
    const ws = study({ 'codebook.md': bare });
    const add = action(actionsAt(ws, R1, point(r1, '#nytt')), 'Add #nytt to the codebook under 1 Gemensamt');
    expect(textAfter(ws, 'codebook.md', add)).toBe(lines('# 1 Gemensamt', '', 'Text.', '', '- #nytt:', ''));
  });

  it('keeps a CRLF codebook CRLF', () => {
    const crlf = codebook.replace(/\n/g, '\r\n');
    const ws = study({ 'codebook.md': crlf });
    const actions = actionsAt(ws, R1, point(r1, '#nytt'));
    const underCodes = textAfter(
      ws,
      'codebook.md',
      action(actions, 'Add #nytt to the codebook under 1.1 Kontraktet'),
    );
    expect(underCodes).toBe(
      crlf.replace('- #ramar: Ramen som håller.', '- #ramar: Ramen som håller.\r\n- #nytt:'),
    );
    const underTheme = textAfter(
      ws,
      'codebook.md',
      action(actions, 'Add #nytt to the codebook under 1 Gemensamt'),
    );
    expect(underTheme).toContain('relationerna.\r\n\r\n- #nytt:\r\n\r\n## 1.1');
    expect(underTheme.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('makes the code known once applied', () => {
    const ws = study();
    const add = action(actionsAt(ws, R1, point(r1, '#nytt')), 'Add #nytt to the codebook under 2 Skillnader');
    const fixed = study({ 'codebook.md': textAfter(ws, 'codebook.md', add) });
    expect(fixed.index.themeOf('nytt')).toBe(2);
    expect(documentDiagnostics(fixed.index, fixed.uri(R1)).map((d) => d.code)).not.toContain('unknown-code');
  });
});

describe('replace a misspelt or aliased code', () => {
  it('replaces the one misspelt code, as the preferred fix', () => {
    const ws = study();
    const replace = action(actionsAt(ws, R1, point(r1, '#Förtroende')), 'Replace with #förtroende');
    expect(replace.isPreferred).toBe(true);
    expect(replace.diagnostics?.map((d) => d.code)).toEqual(['misspelt-code']);
    expect(textAfter(ws, R1, replace)).toBe(r1.replace('{#Förtroende}', '{#förtroende}'));
  });

  it('replaces all uses when the misspelling is used more than once', () => {
    const ws = study();
    const all = action(
      actionsAt(ws, R1, point(r1, '#Förtroende')),
      'Replace all 2 uses of #Förtroende with #förtroende',
    );
    expect(all.isPreferred).toBeUndefined();
    expect(textAfter(ws, R1, all)).toBe(r1.replaceAll('#Förtroende', '#förtroende'));
  });

  it('replaces an alias with its code, without a replace-all for a single use', () => {
    const ws = study();
    const actions = actionsAt(ws, R1, point(r1, '#plattform'));
    expect(textAfter(ws, R1, action(actions, 'Replace with #kontrakt'))).toBe(
      r1.replace('#plattform', '#kontrakt'),
    );
    expect(actions.some((a) => a.title.startsWith('Replace all'))).toBe(false);
  });

  it('ignores diagnostics from other sources', () => {
    const ws = study();
    const foreign: Diagnostic[] = documentDiagnostics(ws.index, ws.uri(R1)).map((d) => ({
      ...d,
      source: 'cspell',
    }));
    const actions = actionsAt(ws, R1, point(r1, '#nytt'), foreign);
    expect(actions.filter((a) => a.kind === 'quickfix')).toEqual([]);
  });
});

describe('remove codings', () => {
  it('removes a coding: brackets and tag go, the text stays', () => {
    const ws = study();
    const remove = action(actionsAt(ws, R1, point(r1, '#nytt')), 'Remove this coding (keep the text)');
    expect(textAfter(ws, R1, remove)).toBe(r1.replace('[vi pratar]{#nytt}', 'vi pratar'));
  });

  it('removes both overlap markers from the opening or the closing one', () => {
    const ws = study();
    const expected = r1.replace('{#ramar>}Ramen', 'Ramen').replace('oss{<#ramar}', 'oss');
    for (const marker of ['{#ramar>}', '{<#ramar}']) {
      const actions = actionsAt(ws, R1, point(r1, '#ramar', marker));
      expect(textAfter(ws, R1, action(actions, 'Remove these overlap markers (keep the text)'))).toBe(
        expected,
      );
    }
  });

  it('removes every marker linked through a shared marker, leaving none unpaired', () => {
    const text = lines(
      '---',
      'participant: R1',
      '---',
      '{#ramar #kontrakt>}Vi ses{<#ramar} på tisdagar{<#kontrakt}.',
    );
    const ws = study({ [R1]: text });
    const fromClose = action(
      actionsAt(ws, R1, point(text, '#ramar', '{<#ramar}')),
      'Remove these overlap markers (keep the text)',
    );
    expect(textAfter(ws, R1, fromClose)).toBe(lines('---', 'participant: R1', '---', 'Vi ses på tisdagar.'));
  });

  it('removes one code of a multi-code tag without leaving a stray space', () => {
    const ws = study();
    const actions = actionsAt(ws, R1, point(r1, '#ramar'));
    expect(textAfter(ws, R1, action(actions, 'Remove #ramar from this tag'))).toBe(
      r1.replace('#kontrakt #ramar "viktigt"', '#kontrakt "viktigt"'),
    );
    expect(textAfter(ws, R1, action(actions, 'Remove #kontrakt from this tag'))).toBe(
      r1.replace('{#kontrakt #ramar "viktigt"}', '{#ramar "viktigt"}'),
    );
  });

  it('offers no per-code removal for a single-code tag, and a merge command on the code', () => {
    const ws = study();
    const actions = actionsAt(ws, R1, point(r1, '#nytt'));
    expect(actions.some((a) => a.title.startsWith('Remove #'))).toBe(false);
    expect(action(actions, 'Merge #nytt into another code…').command).toEqual({
      title: 'Merge code',
      command: 'kodkarta.mergeCodeInto',
      arguments: ['file:///project', 'nytt'],
    });
  });
});

/** A selection of `needle` (inside `within`) as an LSP range. */
function selectionOf(text: string, needle: string, within?: string): Range {
  return locate(text, needle, within);
}

describe('code a selection', () => {
  const text = lines(
    '---',
    'participant: R1',
    '---',
    '',
    '**R1:** Vi ses [på tisdagar]{#kontrakt} [paus] och sen pratar vi om `{#kod}` ramen.',
    '',
  );
  const ws = study({ [R1]: text, 'intervjuer/r2.md': r1 });
  const transcript = ws.index.transcript(ws.uri(R1)) as Transcript;
  const span = (range: Range): Span => ({
    start: offsetAt(text, range.start),
    end: offsetAt(text, range.end),
  });
  const coded = (range: Range, code: string) => {
    const selection = codableSelection(transcript, span(range));
    if (!selection) throw new Error('selection refused');
    return applyEdits(text, codeSelectionEdits(transcript, selection, code));
  };

  it('offers the selection command and the most used codes directly', () => {
    const actions = actionsAt(ws, R1, selectionOf(text, 'och sen'));
    // #kontrakt is used most (its alias #plattform counts for it); three codes are offered directly.
    const titles = actions.map((a) => a.title);
    expect(titles.slice(0, 2)).toEqual(['Code selection as…', 'Code selection as #kontrakt']);
    expect(titles.filter((t) => t.startsWith('Code selection as #'))).toHaveLength(3);
    expect(titles).not.toContain('Code selection as #plattform');
    expect(textAfter(ws, R1, action(actions, 'Code selection as #kontrakt'))).toBe(
      text.replace('och sen', '[och sen]{#kontrakt}'),
    );
    expect(action(actions, 'Code selection as…').command?.arguments).toEqual([
      ws.uri(R1),
      selectionOf(text, 'och sen'),
    ]);
  });

  it('wraps a selection that nests cleanly in brackets', () => {
    expect(coded(selectionOf(text, 'och sen'), 'ramar')).toBe(text.replace('och sen', '[och sen]{#ramar}'));
    expect(coded(selectionOf(text, 'Vi ses [på tisdagar]{#kontrakt}'), 'ramar')).toBe(
      text.replace('Vi ses [på tisdagar]{#kontrakt}', '[Vi ses [på tisdagar]{#kontrakt}]{#ramar}'),
    );
    expect(coded(selectionOf(text, 'tisdagar'), 'ramar')).toBe(
      text.replace('[på tisdagar]', '[på [tisdagar]{#ramar}]'),
    );
  });

  it('trims white space around the selection', () => {
    expect(coded(selectionOf(text, ' och sen '), 'ramar')).toBe(text.replace('och sen', '[och sen]{#ramar}'));
    expect(codableSelection(transcript, span(selectionOf(text, ' [paus] ', 'kontrakt} [paus] och')))).toEqual(
      span(selectionOf(text, '[paus]')),
    );
  });

  it('uses overlap markers when the selection crosses a passage boundary', () => {
    expect(coded(selectionOf(text, 'tisdagar]{#kontrakt} [paus] och'), 'ramar')).toBe(
      text.replace('tisdagar]{#kontrakt} [paus] och', '{#ramar>}tisdagar]{#kontrakt} [paus] och{<#ramar}'),
    );
  });

  it('uses overlap markers when the selection takes half of a [paus]', () => {
    expect(coded(selectionOf(text, '[pa'), 'ramar')).toBe(text.replace('[paus]', '{#ramar>}[pa{<#ramar}us]'));
  });

  it('refuses a selection inside tag syntax, inline code, or of white space only', () => {
    for (const range of [
      selectionOf(text, '#kontrakt'),
      selectionOf(text, 'kontrakt}'),
      selectionOf(text, '{#kontrakt} [paus]'),
      selectionOf(text, '#kod'),
      selectionOf(text, 'om `{#kod'),
      selectionOf(text, ' ', '[paus] och'),
    ]) {
      expect(codableSelection(transcript, span(range))).toBeUndefined();
    }
    expect(actionsAt(ws, R1, selectionOf(text, '#kod'))).toEqual([]);
  });
});

describe('code actions keep the text (property)', () => {
  /** Offsets of the text after the front matter, where a selection may start or end. */
  const bodyOffsets = (t: Transcript) => t.frontMatter?.end ?? 0;
  const malformed = (t: Transcript) => t.problems.filter((p) => p.rule === 'malformed-tag');
  const edited = (t: Transcript, edits: TextEdit[]) => parseTranscript(t.uri, applyEdits(t.text, edits));

  it('codeSelectionEdits keeps plainText, parses cleanly and adds one passage with the code', () => {
    fc.assert(
      fc.property(
        transcriptText,
        fc.nat(),
        fc.nat(),
        fc.constantFrom('kontrakt', 'ramar', 'förtroende', 'ny/kod'),
        ({ text }, a, b, code) => {
          const transcript = parseTranscript('file:///project/intervjuer/r1.md', text);
          expect(malformed(transcript)).toEqual([]);
          const from = bodyOffsets(transcript);
          const size = text.length - from + 1;
          const selection = codableSelection(transcript, {
            start: from + Math.min(a % size, b % size),
            end: from + Math.max(a % size, b % size),
          });
          fc.pre(selection !== undefined);
          if (!selection) return;
          const edits = codeSelectionEdits(transcript, selection, code);
          fc.pre(edits.length > 0);
          const result = edited(transcript, edits);
          expect(plainText(result)).toBe(plainText(transcript));
          expect(malformed(result)).toEqual([]);
          const withCode = (t: Transcript) =>
            t.segments.filter((s) => s.codes.some((c) => c.name === code)).length;
          expect(withCode(result)).toBe(withCode(transcript) + 1);
          expect(result.segments).toHaveLength(transcript.segments.length + 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every remove-tag action keeps plainText and leaves no marker unpaired', () => {
    fc.assert(
      fc.property(transcriptText, fc.nat(), ({ text }, pick) => {
        const ws = workspace({ 'codebook.md': codebook, [R1]: text });
        const transcript = ws.index.transcript(ws.uri(R1)) as Transcript;
        fc.pre(transcript.tags.length > 0);
        const tag = transcript.tags[pick % transcript.tags.length];
        if (!tag) return;
        const at = transcript.lines.positionAt(tag.span.start + 1);
        const actions = codeActions(ws.index, {
          uri: ws.uri(R1),
          range: { start: at, end: at },
          diagnostics: [],
        });
        const removals = actions.filter((a) => a.title.startsWith('Remove'));
        expect(removals.length).toBeGreaterThan(0);
        for (const removal of removals) {
          const result = edited(transcript, removal.edit?.changes?.[ws.uri(R1)] ?? []);
          expect(plainText(result)).toBe(plainText(transcript));
          expect(malformed(result)).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
