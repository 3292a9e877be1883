import { describe, expect, it } from 'vitest';
import {
  type AgreementReport,
  type CoderProject,
  compareCoders,
  stripTags,
  type UnitKind,
} from '../../server/src/core/agreement';
import { parseTranscript, plainText } from '../../server/src/core/transcript';
import { indexFiles } from '../helpers/project';

/**
 * What a unit is and what counts as agreement on it, for nested and overlapping passages: every case
 * is two coders' copies of one transcript, compared in memory.
 */

const frontMatter = '---\nparticipant: K1\nspeakers:\n  T: Terapeut\n  K: Klient\n---\n\n';

function coders(...bodies: string[]): CoderProject[] {
  return bodies.map((body, i) => ({
    name: `coder-${String.fromCharCode(97 + i)}`,
    index: indexFiles({ 's1.md': `${frontMatter}${body}\n` }, `file:///coder-${i}`),
  }));
}

function report(unit: UnitKind | undefined, ...bodies: string[]): AgreementReport {
  const result = compareCoders(coders(...bodies), unit === undefined ? {} : { unit });
  if (result.status !== 'ok') throw new Error(`texts differ: ${JSON.stringify(result.mismatches)}`);
  return result;
}

/** Each unit the coders differ on, as `unit text: codes of coder-a | codes of coder-b`. */
function table(result: AgreementReport): string[] {
  return result.disagreements.map(
    (d) => `${d.text}: ${d.coders.map((c) => (c.codes ?? []).join(' ')).join(' | ')}`,
  );
}

function code(result: AgreementReport, name: string) {
  const found = result.codes.find((c) => c.code === name);
  if (!found) throw new Error(`no code ${name}`);
  return found;
}

describe('units', () => {
  it('makes a turn of each speaker turn, without its label, and defaults to turns when there are turns', () => {
    const result = report(
      undefined,
      '**T:** Hei.\n\n**K:** [Hei]{#a} du.\n\n**T:** Ja.',
      '**T:** Hei.\n\n**K:** Hei du.\n\n**T:** Ja.',
    );
    expect(result.unit).toBe('turn');
    expect(result.overall.units).toBe(3);
    expect(result.disagreements).toMatchObject([
      { unit: 'turn', turn: 1, speaker: 'K', text: 'Hei du.', line: 10 },
    ]);
  });

  it('defaults to paragraphs when no transcript has turns', () => {
    const result = report(
      undefined,
      'Ett.\n\nTvå [tre]{#a}.\nFyra.\n\nFem.',
      'Ett.\n\nTvå tre.\nFyra.\n\nFem.',
    );
    expect(result.unit).toBe('paragraph');
    expect(result.overall.units).toBe(3);
    expect(result.disagreements.map((d) => d.text)).toEqual(['Två tre. Fyra.']);
  });

  it('splits a turn into its paragraphs with --unit paragraph, and keeps it whole as a turn', () => {
    const body = '**K:** Första stycket [här]{#a}.\n\nAndra stycket.\n\n**T:** Ja.';
    const plain = '**K:** Första stycket här.\n\nAndra stycket.\n\n**T:** Ja.';
    expect(report('turn', body, plain).overall.units).toBe(2);
    const paragraphs = report('paragraph', body, plain);
    expect(paragraphs.overall.units).toBe(3);
    expect(paragraphs.disagreements).toMatchObject([
      { unit: 'paragraph', speaker: 'K', turn: 0, text: 'Första stycket här.' },
    ]);
  });

  it('leaves out headings and blank lines, and counts paragraphs before the first turn as units', () => {
    const body = '# Sesjon 1\n\nInledning [här]{#a}.\n\n**T:** Hei.\n\n# Del 2\n\n**K:** Hei.';
    const plain = '# Sesjon 1\n\nInledning här.\n\n**T:** Hei.\n\n# Del 2\n\n**K:** Hei.';
    const result = report('turn', body, plain);
    expect(result.overall.units).toBe(3);
    expect(result.disagreements).toMatchObject([{ unit: 'paragraph', text: 'Inledning här.', line: 10 }]);
    expect(result.disagreements[0]?.speaker).toBeUndefined();
  });

  it('counts characters other than white space, speaker labels and headings left out', () => {
    const result = report('character', '# Rubrik\n\n**T:** [Ab c]{#a}.', '# Rubrik\n\n**T:** Ab c.');
    // "Ab", "c" and "." are the character units: 4 characters, 3 of them coded by coder-a.
    expect(result.overall.units).toBe(4);
    expect(code(result, 'a').coded).toEqual([3, 0]);
    expect(result.disagreements).toMatchObject([{ unit: 'character', weight: 3, text: 'Ab c' }]);
  });

  it('counts a character outside the Basic Multilingual Plane once', () => {
    const result = report('character', '**T:** [😀]{#a} x', '**T:** 😀 x');
    expect(result.overall.units).toBe(2);
    expect(code(result, 'a').coded).toEqual([1, 0]);
  });
});

