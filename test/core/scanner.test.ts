import { describe, expect, it } from 'vitest';
import { findFrontMatter, type ScanResult, scanTranscript } from '../../server/src/core/scanner';
import type { Span } from '../../server/src/core/text';
import { lines } from '../helpers/workspace';

/** The text a span covers. */
const at = (text: string, span: Span) => text.slice(span.start, span.end);

/** What a reader checks first: each passage's text and codes, in order. */
function passagesOf(text: string): { text: string; codes: string[] }[] {
  return scanTranscript(text).passages.map((passage) => ({
    text: at(text, passage.text),
    codes: passage.codes.map((code) => code.name),
  }));
}

/** Each problem as the text it points at and its message. */
function problemsOf(
  text: string,
  result: ScanResult = scanTranscript(text),
): { at: string; message: string }[] {
  return result.problems.map((problem) => ({ at: at(text, problem.span), message: problem.message }));
}

describe('coded passages', () => {
  it('reads a passage with one code', () => {
    const text = 'Vi har [ett kontrakt]{#kontrakt} ihop.';
    const result = scanTranscript(text);
    expect(result.problems).toEqual([]);
    expect(result.passages).toHaveLength(1);
    const [passage] = result.passages;
    expect(passage?.kind).toBe('span');
    expect(at(text, passage!.span)).toBe('[ett kontrakt]{#kontrakt}');
    expect(at(text, passage!.text)).toBe('ett kontrakt');
    expect(passage?.codes).toEqual([{ name: 'kontrakt', raw: 'kontrakt', span: { start: 22, end: 31 } }]);
    expect(at(text, passage!.codes[0]!.span)).toBe('#kontrakt');
    expect(passage?.depth).toBe(0);
    expect(passage?.note).toBeUndefined();
    expect(passage?.tags.map((tag) => [tag.kind, at(text, tag.span)])).toEqual([['span', '{#kontrakt}']]);
    expect(result.tags).toEqual(passage?.tags);
  });

  it('reads a passage with several codes', () => {
    const text = '[I kontraktet formulerar vi ramarna]{#kontrakt #ramar}';
    const [passage] = scanTranscript(text).passages;
    expect(passage?.codes.map((code) => code.name)).toEqual(['kontrakt', 'ramar']);
    expect(passage?.codes.map((code) => at(text, code.span))).toEqual(['#kontrakt', '#ramar']);
  });

  it('reads a note after the codes', () => {
    const text = '[Hon kom inte]{#alliansbrott "patienten uteblev två gånger"}';
    const result = scanTranscript(text);
    expect(result.problems).toEqual([]);
    const note = result.passages[0]?.note;
    expect(note?.text).toBe('patienten uteblev två gånger');
    expect(at(text, note!.span)).toBe('"patienten uteblev två gånger"');
    expect(result.tags[0]?.note).toEqual(note);
  });

  it('reads a note between codes', () => {
    const text = '[text]{#kontrakt "viktigt" #ramar}';
    const [passage] = scanTranscript(text).passages;
    expect(passage?.codes.map((code) => code.name)).toEqual(['kontrakt', 'ramar']);
    expect(passage?.note?.text).toBe('viktigt');
  });

  it('reads passages nested several levels deep, outermost first', () => {
    const text = '[ett [två [tre]{#c} två]{#b} ett [fyra]{#d}]{#a}';
    const result = scanTranscript(text);
    expect(result.problems).toEqual([]);
    expect(
      result.passages.map((passage) => [at(text, passage.text), passage.codes[0]?.name, passage.depth]),
    ).toEqual([
      ['ett [två [tre]{#c} två]{#b} ett [fyra]{#d}', 'a', 0],
      ['två [tre]{#c} två', 'b', 1],
      ['tre', 'c', 2],
      ['fyra', 'd', 1],
    ]);
  });

  it('does not count lone or uncoded brackets as nesting', () => {
    const text = 'Jag [ohörbart och sen [paus] [detta]{#a}, se [länken [här]{#b}](https://example.org)';
    expect(scanTranscript(text).passages.map((passage) => passage.depth)).toEqual([0, 0]);
  });

  it('reads a passage over several lines and paragraphs', () => {
    const text = lines(
      '**R5:** [Det började',
      'i handledningen.',
      '',
      'Och sen fortsatte det]{#förtroende} ja.',
    );
    expect(passagesOf(text)).toEqual([
      { text: lines('Det började', 'i handledningen.', '', 'Och sen fortsatte det'), codes: ['förtroende'] },
    ]);
  });

  it('reads several passages on one line in order', () => {
    expect(passagesOf('[ett]{#a} och [två]{#b}, [tre]{#a}')).toEqual([
      { text: 'ett', codes: ['a'] },
      { text: 'två', codes: ['b'] },
      { text: 'tre', codes: ['a'] },
    ]);
  });

  it('reads code paths with /', () => {
    expect(passagesOf('[text]{#allians/band #tema_2 #dra-till-sig}')).toEqual([
      { text: 'text', codes: ['allians/band', 'tema_2', 'dra-till-sig'] },
    ]);
  });

  it('keeps codes as written: case matters', () => {
    expect(passagesOf('[a]{#Förtroende}')[0]?.codes).toEqual(['Förtroende']);
  });
});

