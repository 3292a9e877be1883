import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ScanResult, scanTranscript } from '../../server/src/core/scanner';
import { LineIndex, type Span } from '../../server/src/core/text';
import { parseTranscript, plainText } from '../../server/src/core/transcript';

const uri = 'file:///studie/intervjuer/r1.md';

// Arbitrary text, weighted towards the characters and fragments the scanner treats specially.
const specialChar = fc.constantFrom(
  '[',
  ']',
  '{',
  '}',
  '#',
  '"',
  '<',
  '>',
  '\\',
  '`',
  '*',
  ':',
  '\n',
  '\r',
  ' ',
);
const ordinaryChar = fc.constantFrom(
  'a',
  'R',
  '5',
  'å',
  'ä',
  'ö',
  '\u0308',
  '\u0301',
  '😀',
  '\ud83d',
  '-',
  '~',
  '/',
  '\t',
);
const fragment = fc.constantFrom(
  '[',
  ']',
  ']{#a}',
  ']{#å "not"}',
  ']{kod}',
  '{#b>}',
  '{#b #c "x">}',
  '{<#b}',
  '{<#b #c}',
  '```\n',
  '~~~\n',
  '`',
  '<!--',
  '-->',
  '**R5:**',
  '**I**:',
  'R5: ',
  '\n# ',
  '---\n',
  '\r\n',
  '"',
  '\\',
  '[paus]',
  '#fo\u0308rtroende',
);
const markdownish = fc.string({ unit: fc.oneof(specialChar, ordinaryChar), maxLength: 120 });
const syntaxSoup = fc
  .array(fc.oneof(fragment, specialChar, ordinaryChar, fc.constantFrom('ord', ' ', 'text')), {
    maxLength: 60,
  })
  .map((parts) => parts.join(''));
const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  markdownish,
  syntaxSoup,
  syntaxSoup.map((text) => `---\n${text}`),
);

function everySpan(result: ScanResult): [string, Span][] {
  const spans: [string, Span][] = [];
  if (result.frontMatter)
    spans.push(['front matter', result.frontMatter.span], ['yaml', result.frontMatter.content]);
  const tagSpans = (where: string, tag: ScanResult['tags'][number]) => {
    spans.push([`${where} tag`, tag.span]);
    for (const code of tag.codes) spans.push([`${where} code`, code.span]);
    if (tag.note) spans.push([`${where} note`, tag.note.span]);
  };
  for (const passage of result.passages) {
    spans.push(['passage', passage.span], ['passage text', passage.text]);
    for (const code of passage.codes) spans.push(['passage code', code.span]);
    if (passage.note) spans.push(['passage note', passage.note.span]);
    for (const tag of passage.tags) tagSpans('passage', tag);
  }
  for (const tag of result.tags) tagSpans('scan', tag);
  for (const turn of result.turns) spans.push(['turn label', turn.label], ['turn name', turn.name]);
  for (const heading of result.headings)
    spans.push(['heading', heading.span], ['heading text', heading.text]);
  for (const problem of result.problems) spans.push(['problem', problem.span]);
  return spans;
}

const inside = (inner: Span, outer: Span) => outer.start <= inner.start && inner.end <= outer.end;

