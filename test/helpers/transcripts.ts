import fc from 'fast-check';

/**
 * Random well-formed transcripts for property tests: plain text with Swedish letters, emoji, CRLF and
 * transcription conventions, coded passages nested to any depth, and overlap markers that may cross
 * them. Codes come from a small pool, so that renames and merges meet the same code many times.
 */

/** Codes the generated tags use: listed ones, an alias (`plattform`), inductive ones, and an NFD spelling. */
export const codePool = [
  'kontrakt',
  'ramar',
  'förtroende',
  'förtroende'.normalize('NFD'),
  'plattform',
  'osäkerhet',
  'tillit/inre',
] as const;

export const codebookForPool = [
  '---',
  'transcripts: intervjuer/*.md',
  '---',
  '',
  '# 1 Gemensamt',
  '',
  'Alliansen vilar på #kontrakt och #förtroende.',
  '',
  '## 1.1 Kontraktet',
  '',
  '- #kontrakt: Överenskommelser om tid och plats. Aliases: plattform',
  '- #ramar: Ramen som håller, jämför #kontrakt.',
  '',
  '# 2 Skillnader',
  '',
  '- #förtroende: Tillit till den andra parten.',
  '',
].join('\n');

const plainPiece = fc.constantFrom(
  'och',
  'vi',
  ' ',
  ' ',
  'så där',
  'år',
  'ärligt',
  'höst',
  'Åsa',
  '😀',
  '👩‍⚕️',
  '\n',
  '\r\n',
  '\n\n',
  '[paus] ',
  '[skratt] ',
  '(ohörbart)',
  '/…/',
  'nr #1',
  '`{#kod}`',
  '<!-- {#gammal} -->',
  '\\[inte\\]',
  '*',
  'e\u0301',
);

/** Plain text: never empty, so that a passage built from it has text. */
export const plainProse = fc.array(plainPiece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));

const code = fc.constantFrom(...codePool);
const note = fc.constantFrom('', '', ' "viktigt"', ' "så sa hon 😀"');

/** A tag's codes, one to three, duplicates allowed (`{#a #a}` is legal and must survive edits). */
export const tagCodes = fc.array(code, { minLength: 1, maxLength: 3 });

/** The pieces of a transcript body: each piece is plain text or whole tag syntax, never split. */
type Piece = { text: string; syntax: boolean };

const { passage } = fc.letrec<{ passage: Piece[]; content: Piece[] }>((tie) => ({
  content: fc
    .array(
      fc.oneof(
        { maxDepth: 4, depthSize: 'small' },
        { weight: 3, arbitrary: plainProse.map((text) => [{ text, syntax: false }]) },
        tie('passage'),
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    )
    .map((parts) => parts.flat())
    // A passage needs text of its own somewhere, or it could end up empty (`[]{#a}` is malformed).
    .map((pieces) => (pieces.some((p) => !p.syntax) ? pieces : [{ text: 'text', syntax: false }, ...pieces])),
  passage: fc
    .tuple(tie('content'), tagCodes, note)
    .map(([content, codes, tagNote]) => [
      { text: '[', syntax: true },
      ...content,
      { text: `]{${codes.map((c) => `#${c}`).join(' ')}${tagNote}}`, syntax: true },
    ]),
}));

const turn = fc.constantFrom('**R1:** ', '**I:** ', 'R1: ', '');

const body = fc
  .array(fc.oneof({ weight: 2, arbitrary: plainProse.map((text) => [{ text, syntax: false }]) }, passage), {
    minLength: 1,
    maxLength: 5,
  })
  .chain((parts) =>
    fc.tuple(fc.constant(parts), fc.array(turn, { minLength: parts.length, maxLength: parts.length })),
  )
  .map(([parts, turns]) =>
    parts.flatMap((pieces, i) => (turns[i] ? [{ text: `\n${turns[i]}`, syntax: false }, ...pieces] : pieces)),
  );

/** Overlap marker pairs, each placed between two pieces (the opening one first). */
const markers = fc.array(
  fc.record({
    codes: fc.array(code, { minLength: 1, maxLength: 2 }),
    note,
    from: fc.nat(),
    to: fc.nat(),
  }),
  { maxLength: 3 },
);

export interface GeneratedTranscript {
  text: string;
  lineBreak: '\n' | '\r\n';
}

export const transcriptText: fc.Arbitrary<GeneratedTranscript> = fc
  .tuple(body, markers, fc.boolean(), fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'))
  .map(([pieces, pairs, frontMatter, lineBreak]) => {
    const slots: string[][] = Array.from({ length: pieces.length + 1 }, () => []);
    for (const pair of pairs) {
      const a = pair.from % slots.length;
      const b = pair.to % slots.length;
      const names = pair.codes.map((c) => `#${c}`).join(' ');
      slots[Math.min(a, b)]?.push(`{${names}${pair.note}>}`);
      slots[Math.max(a, b)]?.push(`{<${names}}`);
    }
    let text = '';
    pieces.forEach((piece, i) => {
      text += (slots[i] ?? []).join('') + piece.text;
    });
    text += (slots[pieces.length] ?? []).join('');
    const head = frontMatter ? '---\nparticipant: R1\nlabel: Respondent 1\n---\n' : '';
    const withHead = `${head}${text}\n`;
    return {
      text: lineBreak === '\r\n' ? withHead.replace(/\r?\n/g, '\r\n') : withHead,
      lineBreak,
    };
  });