describe('overlap markers', () => {
  it('reads the overlap from the format description', () => {
    const text =
      '[Vi bestämmer tiden tillsammans, {#ramar>}och den tiden flyttar jag aldrig]{#kontrakt}, den håller oss på plats{<#ramar}';
    const result = scanTranscript(text);
    expect(result.problems).toEqual([]);
    expect(
      result.passages.map((passage) => [passage.kind, at(text, passage.text), passage.codes[0]?.name]),
    ).toEqual([
      ['span', 'Vi bestämmer tiden tillsammans, {#ramar>}och den tiden flyttar jag aldrig', 'kontrakt'],
      ['overlap', 'och den tiden flyttar jag aldrig]{#kontrakt}, den håller oss på plats', 'ramar'],
    ]);
    const overlap = result.passages[1]!;
    expect(at(text, overlap.span)).toBe(
      '{#ramar>}och den tiden flyttar jag aldrig]{#kontrakt}, den håller oss på plats{<#ramar}',
    );
    expect(overlap.tags.map((tag) => [tag.kind, at(text, tag.span)])).toEqual([
      ['open', '{#ramar>}'],
      ['close', '{<#ramar}'],
    ]);
    expect(result.tags.map((tag) => tag.kind)).toEqual(['open', 'span', 'close']);
  });

  it('closes each code of an opening marker with its own closing marker, sharing the note', () => {
    const text = '{#ramar #förtroende "kommentar">}ett{<#ramar} två{<#förtroende}';
    const result = scanTranscript(text);
    expect(result.problems).toEqual([]);
    expect(result.passages.map((passage) => [at(text, passage.text), passage.codes[0]?.name])).toEqual([
      ['ett{<#ramar} två', 'förtroende'],
      ['ett', 'ramar'],
    ]);
    expect(result.passages.map((passage) => passage.note?.text)).toEqual(['kommentar', 'kommentar']);
  });

  it('lets one closing marker close several codes', () => {
    const text = '{#ramar #förtroende>}text{<#ramar #förtroende}';
    const result = scanTranscript(text);
    expect(result.problems).toEqual([]);
    expect(passagesOf(text)).toEqual([{ text: 'text', codes: ['ramar', 'förtroende'] }]);
  });

  it('makes one passage per opening marker when one closing marker closes markers from two', () => {
    const text = '{#a>}ett {#b>}två{<#a #b}';
    expect(passagesOf(text)).toEqual([
      { text: 'ett {#b>}två', codes: ['a'] },
      { text: 'två', codes: ['b'] },
    ]);
  });

  it('nests markers of one code like brackets', () => {
    const text = '{#a>}ett {#a>}två{<#a} tre{<#a}';
    const result = scanTranscript(text);
    expect(result.problems).toEqual([]);
    expect(passagesOf(text)).toEqual([
      { text: 'ett {#a>}två{<#a} tre', codes: ['a'] },
      { text: 'två', codes: ['a'] },
    ]);
  });

  it('runs over several lines and accepts a space before the arrow', () => {
    const text = lines('{#a >}första raden', 'andra raden{<#a}');
    expect(passagesOf(text)).toEqual([{ text: lines('första raden', 'andra raden'), codes: ['a'] }]);
  });

  it('matches a closing marker to an opening marker written in another Unicode form', () => {
    const text = '{#fo\u0308rtroende>}text{<#förtroende}';
    expect(scanTranscript(text).problems).toEqual([]);
    expect(passagesOf(text)).toEqual([{ text: 'text', codes: ['förtroende'] }]);
  });

  it('reports an opening marker that is never closed, at its code', () => {
    const text = 'Vi {#ramar>}bestämmer tiden';
    const result = scanTranscript(text);
    expect(result.passages).toEqual([]);
    expect(problemsOf(text, result)).toEqual([
      {
        at: '#ramar',
        message: 'overlap marker for #ramar is never closed: add {<#ramar} where the passage ends',
      },
    ]);
  });

  it('reports only the code left open when a marker opens several', () => {
    const text = '{#a #b>}text{<#a}';
    expect(passagesOf(text)).toEqual([{ text: 'text', codes: ['a'] }]);
    expect(problemsOf(text).map((problem) => problem.at)).toEqual(['#b']);
  });

  it('reports a closing marker without an opening marker, at its code', () => {
    const text = 'bestämmer tiden{<#ramar}';
    const result = scanTranscript(text);
    expect(result.passages).toEqual([]);
    expect(problemsOf(text, result)).toEqual([
      {
        at: '#ramar',
        message: 'closing marker for #ramar has no opening marker: add {#ramar>} where the passage begins',
      },
    ]);
  });

  it('does not let a marker for one code close another', () => {
    const text = '{#a>}text{<#b}';
    expect(problemsOf(text).map((problem) => [problem.at, problem.message.slice(0, 22)])).toEqual([
      ['#b', 'closing marker for #b '],
      ['#a', 'overlap marker for #a '],
    ]);
  });

  it('reads markers right after a convention such as [paus] as markers, and the brackets as text', () => {
    const text = '[paus]{#a>} mer [skratt]{<#a} slut';
    const result = scanTranscript(text);
    expect(result.problems).toEqual([]);
    expect(result.passages).toHaveLength(1);
    expect(result.passages[0]?.kind).toBe('overlap');
    expect(text.slice(result.passages[0]?.text.start, result.passages[0]?.text.end)).toBe(' mer [skratt]');
  });
});

