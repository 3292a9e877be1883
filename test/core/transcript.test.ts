import { describe, expect, it } from 'vitest';
import type { Span } from '../../server/src/core/text';
import {
  fileStem,
  parseTranscript,
  plainText,
  quoteText,
  type Transcript,
} from '../../server/src/core/transcript';
import { lines } from '../helpers/workspace';

const at = (text: string, span: Span) => text.slice(span.start, span.end);
const uri = 'file:///studie/intervjuer/respondent-5.md';
const rules = (transcript: Transcript) => transcript.problems.map((problem) => problem.rule);

const interview = lines(
  '---',
  'participant: R5',
  'label: Respondent 5',
  'attributes:',
  '  yrke: läkare',
  '  yrkesår: 25',
  '  handledare: true',
  '  metoder: [KBT, PDT]',
  'speakers:',
  '  I: Intervjuare',
  '  R5: Respondent 5',
  '---',
  '',
  '# Intervju 5',
  '',
  '**I:** Hur skulle du beskriva [alliansen]{#allians}?',
  '',
  '**R5:** [I kontraktet så formulerar vi ju vilka ramar som gäller]{#kontrakt #ramar}, och sen [paus] …',
  '',
  'R5: [Vi bestämmer tiden]{#ramar}.',
  '',
  '## Avslutning',
  '',
  '[Tack]{#avslut}',
);

describe('participant', () => {
  const transcript = parseTranscript(uri, interview);

  it('reads the id, label and attributes from the front matter', () => {
    expect(transcript.participant).toEqual({
      id: 'R5',
      label: 'Respondent 5',
      attributes: { yrke: 'läkare', yrkesår: 25, handledare: true, metoder: 'KBT, PDT' },
      declared: true,
    });
    expect(transcript.problems).toEqual([]);
  });

  it('reads the speakers', () => {
    expect([...transcript.speakers]).toEqual([
      ['I', 'Intervjuare'],
      ['R5', 'Respondent 5'],
    ]);
  });

  it('keeps the front matter span and the text', () => {
    expect(at(interview, transcript.frontMatter!)).toMatch(/^---\nparticipant: R5\n[\s\S]*\n---\n$/);
    expect(transcript.text).toBe(interview);
    expect(transcript.uri).toBe(uri);
    expect(transcript.lines.lineCount).toBe(interview.split('\n').length);
  });

  it('defaults the label to the id and reads a numeric id as text', () => {
    const participant = parseTranscript(uri, lines('---', 'participant: 7', '---')).participant;
    expect(participant.id).toBe('7');
    expect(participant.label).toBe('7');
  });

  it('drops attributes that are neither text, number, true/false nor a list', () => {
    const text = lines(
      '---',
      'participant: R1',
      'attributes:',
      '  ort: { stad: Lund }',
      '  tom:',
      '  ålder: 41',
      '---',
    );
    expect(parseTranscript(uri, text).participant.attributes).toEqual({ ålder: 41 });
  });

  it('ignores attributes that are not a mapping', () => {
    const text = lines('---', 'participant: R1', 'attributes: [a, b]', '---');
    expect(parseTranscript(uri, text).participant.attributes).toEqual({});
  });
});