describe('scanTranscript on arbitrary text', () => {
  it('never throws, and every span lies within the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = scanTranscript(text);
        for (const [what, span] of everySpan(result)) {
          expect(Number.isInteger(span.start) && Number.isInteger(span.end), what).toBe(true);
          expect(
            0 <= span.start && span.start <= span.end && span.end <= text.length,
            `${what} ${JSON.stringify(span)}`,
          ).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives passages, tags and codes that agree with the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = scanTranscript(text);
        for (const passage of result.passages) {
          expect(inside(passage.text, passage.span)).toBe(true);
          expect(passage.codes.length).toBeGreaterThan(0);
          if (passage.kind === 'span') {
            expect(text[passage.span.start]).toBe('[');
            expect(text[passage.text.end]).toBe(']');
            expect(passage.tags[0]?.span.start).toBe(passage.text.end + 1);
          } else {
            expect(passage.tags.map((tag) => tag.kind)).toEqual(['open', 'close']);
          }
        }
        for (const tag of result.tags) {
          expect(text[tag.span.start]).toBe('{');
          expect(text[tag.span.end - 1]).toBe('}');
          for (const code of tag.codes) {
            expect(inside(code.span, tag.span)).toBe(true);
            expect(text.slice(code.span.start, code.span.end)).toBe(`#${code.raw}`);
            expect(code.name).toBe(code.raw.normalize('NFC'));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('parseTranscript never throws and plainText only removes text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const transcript = parseTranscript(uri, text);
        for (const problem of transcript.problems) {
          expect(0 <= problem.span.start && problem.span.start <= problem.span.end).toBe(true);
          expect(problem.span.end).toBeLessThanOrEqual(text.length);
        }
        expect(plainText(transcript).length).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 300 },
    );
  });
});

// Plain transcript text without any character of the tag syntax, except inside the fixed [paus].
const piece = fc.constantFrom(
  'jag',
  'vet',
  'inte',
  'förtroende',
  'så',
  'här',
  'Åsa',
  'öppet',
  'kände',
  ' ',
  ' ',
  '  ',
  ', ',
  '.',
  '?',
  '\n',
  '\n\n',
  '\r\n',
  '[paus]',
  '/…/',
  '/---/',
  '(inaudible)',
  '😀',
);
const code = fc.constantFrom(
  'kontrakt',
  'ramar',
  'förtroende',
  'fo\u0308rtroende',
  'dra-till-sig',
  'allians/band',
  'tema_2',
);
const note = fc.option(fc.constantFrom('viktigt', 'se även R3', 'två gånger 😀'), { nil: undefined });
const interval = { a: fc.nat(), b: fc.nat() };

interface Expected {
  kind: 'span' | 'overlap';
  text: Span;
  codes: string[];
  note: string | undefined;
  depth: number;
}

interface Coding {
  start: number;
  end: number;
  codes: string[];
  note: string | undefined;
  marker: boolean;
  order: number;
}

/** Wraps ranges of the pieces in nested coded spans and overlap markers; records where each passage lands. */
function insertCodings(
  pieces: string[],
  spans: Omit<Coding, 'marker' | 'order'>[],
  markers: Omit<Coding, 'marker' | 'order'>[],
) {
  const kept: Coding[] = [];
  const nestsWith = (s: Coding, k: Coding) =>
    s.end <= k.start ||
    s.start >= k.end ||
    (s.start >= k.start && s.end <= k.end) ||
    (s.start <= k.start && s.end >= k.end);
  for (const span of spans) {
    const candidate = { ...span, marker: false, order: kept.length };
    if (candidate.start < candidate.end && kept.every((k) => nestsWith(candidate, k))) kept.push(candidate);
  }
  // A marker right after `[paus]` would read as the tag of [paus]; the format requires a passage tag there.
  const afterPaus = (boundary: number) => pieces[boundary - 1] === '[paus]';
  markers.forEach((marker, i) => {
    if (marker.start < marker.end && !afterPaus(marker.start) && !afterPaus(marker.end)) {
      kept.push({ ...marker, codes: [`m${i}`], marker: true, order: kept.length });
    }
  });

  let coded = '';
  const expected: Expected[] = [];
  const open = new Map<Coding, { textStart: number; depth: number }>();
  let openSpans = 0;
  const tag = (c: Coding) => c.codes.map((name) => `#${name}`).join(' ') + (c.note ? ` "${c.note}"` : '');
  const close = (c: Coding, tagText: string) => {
    const started = open.get(c)!;
    expected.push({
      kind: c.marker ? 'overlap' : 'span',
      text: { start: started.textStart, end: coded.length },
      codes: c.codes.map((name) => name.normalize('NFC')),
      note: c.note,
      depth: started.depth,
    });
    coded += tagText;
  };
  for (let boundary = 0; boundary <= pieces.length; boundary++) {
    const spanCloses = kept
      .filter((c) => !c.marker && c.end === boundary)
      .sort((x, y) => y.start - x.start || y.order - x.order);
    for (const c of spanCloses) {
      close(c, `]{${tag(c)}}`);
      openSpans--;
    }
    for (const c of kept.filter((c) => c.marker && c.end === boundary)) close(c, `{<#${c.codes[0]}}`);
    for (const c of kept.filter((c) => c.marker && c.start === boundary)) {
      coded += `{${tag(c)}>}`;
      open.set(c, { textStart: coded.length, depth: 0 });
    }
    const spanOpens = kept
      .filter((c) => !c.marker && c.start === boundary)
      .sort((x, y) => y.end - x.end || x.order - y.order);
    for (const c of spanOpens) {
      coded += '[';
      open.set(c, { textStart: coded.length, depth: openSpans++ });
    }
    coded += pieces[boundary] ?? '';
  }
  return { coded, expected };
}

const codedTranscript = fc
  .record({
    pieces: fc.array(piece, { minLength: 1, maxLength: 40 }),
    spans: fc.array(
      fc.record({ ...interval, codes: fc.uniqueArray(code, { minLength: 1, maxLength: 2 }), note }),
      {
        maxLength: 8,
      },
    ),
    markers: fc.array(fc.record({ ...interval, note }), { maxLength: 3 }),
  })
  .map(({ pieces, spans, markers }) => {
    const toRange = ({
      a,
      b,
      ...rest
    }: {
      a: number;
      b: number;
      codes?: string[];
      note: string | undefined;
    }) => {
      const x = a % (pieces.length + 1);
      const y = b % (pieces.length + 1);
      return { start: Math.min(x, y), end: Math.max(x, y), codes: rest.codes ?? [], note: rest.note };
    };
    const plain = pieces.join('');
    return { plain, ...insertCodings(pieces, spans.map(toRange), markers.map(toRange)) };
  });

const byPosition = (x: Expected, y: Expected) =>
  x.text.start - y.text.start || y.text.end - x.text.end || x.kind.localeCompare(y.kind) || x.depth - y.depth;

describe('coding plain text', () => {
  it('gives back exactly the plain text when the tag syntax is removed', () => {
    fc.assert(
      fc.property(codedTranscript, ({ plain, coded }) => {
        expect(plainText(parseTranscript(uri, coded))).toBe(plain);
      }),
      { numRuns: 400 },
    );
  });

  it('finds exactly the inserted passages, with their codes, notes, text ranges and depths', () => {
    fc.assert(
      fc.property(codedTranscript, ({ coded, expected }) => {
        const result = scanTranscript(coded);
        expect(result.problems).toEqual([]);
        const found: Expected[] = result.passages.map((passage) => ({
          kind: passage.kind,
          text: passage.text,
          codes: passage.codes.map((c) => c.name),
          note: passage.note?.text,
          depth: passage.depth,
        }));
        expect(found.sort(byPosition)).toEqual([...expected].sort(byPosition));
      }),
      { numRuns: 400 },
    );
  });

  it('leaves plain text alone: no passages, tags or problems', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const result = scanTranscript(pieces.join(''));
        expect(result.passages).toEqual([]);
        expect(result.tags).toEqual([]);
        expect(result.problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('LineIndex positions', () => {
  const lineText = fc.string({
    unit: fc.constantFrom('a', 'å', '😀', ' ', '\n', '\r', '\r\n'),
    maxLength: 60,
  });

  it('round-trips every offset through positionAt and offsetAt, except inside a CRLF', () => {
    fc.assert(
      fc.property(lineText, (text) => {
        const index = new LineIndex(text);
        for (let offset = 0; offset <= text.length; offset++) {
          const position = index.positionAt(offset);
          expect(position.line).toBe(text.slice(0, offset).split('\n').length - 1);
          const insideCrlf = text[offset] === '\n' && text[offset - 1] === '\r';
          expect(index.offsetAt(position)).toBe(insideCrlf ? offset - 1 : offset);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips every position on a line through offsetAt and positionAt', () => {
    fc.assert(
      fc.property(lineText, fc.nat(), fc.nat(), (text, lineSeed, characterSeed) => {
        const index = new LineIndex(text);
        const line = lineSeed % index.lineCount;
        const length = index.lineEnd(line) - index.lineStart(line);
        const position = { line, character: characterSeed % (length + 1) };
        expect(index.positionAt(index.offsetAt(position))).toEqual(position);
      }),
      { numRuns: 500 },
    );
  });
});
