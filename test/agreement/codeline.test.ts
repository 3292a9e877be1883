import { describe, expect, it } from 'vitest';
import { codeline, parseSelector, sequence } from '../../server/src/core/agreement';
import { cli } from '../helpers/cli';
import { indexFiles } from '../helpers/project';

/** The codeline (coded segments along the turns) and the sequence query "B follows A within N turns". */

const codebook = `# 1 Brudd

## 1.1 Konfrontasjon

- #konfrontasjon: Mot terapeuten. Aliases: angrep

## 1.2 Tilbaketrekning

- #tilbaketrekning: Bort fra terapeuten.

# 2 Reparasjon

- #metakommunikasjon: Om samspillet.
- #validering: Anerkjenner forsvaret.
`;

const header = '---\nparticipant: K1\nlabel: Klient 1\nattributes:\n  sesjon: 2\n---\n\n';

function project(...sessions: string[]) {
  const files: Record<string, string> = { 'codebook.md': codebook };
  sessions.forEach((body, i) => {
    files[`s${i + 1}.md`] = `${header}${body}\n`;
  });
  return indexFiles(files, 'file:///studie');
}

const session = [
  '# Sesjon 2', // a heading: no step
  '**T:** Hei.', // step 0
  '**K:** [Du hører ikke etter.]{#angrep}', // step 1
  '**T:** [Hva skjer nå?]{#metakommunikasjon}', // step 2
  '**K:** [Ingenting.]{#tilbaketrekning}', // step 3
  '**T:** Nei.', // step 4
  '**K:** Ok.', // step 5
  '**T:** [Det gir mening.]{#validering}', // step 6
  '**K:** [Nei. [Du tar feil.]{#konfrontasjon} Igjen.\n\n**T:** Jeg]{#tilbaketrekning} hører deg.', // steps 7, 8
].join('\n\n');

describe('codeline', () => {
  it('puts each coded segment on the turns it covers, codes resolved and themes named', () => {
    const line = codeline(project(session));
    expect(line.codes).toEqual([
      { name: 'konfrontasjon', theme: '1.1', segments: 2 },
      { name: 'tilbaketrekning', theme: '1.2', segments: 2 },
      { name: 'metakommunikasjon', theme: '2', segments: 1 },
      { name: 'validering', theme: '2', segments: 1 },
    ]);
    expect(line.themes.map((t) => [t.number, t.name, t.depth])).toEqual([
      ['1', 'Brudd', 0],
      ['1.1', 'Konfrontasjon', 1],
      ['1.2', 'Tilbaketrekning', 1],
      ['2', 'Reparasjon', 0],
    ]);
    const [transcript] = line.transcripts;
    expect(transcript).toMatchObject({
      path: 's1.md',
      participant: 'K1',
      label: 'Klient 1',
      attributes: { sesjon: 2 },
      axis: 'turn',
    });
    expect(transcript?.steps.map((s) => [s.index, s.kind, s.speaker, s.range.start.line])).toEqual([
      [0, 'turn', 'T', 9],
      [1, 'turn', 'K', 11],
      [2, 'turn', 'T', 13],
      [3, 'turn', 'K', 15],
      [4, 'turn', 'T', 17],
      [5, 'turn', 'K', 19],
      [6, 'turn', 'T', 21],
      [7, 'turn', 'K', 23],
      [8, 'turn', 'T', 25],
    ]);
    expect(
      transcript?.segments.map((s) => [s.index, s.codes, s.themes, s.from, s.to, s.speaker, s.text]),
    ).toEqual([
      [0, ['konfrontasjon'], ['1.1'], 1, 1, 'K', 'Du hører ikke etter.'],
      [1, ['metakommunikasjon'], ['2'], 2, 2, 'T', 'Hva skjer nå?'],
      [2, ['tilbaketrekning'], ['1.2'], 3, 3, 'K', 'Ingenting.'],
      [3, ['validering'], ['2'], 6, 6, 'T', 'Det gir mening.'],
      [4, ['tilbaketrekning'], ['1.2'], 7, 8, 'K', 'Nei. Du tar feil. Igjen. Jeg'],
      [5, ['konfrontasjon'], ['1.1'], 7, 7, 'K', 'Du tar feil.'],
    ]);
    expect(transcript?.segments[0]?.range).toEqual({
      start: { line: 11, character: 8 },
      end: { line: 11, character: 28 },
    });
  });

  it('makes a paragraph before the first turn a step of its own, outside the numbering of turns', () => {
    const line = codeline(
      project('Inledning [här]{#validering}.\n\n**T:** Hei.\n\n**K:** [Nej]{#konfrontasjon}.'),
    );
    const [transcript] = line.transcripts;
    expect(transcript?.steps.map((s) => [s.kind, s.turn])).toEqual([
      ['paragraph', undefined],
      ['turn', 0],
      ['turn', 1],
    ]);
    expect(transcript?.segments.map((s) => [s.from, s.speaker])).toEqual([
      [0, undefined],
      [2, 'K'],
    ]);
  });

  it('uses paragraphs as steps when a transcript has no speaker turns, and can be asked for one transcript', () => {
    const index = project('Ett [stycke]{#validering}.\n\nTvå.\n\n[Tre]{#konfrontasjon}.', session);
    const line = codeline(index, { uri: 'file:///studie/s1.md' });
    expect(line.transcripts).toHaveLength(1);
    expect(line.transcripts[0]?.axis).toBe('paragraph');
    expect(line.transcripts[0]?.segments.map((s) => [s.codes[0], s.from, s.to])).toEqual([
      ['validering', 0, 0],
      ['konfrontasjon', 2, 2],
    ]);
    expect(JSON.parse(JSON.stringify(line))).toEqual(line);
  });
});