describe('transcription conventions stay plain text', () => {
  const conventions = [
    '[paus]',
    '[skratt]',
    '[ohörbart 00:12:31]',
    '/…/',
    '/---/',
    '(inaudible)',
    '[texten](https://example.org)',
    '![bild](bild.png)',
    'en ensam [ utan slut',
    'en ensam ] utan början',
    'klammer {utan kod} i texten',
  ];

  it.each(conventions)('%s gives no passage, no tag and no problem', (convention) => {
    const result = scanTranscript(`**R5:** Jag vet inte ${convention} riktigt.`);
    expect(result.passages).toEqual([]);
    expect(result.tags).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it('keeps conventions inside a coded passage as part of its text', () => {
    const text =
      '[Jag [paus] vet inte /…/ [skratt] se [länken](https://example.org) (inaudible)]{#osäkerhet}';
    expect(scanTranscript(text).problems).toEqual([]);
    expect(passagesOf(text)).toEqual([
      {
        text: 'Jag [paus] vet inte /…/ [skratt] se [länken](https://example.org) (inaudible)',
        codes: ['osäkerhet'],
      },
    ]);
  });

  it('lets a coded passage follow a convention directly', () => {
    expect(passagesOf('[paus][sen svarar hon]{#a}')).toEqual([{ text: 'sen svarar hon', codes: ['a'] }]);
  });
});

describe('code, comments and escapes', () => {
  it('ignores tags in inline code', () => {
    const result = scanTranscript('Skriv `[text]{#kod}` eller ``[a]{kod} med ` i`` så här.');
    expect(result.passages).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it('reads tags after an unmatched backtick', () => {
    expect(passagesOf('ett ` och [text]{#kod}')).toEqual([{ text: 'text', codes: ['kod'] }]);
  });

  it.each([
    ['```', '```'],
    ['~~~', '~~~'],
    ['```markdown', '```'],
    ['````', '`````'],
    ['  ~~~~', '~~~~   '],
  ])('ignores tags in a fenced code block opened by %j and closed by %j', (open, close) => {
    const text = lines('före', open, '[text]{#kod}', '[trasig]{kod', '{#ensam>}', close, '[efter]{#b}');
    const result = scanTranscript(text);
    expect(result.problems).toEqual([]);
    expect(passagesOf(text)).toEqual([{ text: 'efter', codes: ['b'] }]);
  });

  it('does not close a fence with a shorter or a different fence', () => {
    const text = lines('````', '```', '~~~~', '[text]{#kod}', '````', '[efter]{#b}');
    expect(passagesOf(text)).toEqual([{ text: 'efter', codes: ['b'] }]);
  });

  it('does not open a fence when the info string holds a backtick', () => {
    expect(passagesOf(lines('``` a ` b', '[text]{#kod}'))).toEqual([{ text: 'text', codes: ['kod'] }]);
  });

  it('ignores everything after a fence that is never closed', () => {
    expect(passagesOf(lines('[före]{#a}', '```', '[text]{#kod}'))).toEqual([{ text: 'före', codes: ['a'] }]);
  });

  it('ignores tags in an HTML comment on one line', () => {
    const text = 'Hon sa <!-- [text]{#kod} {#trasig --> det [igen]{#b}.';
    expect(scanTranscript(text).problems).toEqual([]);
    expect(passagesOf(text)).toEqual([{ text: 'igen', codes: ['b'] }]);
  });

  it('ignores tags, headings and turns in an HTML comment over several lines', () => {
    const text = lines('<!--', '# Inte en rubrik', '**R5:** [text]{#kod}', '-->', '**I:** [efter]{#b}');
    const result = scanTranscript(text);
    expect(result.problems).toEqual([]);
    expect(result.headings).toEqual([]);
    expect(result.turns.map((turn) => turn.speaker)).toEqual(['I']);
    expect(passagesOf(text)).toEqual([{ text: 'efter', codes: ['b'] }]);
  });

  it('reads a tag after a comment closes on the same line', () => {
    expect(passagesOf(lines('<!-- början', 'slut --> [text]{#kod}'))).toEqual([
      { text: 'text', codes: ['kod'] },
    ]);
  });

  it('keeps a comment inside a passage as part of its text', () => {
    expect(passagesOf('[ett <!-- [x]{#y} --> två]{#a}')).toEqual([
      { text: 'ett <!-- [x]{#y} --> två', codes: ['a'] },
    ]);
  });

  it('treats an escaped bracket or brace as text', () => {
    for (const text of ['\\[text]\\{#kod}', '\\[text\\]\\{#kod}', 'text \\{#kod>} mer', '[text]\\{#kod}']) {
      const result = scanTranscript(text);
      expect(result.passages, text).toEqual([]);
      expect(result.problems, text).toEqual([]);
    }
  });

  it('keeps an escaped bracket inside a passage as text', () => {
    expect(passagesOf('[se \\] och \\[ här]{#a}')).toEqual([{ text: 'se \\] och \\[ här', codes: ['a'] }]);
  });

  it('reads a bracket after an escaped backslash as syntax', () => {
    expect(passagesOf('\\\\[text]{#kod}')).toEqual([{ text: 'text', codes: ['kod'] }]);
  });
});

describe('malformed tags', () => {
  const cases: { name: string; text: string; at: string; message: RegExp }[] = [
    {
      name: 'a tag not closed on its line',
      text: lines('[text]{#kod #annan', '}'),
      at: '{#kod #annan',
      message: /^tag is not closed: add } .*one line/,
    },
    { name: 'a tag with no code', text: '[text]{}', at: '{}', message: /^tag has no code/ },
    {
      name: 'a tag with only a note',
      text: '[text]{"bara en anteckning"}',
      at: '{"bara en anteckning"}',
      message: /^tag has no code/,
    },
    {
      name: 'an invalid character in a code name',
      text: '[text]{#kod!}',
      at: '#kod!',
      message: /^"!" cannot be part of a code name/,
    },
    { name: 'an empty code name', text: '[text]{# #ramar}', at: '#', message: /^empty code name/ },
    {
      name: 'an empty part in a code path',
      text: '[text]{#allians//band}',
      at: '#allians//band',
      message: /empty part/,
    },
    {
      name: 'a word without #',
      text: '[text]{kontrakt}',
      at: 'kontrakt',
      message: /^expected #code or a "note" in the tag, found "kontrakt" \(did you mean #kontrakt\?\)/,
    },
    {
      name: 'a note without its closing quote',
      text: '[text]{#kod "anteckning}',
      at: '"anteckning',
      message: /^note is not closed: end it with "/,
    },
    { name: 'a second note', text: '[text]{#kod "ett" "två"}', at: '"två"', message: /one note only/ },
    {
      name: 'a tag with no passage',
      text: 'Hon sa {#kontrakt} igen.',
      at: '{#kontrakt}',
      message: /^tag without a passage: write \[quoted text\]\{#code\}/,
    },
    {
      name: 'a space between ] and {',
      text: '[text] {#kontrakt}',
      at: '{#kontrakt}',
      message: /remove the space between \] and \{/,
    },
    {
      name: 'a tag closing a passage that was never opened',
      text: 'text]{#kontrakt}',
      at: ']{#kontrakt}',
      message: /never opened: add \[ where the coded passage begins/,
    },
    {
      name: 'an empty passage',
      text: 'Se []{#kontrakt} här',
      at: '[]{#kontrakt}',
      message: /^empty coded passage/,
    },
    {
      name: 'an overlap marker never closed',
      text: '{#ramar>} text',
      at: '#ramar',
      message: /never closed: add \{<#ramar\}/,
    },
    {
      name: 'a closing marker without an opening',
      text: 'text {<#ramar}',
      at: '#ramar',
      message: /no opening marker: add \{#ramar>\}/,
    },
    {
      name: 'a closing marker with a word',
      text: '{#a>}text{<#a b}',
      at: 'b',
      message: /^expected #code in a closing marker, found "b"/,
    },
    {
      name: 'an opening marker not closed on its line',
      text: 'text {#ramar>',
      at: '{#ramar>',
      message: /^tag is not closed/,
    },
  ];

  it.each(cases)('reports $name once, at the right place', ({ text, at: where, message }) => {
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.at).toBe(where);
    expect(problems[0]?.message).toMatch(message);
  });

  it('still codes the passage with the valid codes of a partly malformed tag', () => {
    const text = '[text]{#kontrakt #ram!ar}';
    const result = scanTranscript(text);
    expect(passagesOf(text)).toEqual([{ text: 'text', codes: ['kontrakt'] }]);
    expect(problemsOf(text, result).map((problem) => problem.at)).toEqual(['#ram!ar']);
  });

  it('makes no passage from a tag without valid codes', () => {
    for (const text of ['[text]{kontrakt}', '[text]{#kod!}', '[text]{}', '[text]{#kod']) {
      expect(scanTranscript(text).passages, text).toEqual([]);
    }
  });

  it('scans on after a malformed tag', () => {
    expect(passagesOf('[a]{kod} [b]{#kod "x} [c]{#c}')).toEqual([
      { text: 'b', codes: ['kod'] },
      { text: 'c', codes: ['c'] },
    ]);
  });
});

describe('headings', () => {
  it('reads the level and the text of ATX headings', () => {
    const text = lines('# Intervju 5', '', '### Del två  ', 'text', '  ## Indragen', '#');
    const headings = scanTranscript(text).headings;
    expect(headings.map((heading) => [heading.level, at(text, heading.text)])).toEqual([
      [1, 'Intervju 5'],
      [3, 'Del två'],
      [2, 'Indragen'],
      [1, ''],
    ]);
    expect(at(text, headings[1]!.span)).toBe('### Del två  ');
  });

  it('does not read code names, seven hashes or indented code as headings', () => {
    const text = lines('#kontrakt är en kod', '####### sju', '    # indraget fyra steg', '#\ttabb');
    expect(scanTranscript(text).headings.map((heading) => at(text, heading.text))).toEqual(['tabb']);
  });

  it('reads tags inside headings', () => {
    expect(passagesOf('## [Rubrik]{#a}')).toEqual([{ text: 'Rubrik', codes: ['a'] }]);
  });
});

describe('speaker turns', () => {
  it('reads a bold label with the colon inside', () => {
    const text = '**R5:** Ja, det tror jag.';
    const [turn] = scanTranscript(text).turns;
    expect(turn?.speaker).toBe('R5');
    expect(turn?.bold).toBe(true);
    expect(at(text, turn!.label)).toBe('**R5:**');
    expect(at(text, turn!.name)).toBe('R5');
  });

  it('reads a bold label with the colon outside', () => {
    const text = '**Intervjuare**: Hur då?';
    const [turn] = scanTranscript(text).turns;
    expect(turn?.speaker).toBe('Intervjuare');
    expect(turn?.bold).toBe(true);
    expect(at(text, turn!.label)).toBe('**Intervjuare**:');
  });

  it('reads a plain label as a possible turn, marked not bold', () => {
    const text = lines('R5: Ja.', 'I:', 'Obs: detta är en kommentar');
    const turns = scanTranscript(text).turns;
    expect(turns.map((turn) => [turn.speaker, turn.bold, at(text, turn.label)])).toEqual([
      ['R5', false, 'R5:'],
      ['I', false, 'I:'],
      ['Obs', false, 'Obs:'],
    ]);
  });

  it('reads one turn per line start, with its offsets', () => {
    const text = lines('**I:** Fråga?', '', '**R5:** Svar.', 'Mer svar.');
    const turns = scanTranscript(text).turns;
    expect(turns.map((turn) => [turn.speaker, turn.label.start])).toEqual([
      ['I', 0],
      ['R5', text.indexOf('**R5:**')],
    ]);
  });

  it('does not read times, links, bold text or mid-line labels as turns', () => {
    const text = lines(
      'Klockan 12:30 kom hon.',
      'https://example.org',
      '**Viktigt** sa hon.',
      'Hon sa **R5:** och gick.',
      ':utan namn',
      `${'x'.repeat(60)}: för långt`,
      '** :**',
    );
    expect(scanTranscript(text).turns).toEqual([]);
  });
});

describe('front matter', () => {
  it('finds the block and its YAML content', () => {
    const text = lines('---', 'participant: R5', '---', '# Intervju');
    const block = findFrontMatter(text);
    expect(at(text, block!.span)).toBe('---\nparticipant: R5\n---\n');
    expect(at(text, block!.content)).toBe('participant: R5\n');
  });

  it('accepts ... as the closing fence and an empty block', () => {
    expect(at('---\na: 1\n...\nx', findFrontMatter('---\na: 1\n...\nx')!.content)).toBe('a: 1\n');
    expect(findFrontMatter('---\n---\n')?.content).toEqual({ start: 4, end: 4 });
  });

  it('needs the opening fence on the first line and a closing fence', () => {
    expect(findFrontMatter('\n---\na: 1\n---\n')).toBeUndefined();
    expect(findFrontMatter('---\na: 1\n')).toBeUndefined();
    expect(findFrontMatter('----\na: 1\n----\n')).toBeUndefined();
    expect(findFrontMatter('--- x\na: 1\n---\n')).toBeUndefined();
    expect(findFrontMatter('---')).toBeUndefined();
    expect(findFrontMatter('')).toBeUndefined();
  });

  it('reads no tags, turns or headings inside the front matter', () => {
    const text = lines(
      '---',
      '# en YAML-kommentar',
      'R5: Respondent 5',
      'not: "[a]{kod}"',
      '---',
      '[text]{#a}',
    );
    const result = scanTranscript(text);
    expect(at(text, result.frontMatter!.span)).toBe(text.slice(0, text.indexOf('[text]')));
    expect(result.headings).toEqual([]);
    expect(result.turns).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(passagesOf(text)).toEqual([{ text: 'text', codes: ['a'] }]);
  });

  it('reports no front matter when there is none', () => {
    expect(scanTranscript('# Intervju').frontMatter).toBeUndefined();
  });
});

describe('line endings and byte order mark', () => {
  it('gives offsets into the CRLF text as given', () => {
    const text = '**I:** Fråga?\r\n\r\n**R5:** [Svar\r\növer två rader]{#a}\r\n# Rubrik\r\n';
    const result = scanTranscript(text);
    expect(result.problems).toEqual([]);
    expect(result.passages.map((passage) => at(text, passage.text))).toEqual(['Svar\r\növer två rader']);
    expect(result.passages[0]?.span.start).toBe(text.indexOf('['));
    expect(result.turns.map((turn) => at(text, turn.label))).toEqual(['**I:**', '**R5:**']);
    expect(result.headings.map((heading) => at(text, heading.text))).toEqual(['Rubrik']);
    expect(at(text, result.headings[0]!.span)).toBe('# Rubrik');
  });

  it('keeps the \\r out of a tag that is not closed on its line', () => {
    const text = '[text]{#kod\r\nnästa rad}';
    expect(problemsOf(text).map((problem) => problem.at)).toEqual(['{#kod']);
  });

  it('reads CRLF front matter, fences and plain labels', () => {
    const text = '---\r\nparticipant: R5\r\n---\r\nR5:\r\n```\r\n[a]{#a}\r\n```\r\n[b]{#b}';
    const result = scanTranscript(text);
    expect(at(text, result.frontMatter!.content)).toBe('participant: R5\r\n');
    expect(result.turns.map((turn) => turn.speaker)).toEqual(['R5']);
    expect(passagesOf(text)).toEqual([{ text: 'b', codes: ['b'] }]);
  });

  it('counts a byte order mark as one offset, and still finds headings, turns and front matter', () => {
    const bom = '\uFEFF';
    expect(scanTranscript(`${bom}[a]{#b}`).passages[0]?.span).toEqual({ start: 1, end: 8 });
    expect(scanTranscript(`${bom}# Rubrik`).headings[0]?.span).toEqual({ start: 1, end: 9 });
    expect(scanTranscript(`${bom}**R5:** ja`).turns[0]?.label).toEqual({ start: 1, end: 8 });
    expect(scanTranscript(`${bom}R5: ja`).turns[0]?.speaker).toBe('R5');
    expect(findFrontMatter(`${bom}---\na: 1\n---\n`)).toEqual({
      span: { start: 1, end: 14 },
      content: { start: 5, end: 10 },
    });
  });
});

describe('Unicode', () => {
  it('normalises a decomposed code name to NFC and keeps what was written as raw', () => {
    const decomposed = 'fo\u0308rtroende';
    const text = `[text]{#${decomposed}}`;
    const [code] = scanTranscript(text).passages[0]!.codes;
    expect(code?.name).toBe('förtroende');
    expect(code?.raw).toBe(decomposed);
    expect(at(text, code!.span)).toBe(`#${decomposed}`);
  });

  it('counts emoji before a passage as two offsets each', () => {
    const text = '😀😀 [glad 😀 igen]{#glädje "😀"}';
    const [passage] = scanTranscript(text).passages;
    expect(passage?.span.start).toBe(5);
    expect(at(text, passage!.text)).toBe('glad 😀 igen');
    expect(passage?.note?.text).toBe('😀');
    expect(at(text, passage!.codes[0]!.span)).toBe('#glädje');
  });

  it('refuses an emoji in a code name, naming the whole emoji', () => {
    expect(problemsOf('[text]{#glad😀}')).toEqual([
      {
        at: '#glad😀',
        message: '"😀" cannot be part of a code name (use letters, digits, _ , - and / only)',
      },
    ]);
  });
});

describe('scale', () => {
  it('reads 10,000 nested passages', () => {
    const text = `${'['.repeat(10_000)}kärna${']{#a}'.repeat(10_000)}`;
    const result = scanTranscript(text);
    expect(result.passages).toHaveLength(10_000);
    expect(result.passages[9_999]?.depth).toBe(9_999);
  });

  it('reads an HTML comment that is never closed in time proportional to the text', () => {
    const text = `<!--\n${'ord ord ord ord\n'.repeat(300_000)}[a]{#a}`;
    const started = performance.now();
    const result = scanTranscript(text);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result.passages).toEqual([]);
  });

  it('reads many unclosed tags in time proportional to the text', () => {
    const text = '[a]{#a\n'.repeat(300_000);
    const started = performance.now();
    const result = scanTranscript(text);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result.problems).toHaveLength(300_000);
  });
});
