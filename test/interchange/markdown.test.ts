import { describe, expect, it } from 'vitest';
import { parseCodebook } from '../../server/src/core/codebook';
import { arrangePassages } from '../../server/src/core/interchange/arrange';
import { codebookMarkdown, safePath, transcriptMarkdown } from '../../server/src/core/interchange/markdown';
import type { StudyCode, StudyTranscript } from '../../server/src/core/interchange/model';

function transcript(text: string, passages: StudyTranscript['passages']): StudyTranscript {
  return { name: 't', text, attributes: [], passages };
}

/** Passage over the first occurrence of `words` in `text`. */
function over(text: string, words: string, codes: string[], note?: string) {
  const start = text.indexOf(words);
  return { start, end: start + words.length, codes, ...(note ? { note } : {}) };
}

describe('writing passages into a transcript', () => {
  it('uses brackets for nested passages and markers only where passages cross', () => {
    const text = 'ett två tre fyra fem\n';
    const warnings: string[] = [];
    const md = transcriptMarkdown(
      transcript(text, [
        over(text, 'ett två tre', ['a']),
        over(text, 'två', ['b'], 'en not'),
        over(text, 'tre fyra', ['c']),
      ]),
      't.md',
      warnings,
    );
    expect(md).toBe('[ett [två]{#b "en not"} {#c>}tre]{#a} fyra{<#c} fem\n');
    expect(warnings).toEqual([]);
  });

  it('writes crossing passages of one code as a bracket and a marker', () => {
    const text = 'a b c d\n';
    const md = transcriptMarkdown(
      transcript(text, [over(text, 'a b c', ['x']), over(text, 'b c d', ['x'])]),
      't.md',
    );
    expect(md).toBe('[a {#x>}b c]{#x} d{<#x}\n');
  });

  it('reports passages the format cannot say instead of dropping them silently', () => {
    const text = 'a b c d e f\n';
    const passages = [over(text, 'a b c', ['x']), over(text, 'b c d', ['x']), over(text, 'c d e', ['x'])];
    expect(arrangePassages(passages).dropped).toEqual([0]);
    const warnings: string[] = [];
    const md = transcriptMarkdown(transcript(text, passages), 'transcripts/t.md', warnings);
    expect(md).toBe('a [b {#x>}c d]{#x} e{<#x} f\n');
    expect(warnings).toEqual([
      'transcripts/t.md: the coding #x of "a b c" could not be written as Kodkarta markup and was left out',
    ]);
  });

  it('falls back to markers when the text has an unbalanced bracket inside a passage', () => {
    const text = 'hon sa ] och gick\n';
    const warnings: string[] = [];
    const md = transcriptMarkdown(transcript(text, [over(text, 'sa ] och', ['x'])]), 't.md', warnings);
    expect(md).toBe('hon {#x>}sa ] och{<#x} gick\n');
    expect(warnings).toEqual([]);
  });

  it('leaves out, with a warning, a passage whose markup the text swallows either way', () => {
    // A backslash before the passage's end escapes both "]" and "{".
    const text = 'C:\\mapp\\ och mer\n';
    const warnings: string[] = [];
    const md = transcriptMarkdown(transcript(text, [over(text, 'mapp\\', ['x'])]), 't.md', warnings);
    expect(md).toBe(text);
    expect(warnings).toEqual([
      't.md: the coding #x of "mapp\\" could not be written as Kodkarta markup and was left out',
    ]);
  });

  it('warns when the text itself holds tag syntax', () => {
    const warnings: string[] = [];
    transcriptMarkdown(transcript('se [här]{#kod} nu\n', []), 't.md', warnings);
    expect(warnings).toEqual([
      't.md: the text itself contains tag syntax that Kodkarta reads as 1 more coded passage',
      't.md: the text contains tag syntax, which Kodkarta does not count as text',
    ]);
  });

  it('keeps a text that starts like front matter from being read as front matter', () => {
    const md = transcriptMarkdown(transcript('---\nnot: yaml\n---\nText\n', []), 't.md');
    expect(md).toBe('---\n---\n\n---\nnot: yaml\n---\nText\n');
  });
});

describe('writing the codebook', () => {
  const code = (name: string, description = '', children: StudyCode[] = []): StudyCode => ({
    name,
    codable: true,
    description,
    children,
  });
  const folder = (name: string, children: StudyCode[], description = ''): StudyCode => ({
    name,
    codable: false,
    description,
    children,
  });

  it('turns a codable code with children into a theme that lists the code itself first', () => {
    const md = codebookMarkdown({
      title: 'T',
      codes: [
        {
          ...code('Känslor', 'Allt om känslor'),
          displayName: 'Känslor!',
          children: [code('glädje'), code('ilska')],
        },
      ],
      transcripts: [],
      memos: [],
    });
    expect(md).toBe(
      '---\ntitle: T\n---\n\n# 1 Känslor!\n\n- #Känslor: Allt om känslor\n- #glädje\n- #ilska\n',
    );
    const parsed = parseCodebook('file:///p/codebook.md', md);
    expect(parsed.themes[0]?.codes.map((c) => c.name)).toEqual(['Känslor', 'glädje', 'ilska']);
  });

  it('keeps definitions from turning into headings or codes, and numbers themes by their place', () => {
    const md = codebookMarkdown({
      title: 'T',
      codes: [
        folder('7 Fel nummer', [code('a')], '# inte en rubrik\n- #inte-en-kod\nRubrik?\n==='),
        folder('2 Rätt nummer', [folder('2.1 Under', [code('b')])]),
      ],
      transcripts: [],
      memos: [],
    });
    const parsed = parseCodebook('file:///p/codebook.md', md);
    expect(parsed.themes.map((t) => [t.number, t.name])).toEqual([
      ['1', '7 Fel nummer'],
      ['2', 'Rätt nummer'],
      ['2.1', 'Under'],
    ]);
    expect([...parsed.codes.keys()]).toEqual(['a', 'b']);
    expect(parsed.problems).toEqual([]);
  });

  it('lists the codes of folders deeper than six levels under the sixth, and says so', () => {
    let tree = folder('L7', [code('djup')]);
    for (let level = 6; level >= 1; level--) tree = folder(`L${level}`, [tree]);
    const warnings: string[] = [];
    const md = codebookMarkdown({ title: 'T', codes: [tree], transcripts: [], memos: [] }, warnings);
    expect(md).toContain('###### 1.1.1.1.1.1 L6\n\n- #djup\n');
    expect(warnings).toEqual(['"L7" lies deeper than 6 levels: its codes are listed under "L6"']);
  });
});

describe('file names from other tools', () => {
  it('makes names safe on every system and keeps folders', () => {
    expect(safePath('Intervju 1: Anna/Bertil')).toBe('Intervju 1- Anna/Bertil');
    expect(safePath('../../etc/passwd')).toBe('etc/passwd');
    expect(safePath('CON')).toBe('CON_');
    expect(safePath('  .dold.  ')).toBe('dold');
    expect(safePath('a\u0000b')).toBe('a-b');
    expect(safePath('')).toBe('untitled');
  });
});