describe('parseSelector', () => {
  const themes = codeline(project(session));
  it('reads theme numbers the codebook has as themes, and anything else as a code', () => {
    expect(parseSelector('1.2', themes)).toEqual({ kind: 'theme', number: '1.2', name: 'Tilbaketrekning' });
    expect(parseSelector('2.', themes)).toEqual({ kind: 'theme', number: '2', name: 'Reparasjon' });
    expect(parseSelector('#2', themes)).toEqual({ kind: 'code', name: '2' });
    expect(parseSelector('3', themes)).toEqual({ kind: 'code', name: '3' });
    expect(parseSelector('#konfrontasjon', themes)).toEqual({ kind: 'code', name: 'konfrontasjon' });
    expect(parseSelector('fo\u0308ljd', themes)).toEqual({ kind: 'code', name: 'följd' });
  });
});

describe('sequence', () => {
  const line = codeline(
    project(session, session.replace('[Hva skjer nå?]{#metakommunikasjon}', 'Hva skjer nå?')),
  );

  it('counts the A passages that a B passage follows within N turns, per transcript and overall', () => {
    const result = sequence(line, { a: 'konfrontasjon', b: 'metakommunikasjon', within: 1 });
    expect(result.a).toEqual({ kind: 'code', name: 'konfrontasjon' });
    expect(
      result.transcripts.map((t) => [t.path, t.occurrences, t.followed, t.share, t.lags, t.thenOccurrences]),
    ).toEqual([
      ['s1.md', 2, 1, 0.5, [0, 1], 1],
      ['s2.md', 2, 0, 0, [0, 0], 0],
    ]);
    expect(result.transcripts[0]?.matches).toEqual([{ a: 0, b: 1, lag: 1 }]);
    expect(result.overall).toEqual({
      occurrences: 4,
      followed: 1,
      share: 0.25,
      lags: [0, 1],
      thenOccurrences: 1,
    });
  });

  it('counts turns from the last turn A covers, so within 0 means the same turn', () => {
    expect(sequence(line, { a: 'konfrontasjon', b: 'metakommunikasjon', within: 0 }).overall.followed).toBe(
      0,
    );
    // #tilbaketrekning at step 3 is followed by #validering at step 6: three turns later.
    const far = (within: number) =>
      sequence(line, { a: 'tilbaketrekning', b: 'validering', within }).transcripts[0];
    expect(far(2)?.followed).toBe(0);
    expect(far(3)).toMatchObject({ followed: 1, lags: [0, 0, 0, 1] });
  });

  it('takes themes with the themes below them, and counts a B nested in A as following it', () => {
    // Theme 1 passages in s1: steps 1, 3, 7–8 (outer) and 7 (inner). Theme 2 passages: steps 2 and 6.
    const result = sequence(line, { a: '1', b: '2', within: 1 });
    expect(result.b).toEqual({ kind: 'theme', number: '2', name: 'Reparasjon' });
    expect(result.transcripts[0]).toMatchObject({
      occurrences: 4,
      followed: 1,
      matches: [{ a: 0, b: 1, lag: 1 }],
    });
    // #konfrontasjon (step 7) lies inside #tilbaketrekning (steps 7–8) and begins after it: lag 0.
    const nested = sequence(line, { a: '1.2', b: '1.1', within: 0 }).transcripts[0];
    expect(nested?.matches).toEqual([{ a: 4, b: 5, lag: 0 }]);
    // The other way round it does not follow: the outer passage begins first.
    expect(sequence(line, { a: '1.1', b: '1.2', within: 0 }).transcripts[0]?.matches).toEqual([]);
  });

  it('never counts a passage as following itself', () => {
    const both = codeline(project('**K:** [Ett]{#konfrontasjon #tilbaketrekning}\n\n**T:** Två.'));
    expect(sequence(both, { a: 'konfrontasjon', b: 'tilbaketrekning', within: 5 }).overall.followed).toBe(0);
  });

  it('counts each A once however many B passages follow it, taking the nearest for its lag', () => {
    const many = codeline(
      project(
        '**K:** [Ett]{#konfrontasjon}\n\n**T:** Två.\n\n**T:** [Tre]{#validering}\n\n**T:** [Fyra]{#validering}',
      ),
    );
    expect(sequence(many, { a: 'konfrontasjon', b: 'validering', within: 3 }).overall).toEqual({
      occurrences: 1,
      followed: 1,
      share: 1,
      lags: [0, 0, 1, 0],
      thenOccurrences: 2,
    });
  });
});