describe('missing participant', () => {
  it('falls back to the file stem and reports missing-participant at the front matter', () => {
    const text = lines('---', 'label: Någon', '---', 'Text.');
    const transcript = parseTranscript(uri, text);
    expect(transcript.participant.id).toBe('respondent-5');
    expect(transcript.participant.label).toBe('Någon');
    expect(transcript.participant.declared).toBe(false);
    expect(transcript.problems).toHaveLength(1);
    expect(transcript.problems[0]?.rule).toBe('missing-participant');
    expect(transcript.problems[0]?.span).toEqual(transcript.frontMatter);
    expect(transcript.problems[0]?.message).toMatch(/quotes are attributed to "respondent-5"/);
  });

  it('reports missing-participant at the start of a file without front matter', () => {
    const transcript = parseTranscript(uri, 'Bara text.');
    expect(transcript.frontMatter).toBeUndefined();
    expect(transcript.participant.id).toBe('respondent-5');
    expect(transcript.problems.map((problem) => [problem.rule, problem.span])).toEqual([
      ['missing-participant', { start: 0, end: 0 }],
    ]);
  });

  it('decodes a percent-encoded file name', () => {
    const encoded = 'file:///studie/intervjuer/respondent%20%C3%A5tta.md';
    expect(parseTranscript(encoded, 'Text').participant.id).toBe('respondent åtta');
  });

  it('treats an empty participant as missing', () => {
    expect(parseTranscript(uri, lines('---', 'participant: "  "', '---')).participant.declared).toBe(false);
  });
});

describe('fileStem', () => {
  it('drops the folders and .md in any case', () => {
    expect(fileStem('file:///a/b/intervju.md')).toBe('intervju');
    expect(fileStem('file:///a/b/intervju.MD')).toBe('intervju');
    expect(fileStem('intervju.markdown')).toBe('intervju.markdown');
  });

  it('keeps a name that is not valid percent-encoding as it is', () => {
    expect(fileStem('file:///a/100%.md')).toBe('100%');
  });
});