describe('agreement on nested passages', () => {
  const nested = '**K:** [Ytre [inre]{#b} ytre.]{#a}\n\n**T:** Ja.';

  it('gives a turn the codes of the inner and the outer passage', () => {
    const result = report('turn', nested, '**K:** [Ytre inre ytre.]{#a}\n\n**T:** Ja.');
    expect(code(result, 'a')).toMatchObject({ coded: [1, 1], agreement: 1 });
    expect(code(result, 'b')).toMatchObject({ coded: [1, 0], agreement: 0.5 });
    expect(table(result)).toEqual(['Ytre inre ytre.: a b | a']);
  });

  it('agrees on a turn when the other coder puts both codes on one passage', () => {
    const result = report('turn', nested, '**K:** [Ytre inre ytre.]{#a #b}\n\n**T:** Ja.');
    expect(result.disagreements).toEqual([]);
    expect(result.overall.agreement).toBe(1);
  });

  it('tells them apart by character: the inner code covers the inner characters only', () => {
    const result = report('character', nested, '**K:** [Ytre inre ytre.]{#a #b}\n\n**T:** Ja.');
    // Characters: Ytre(4) inre(4) ytre.(5) Ja.(3) = 16. #b: coder-a on "inre" (4), coder-b on 13.
    expect(result.overall.units).toBe(16);
    expect(code(result, 'a').coded).toEqual([13, 13]);
    expect(code(result, 'b').coded).toEqual([4, 13]);
    expect(code(result, 'b').agreement).toBeCloseTo(7 / 16, 12);
    expect(
      result.disagreements.map((d) => [d.text, d.weight, d.coders.map((c) => c.codes?.join(' '))]),
    ).toEqual([
      ['Ytre', 4, ['a', 'a b']],
      ['ytre.', 5, ['a', 'a b']],
    ]);
  });
});

describe('agreement on overlapping passages', () => {
  const overlapping = '**K:** {#a>}Ett [två{<#a} tre]{#b}\n\n**K:** Fyra.';

  it('gives each turn the codes of every passage that covers part of it', () => {
    const result = report('turn', overlapping, '**K:** [Ett två tre]{#a #b}\n\n**K:** Fyra.');
    expect(result.disagreements).toEqual([]);
  });

  it('compares the overlap character by character', () => {
    const result = report('character', overlapping, '**K:** [Ett två tre]{#a #b}\n\n**K:** Fyra.');
    // coder-a: "Ett" #a, "två" #a #b, "tre" #b; coder-b: all nine #a #b.
    expect(code(result, 'a').coded).toEqual([6, 9]);
    expect(code(result, 'b').coded).toEqual([6, 9]);
    expect(result.disagreements.map((d) => [d.text, d.weight])).toEqual([
      ['Ett', 3],
      ['tre', 3],
    ]);
  });

  it('gives a passage that runs over two turns to both, but not to a turn it only touches with white space', () => {
    const across = '**T:** Hej [där.\n\n**K:** Hallå]{#a} du.\n\n**T:** [Ja.\n\n]{#b}**K:** Nej.';
    const plain = '**T:** Hej där.\n\n**K:** Hallå du.\n\n**T:** Ja.\n\n**K:** Nej.';
    const result = report('turn', across, plain);
    expect(table(result)).toEqual(['Hej där.: a | ', 'Hallå du.: a | ', 'Ja.: b | ']);
  });

  it('counts a code applied twice in one unit once', () => {
    const result = report('turn', '**K:** [Ett]{#a} och [två]{#a}.', '**K:** [Ett och två]{#a}.');
    expect(result.disagreements).toEqual([]);
    expect(code(result, 'a').coded).toEqual([1, 1]);
  });

  it('compares codes after resolving each coder’s aliases', () => {
    const codebook = '# Tema\n\n- #kontrakt: Avtal. Aliases: plattform\n';
    const a = indexFiles(
      { 'codebook.md': codebook, 's1.md': `${frontMatter}**K:** [Ett]{#plattform}\n` },
      'file:///a',
    );
    const b = indexFiles(
      { 'codebook.md': codebook, 's1.md': `${frontMatter}**K:** [Ett]{#kontrakt}\n` },
      'file:///b',
    );
    const result = compareCoders([
      { name: 'a', index: a },
      { name: 'b', index: b },
    ]);
    expect(result.status === 'ok' && result.codes.map((c) => [c.code, c.theme, c.agreement])).toEqual([
      ['kontrakt', '1', 1],
    ]);
  });
});