describe('kodkarta codeline', () => {
  it('answers the sequence query on the rupture example as counted by hand', async () => {
    // Counted from the turn lines of coder-a's sessions: passages of theme 1 (ruptures) and the first
    // passage of theme 2.2 (exploring strategies) in one of the next two turns. Session 3 of K1: 9
    // rupture passages, 4 followed (all in the next turn), 5 exploring passages; session 4: 11, 3, 6;
    // K2's session 2: 9, 2, 4. Together 29, 9, 15.
    const query = [
      'codeline',
      'examples/rupture-sessions/coder-a',
      '--follows',
      '1',
      '--then',
      '2.2',
      '--within',
      '2',
    ];
    const result = await cli(query);
    expect(result.code).toBe(0);
    expect(result.out.split('\n').slice(0, 9)).toEqual([
      'theme 1 Alliansebrudd followed by theme 2.2 Utforskende strategier within 2 turns',
      '',
      'transcript                 A  followed   share  lag 0  lag 1  lag 2   B',
      '------------------------  --  --------  ------  -----  -----  -----  --',
      'sesjoner/k1-sesjon-03.md   9         4  44.4 %      0      4      0   5',
      'sesjoner/k1-sesjon-04.md  11         3  27.3 %      0      3      0   6',
      'sesjoner/k2-sesjon-02.md   9         2  22.2 %      0      2      0   4',
      '------------------------  --  --------  ------  -----  -----  -----  --',
      'all transcripts           29         9  31.0 %      0      9      0  15',
    ]);
    const json = await cli([...query, '--json']);
    expect(JSON.parse(json.out).overall).toEqual({
      occurrences: 29,
      followed: 9,
      share: 9 / 29,
      lags: [0, 9, 0],
      thenOccurrences: 15,
    });
  });

  it('prints each transcript as a grid of codes by turn and a list of its segments', async () => {
    const result = await cli(['codeline', 'examples/rupture-sessions/coder-a']);
    expect(result.code).toBe(0);
    const lines = result.out.split('\n');
    expect(lines[0]).toBe('sesjoner/k1-sesjon-03.md · Klient K1 · 57 turns, 20 coded segments');
    // Turns 6 and 12 of session 3 are the client's minimal responses.
    expect(lines).toContain(`  #minimal-respons          ${'·····█·····█'.padEnd(57, '·')}`);
    expect(lines).toContain('  6     K        #minimal-respons          27    “Nei.”');
    const json = JSON.parse((await cli(['codeline', 'examples/rupture-sessions/coder-a', '--json'])).out);
    expect(json.transcripts.map((t: { steps: unknown[] }) => t.steps.length)).toEqual([57, 62, 56]);
  });

  it('exits 2 when the query is incomplete or N is no whole number', async () => {
    const incomplete = await cli(['codeline', 'examples/rupture-sessions/coder-a', '--follows', '1']);
    expect(incomplete.code).toBe(2);
    expect(incomplete.err).toMatch(/^kodkarta: the sequence query needs both --follows A and --then B/);
    const within = await cli([
      'codeline',
      'examples/rupture-sessions/coder-a',
      '--follows',
      '1',
      '--then',
      '2',
      '--within',
      'två',
    ]);
    expect(within).toEqual({
      code: 2,
      out: '',
      err: 'kodkarta: --within must be a whole number of turns (0 or more), not "två"\n',
    });
    const extra = await cli(['codeline', 'a', 'b']);
    expect(extra.code).toBe(2);
  });
});