describe('front matter problems', () => {
  it('reports invalid YAML with a position inside the front matter, without throwing', () => {
    const text = lines('---', 'participant: R5', 'attributes: [yrke', '---', '[text]{#a}');
    const transcript = parseTranscript(uri, text);
    const problem = transcript.problems.find((p) => p.rule === 'invalid-front-matter');
    expect(problem?.message).toMatch(/^front matter is not valid YAML: /);
    expect(problem!.span.start).toBeGreaterThanOrEqual(transcript.frontMatter!.start);
    expect(problem!.span.end).toBeLessThanOrEqual(transcript.frontMatter!.end);
    expect(problem!.span.start).toBeLessThan(problem!.span.end);
    // The rest of the transcript is still read.
    expect(transcript.segments).toHaveLength(1);
  });

  it('reports a duplicate key', () => {
    const text = lines('---', 'participant: R5', 'participant: R6', '---');
    expect(rules(parseTranscript(uri, text))).toContain('invalid-front-matter');
  });

  it('reports front matter that is not a mapping', () => {
    const transcript = parseTranscript(uri, lines('---', '- R5', '- R6', '---'));
    const problem = transcript.problems.find((p) => p.rule === 'invalid-front-matter');
    expect(problem?.message).toMatch(/must be a YAML mapping/);
    expect(problem?.span).toEqual(transcript.frontMatter);
  });

  it('accepts empty front matter', () => {
    expect(rules(parseTranscript(uri, lines('---', '---', 'Text')))).toEqual(['missing-participant']);
  });

  it('refuses aliases instead of expanding them', () => {
    const laughs = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefghi'
        .split('')
        .map((key, i) => `${key}: &${key} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
    ];
    const transcript = parseTranscript(uri, lines('---', 'participant: R5', ...laughs, '---', 'Text'));
    expect(rules(transcript)).toContain('invalid-front-matter');
    expect(transcript.participant.declared).toBe(false);
    expect(transcript.participant.attributes).toEqual({});
  });

  it('accepts an anchor that no alias uses', () => {
    const transcript = parseTranscript(uri, lines('---', 'participant: &p R5', '---'));
    expect(transcript.participant.id).toBe('R5');
    expect(transcript.problems).toEqual([]);
  });

  it('reports malformed tags as malformed-tag', () => {
    const transcript = parseTranscript(uri, lines('---', 'participant: R5', '---', '[text]{kod}'));
    expect(transcript.problems.map((problem) => [problem.rule, at(transcript.text, problem.span)])).toEqual([
      ['malformed-tag', 'kod'],
    ]);
  });
});

describe('turns', () => {
  const transcript = parseTranscript(uri, interview);

  it('reads bold turns and plain turns of known speakers', () => {
    expect(
      transcript.turns.map((turn) => [turn.speaker, turn.speakerName, at(interview, turn.label)]),
    ).toEqual([
      ['I', 'Intervjuare', '**I:**'],
      ['R5', 'Respondent 5', '**R5:**'],
      ['R5', 'Respondent 5', 'R5:'],
    ]);
  });

  it('ends a turn at the next turn or heading, without trailing blank lines', () => {
    expect(transcript.turns.map((turn) => at(interview, turn.span))).toEqual([
      '**I:** Hur skulle du beskriva [alliansen]{#allians}?',
      '**R5:** [I kontraktet så formulerar vi ju vilka ramar som gäller]{#kontrakt #ramar}, och sen [paus] …',
      'R5: [Vi bestämmer tiden]{#ramar}.',
    ]);
    expect(at(interview, transcript.turns[0]!.name)).toBe('I');
  });

  it('runs the last turn to the end of the text', () => {
    const text = lines('**I:** Fråga', 'mer', '', '');
    expect(at(text, parseTranscript(uri, text).turns[0]!.span)).toBe('**I:** Fråga\nmer');
  });

  it('ignores plain labels that are not declared speakers or the participant', () => {
    const text = lines('---', 'participant: R5', '---', 'Obs: inte en talare', 'R5: ja', 'Fråga: nej');
    expect(parseTranscript(uri, text).turns.map((turn) => turn.speaker)).toEqual(['R5']);
  });

  it('does not let an ignored plain label end the turn before it', () => {
    const text = lines('---', 'participant: R5', '---', '**R5:** ett', 'Obs: två');
    expect(at(text, parseTranscript(uri, text).turns[0]!.span)).toBe('**R5:** ett\nObs: två');
  });

  it('notes a bold label that the speakers do not list, at its name', () => {
    const text = lines(
      '---',
      'participant: R5',
      'speakers:',
      '  I: Intervjuare',
      '---',
      '**R55:** typo',
      '**R5:** ok',
    );
    const transcript = parseTranscript(uri, text);
    expect(transcript.problems.map((problem) => [problem.rule, at(text, problem.span)])).toEqual([
      ['unknown-speaker', 'R55'],
    ]);
    expect(transcript.turns.map((turn) => turn.speakerName)).toEqual(['R55', 'R5']);
  });

  it('does not note bold labels when no speakers are declared', () => {
    const text = lines('---', 'participant: R5', '---', '**I:** fråga', '**R5:** svar');
    expect(parseTranscript(uri, text).problems).toEqual([]);
  });
});

describe('segments', () => {
  const transcript = parseTranscript(uri, interview);

  it('numbers the passages in text order', () => {
    expect(
      transcript.segments.map((segment) => [segment.index, segment.codes.map((code) => code.name)]),
    ).toEqual([
      [0, ['allians']],
      [1, ['kontrakt', 'ramar']],
      [2, ['ramar']],
      [3, ['avslut']],
    ]);
  });

  it('gives each segment the speaker of the turn it starts in, and none after a heading', () => {
    expect(transcript.segments.map((segment) => segment.speaker)).toEqual(['I', 'R5', 'R5', undefined]);
  });

  it('gives no speaker to a segment before the first turn', () => {
    const text = lines('[Inledning]{#a}', '', '**I:** [Fråga]{#b}');
    expect(parseTranscript(uri, text).segments.map((segment) => segment.speaker)).toEqual([undefined, 'I']);
  });

  it('gives a segment over two turns the speaker where it starts', () => {
    const text = lines('**I:** Fråga [om det', '', '**R5:** och svaret]{#a}', '[svar]{#b}');
    expect(parseTranscript(uri, text).segments.map((segment) => segment.speaker)).toEqual(['I', 'R5']);
  });

  it('gives overlap segments a speaker too', () => {
    const text = lines('**I:** fråga', '**R5:** {#a>}svar', 'mer{<#a}');
    expect(parseTranscript(uri, text).segments.map((segment) => [segment.kind, segment.speaker])).toEqual([
      ['overlap', 'R5'],
    ]);
  });

  it('keeps the tags and headings of the scan', () => {
    expect(transcript.tags.map((tag) => at(interview, tag.span))).toEqual([
      '{#allians}',
      '{#kontrakt #ramar}',
      '{#ramar}',
      '{#avslut}',
    ]);
    expect(transcript.headings.map((heading) => at(interview, heading.text))).toEqual([
      'Intervju 5',
      'Avslutning',
    ]);
  });
});

describe('plainText', () => {
  it('removes brackets, tags and markers and keeps everything else', () => {
    const text = lines(
      '**R5:** [Vi [bestämmer]{#b} tiden, {#ramar "x">}och den [paus] håller]{#kontrakt}, [här](url){<#ramar} [skratt]',
      '\\[inte]{kod} `[kod]{#x}`',
    );
    const transcript = parseTranscript(uri, text);
    expect(plainText(transcript)).toBe(
      lines(
        '**R5:** Vi bestämmer tiden, och den [paus] håller, [här](url) [skratt]',
        '\\[inte]{kod} `[kod]{#x}`',
      ),
    );
  });

  it('keeps the front matter', () => {
    const text = lines('---', 'participant: R5', '---', '[a]{#b}');
    expect(plainText(parseTranscript(uri, text))).toBe(lines('---', 'participant: R5', '---', 'a'));
  });

  it('cuts out a region, without the syntax inside it', () => {
    const text = 'före [ett [två]{#b} tre]{#a} efter';
    const transcript = parseTranscript(uri, text);
    expect(plainText(transcript, transcript.segments[0]!.text)).toBe('ett två tre');
    expect(plainText(transcript, { start: 0, end: 4 })).toBe('före');
    expect(plainText(transcript, { start: text.indexOf(' [två'), end: text.indexOf(' tre') })).toBe(' två');
    // A region that starts or ends inside the syntax keeps none of it.
    expect(plainText(transcript, { start: text.indexOf('{#b}') + 1, end: text.indexOf('tre') })).toBe(' ');
  });

  it('removes a stray closing marker but keeps the text of malformed tags', () => {
    const text = 'a{<#x} [b]{kod} c {#y}';
    expect(plainText(parseTranscript(uri, text))).toBe('a [b]{kod} c {#y}');
  });
});

describe('quoteText', () => {
  it('removes tags and folds whitespace', () => {
    const text = lines(
      '---',
      'participant: R5',
      '---',
      '**R5:** [Jag [vet]{#b}   inte,',
      '  {#c>}riktigt{<#c}]{#a}',
    );
    const transcript = parseTranscript(uri, text);
    expect(quoteText(transcript, transcript.segments[0]!)).toBe('Jag vet inte, riktigt');
  });

  it('removes bold speaker labels inside a quote over several turns', () => {
    const text = lines('**I:** [Hur går det?', '', '**R5**: Bra,', '**R5:** tror jag]{#a}');
    const transcript = parseTranscript(uri, text);
    expect(quoteText(transcript, transcript.segments[0]!)).toBe('Hur går det? Bra, tror jag');
  });

  it('removes labels after CRLF line breaks', () => {
    const text = '**I:** [Fråga?\r\n\r\n**R5:** Svar.]{#a}';
    const transcript = parseTranscript(uri, text);
    expect(quoteText(transcript, transcript.segments[0]!)).toBe('Fråga? Svar.');
  });

  it('keeps bold text that is not a label', () => {
    const text = '[Det var **viktigt**: sa hon]{#a}';
    const transcript = parseTranscript(uri, text);
    expect(quoteText(transcript, transcript.segments[0]!)).toBe('Det var **viktigt**: sa hon');
  });
});