describe('stripTags', () => {
  it('gives the same text as plainText after the front matter, CRLF as LF', () => {
    const text = `${frontMatter}**K:** [Ytre [inre]{#b "not"} ytre]{#a}, {#c>}x [paus] y{<#c} \\[z\\]{#d}\n`;
    const transcript = parseTranscript('file:///s1.md', text);
    expect(stripTags(transcript).text).toBe(plainText(transcript).slice(transcript.frontMatter?.end));
    const crlf = parseTranscript('file:///s1.md', text.replaceAll('\n', '\r\n'));
    expect(stripTags(crlf).text).toBe(stripTags(transcript).text);
  });
});

describe('missing data', () => {
  it('leaves a transcript that one coder lacks out of that coder’s values, and keeps the others', () => {
    const a = indexFiles(
      { 's1.md': `${frontMatter}**K:** [Ett]{#a}\n`, 's2.md': `${frontMatter}**K:** [Två]{#a}\n` },
      'file:///a',
    );
    const b = indexFiles(
      { 's1.md': `${frontMatter}**K:** [Ett]{#a}\n`, 's2.md': `${frontMatter}**K:** Två\n` },
      'file:///b',
    );
    const c = indexFiles({ 's1.md': `${frontMatter}**K:** [Ett]{#a}\n` }, 'file:///c');
    const only = indexFiles({ 's3.md': `${frontMatter}**K:** Tre\n` }, 'file:///d');
    const result = compareCoders([
      { name: 'a', index: a },
      { name: 'b', index: b },
      { name: 'c', index: c },
      { name: 'd', index: only },
    ]);
    if (result.status !== 'ok') throw new Error('texts differ');
    expect(result.unpaired).toEqual([{ path: 's3.md', coders: ['d'] }]);
    expect(result.transcripts.map((t) => [t.path, t.coders])).toEqual([
      ['s1.md', ['a', 'b', 'c']],
      ['s2.md', ['a', 'b']],
    ]);
    // Units: s1 (values 1, 1, 1) and s2 (values 1, 0). Coincidences: o11 = 3·2/2 + 0 = 3, o10 = o01 = 1,
    // o00 = 0; n1 = 4, n0 = 1, n = 5: alpha = 1 − (n − 1) · o01 / (n0 · n1) = 1 − 4 · 1 / 4 = 0.
    expect(result.codes[0]).toMatchObject({ code: 'a', units: 2, coded: [2, 1, 1, 0], agreement: 0.5 });
    expect(result.codes[0]?.alpha).toBeCloseTo(0, 12);
    expect(result.disagreements[0]?.coders.map((copy) => copy.codes)).toEqual([['a'], [], null, null]);
    expect(result.disagreements[0]?.coders[2]?.uri).toBeUndefined();
  });
});
