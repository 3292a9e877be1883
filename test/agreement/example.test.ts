import { beforeAll, describe, expect, it } from 'vitest';
import { type AgreementReport, compareCoders } from '../../server/src/core/agreement';
import { loadProject } from '../../server/src/node/loadProject';
import { repoRoot } from '../helpers/cli';

/**
 * The rupture example (examples/rupture-sessions/) against a computation done by hand, apart from the
 * code under test.
 *
 * How the expected numbers were made. Every speaker turn of the three sessions is one line of its file
 * and no passage runs over two turns, so each coder's codes per turn can be read off line by line: for
 * each code, count the turns both coders gave it (a), only coder A (b), only coder B (c), and neither
 * (d = 175 − a − b − c; the sessions have 57 + 62 + 56 = 175 turns). The counts were tallied from the
 * list of deliberate differences written into coder-b (see the example's README) and checked with a
 * throwaway script that reads the lines with a regular expression, not with Kodkarta.
 *
 *   code                     a  b  c    d   kappa        alpha
 *   anerkjenner-eget-bidrag  3  0  1  171   1026/1201    2052/2401
 *   avviser-intervensjon     4  1  1  169     27/34      1351/1700
 *   benekter-følelse         3  0  4  168     36/61       501/850
 *   endrer-oppgave           2  1  0  172    688/863     1376/1725
 *   forklarer-rasjonale      3  0  0  172      1            1
 *   føyelighet               6  0  2  167   1002/1177    2003/2352
 *   klage-framgang           3  2  0  170    102/137     1019/1368
 *   klage-rammer             2  0  0  173      1            1
 *   klage-terapeut           1  0  0  174      1            1
 *   metakommunikasjon        7  0  1  167    334/359     4676/5025
 *   minimal-respons          3  3  0  169    338/513      674/1023
 *   sårbar-selvhevdelse      3  1  0  171   1026/1201    2052/2401
 *   temaskifte               1  0  1  173    346/521      692/1041
 *   utforsker-brudd          4  1  0  170    272/307     2720/3069
 *   utforsker-unngåelse      5  0  3  167    334/439     3334/4381
 *   validerer-forsvar        4  1  0  170    272/307     2720/3069
 *
 * With n = 175 turns: percent agreement p_o = (a + d) / n; Cohen's kappa = (p_o − p_e) / (1 − p_e) with
 * p_e = ((a + b)(a + c) + (c + d)(b + d)) / n²; Krippendorff's alpha for two coders and binary values,
 * from the coincidences o11 = 2a, o00 = 2d, o01 = o10 = b + c (2n = 350 pairable values):
 * alpha = 1 − (2n − 1)(b + c) / ((2a + b + c)(2d + b + c)). Example, avviser-intervensjon:
 * p_o = 173/175; p_e = (5·5 + 170·170)/175² = 28925/30625; kappa = (30275 − 28925)/(30625 − 28925) =
 * 1350/1700 = 27/34 = 0.794; alpha = 1 − 349 · 2 / (10 · 340) = 1 − 698/3400 = 1351/1700 = 0.795.
 *
 * Overall alpha pools the sixteen codes' coincidence matrices: Σ(b + c) = 23 mismatching pairs,
 * n1 = Σ(2a + b + c) = 131, n0 = Σ(2d + b + c) = 5469, n = 16 · 350 = 5600 values:
 * alpha = 1 − 5599 · 23 / (5469 · 131) = 1 − 128777/716439 = 587662/716439 = 0.820.
 * Mean kappa: the sixteen kappas above averaged = 0.8295. Turns with exactly the same codes: 175 − 19
 * turns with a difference = 156, so 156/175 = 89.1 %.
 */

const expected: Record<string, { a: number; b: number; c: number; kappa: number; alpha: number }> = {
  'anerkjenner-eget-bidrag': { a: 3, b: 0, c: 1, kappa: 1026 / 1201, alpha: 2052 / 2401 },
  'avviser-intervensjon': { a: 4, b: 1, c: 1, kappa: 27 / 34, alpha: 1351 / 1700 },
  'benekter-følelse': { a: 3, b: 0, c: 4, kappa: 36 / 61, alpha: 501 / 850 },
  'endrer-oppgave': { a: 2, b: 1, c: 0, kappa: 688 / 863, alpha: 1376 / 1725 },
  'forklarer-rasjonale': { a: 3, b: 0, c: 0, kappa: 1, alpha: 1 },
  føyelighet: { a: 6, b: 0, c: 2, kappa: 1002 / 1177, alpha: 2003 / 2352 },
  'klage-framgang': { a: 3, b: 2, c: 0, kappa: 102 / 137, alpha: 1019 / 1368 },
  'klage-rammer': { a: 2, b: 0, c: 0, kappa: 1, alpha: 1 },
  'klage-terapeut': { a: 1, b: 0, c: 0, kappa: 1, alpha: 1 },
  metakommunikasjon: { a: 7, b: 0, c: 1, kappa: 334 / 359, alpha: 4676 / 5025 },
  'minimal-respons': { a: 3, b: 3, c: 0, kappa: 338 / 513, alpha: 674 / 1023 },
  'sårbar-selvhevdelse': { a: 3, b: 1, c: 0, kappa: 1026 / 1201, alpha: 2052 / 2401 },
  temaskifte: { a: 1, b: 0, c: 1, kappa: 346 / 521, alpha: 692 / 1041 },
  'utforsker-brudd': { a: 4, b: 1, c: 0, kappa: 272 / 307, alpha: 2720 / 3069 },
  'utforsker-unngåelse': { a: 5, b: 0, c: 3, kappa: 334 / 439, alpha: 3334 / 4381 },
  'validerer-forsvar': { a: 4, b: 1, c: 0, kappa: 272 / 307, alpha: 2720 / 3069 },
};

const n = 175;
let result: AgreementReport;

beforeAll(async () => {
  const a = await loadProject('examples/rupture-sessions/coder-a', repoRoot);
  const b = await loadProject('examples/rupture-sessions/coder-b', repoRoot);
  const compared = compareCoders([
    { name: 'coder-a', index: a.index },
    { name: 'coder-b', index: b.index },
  ]);
  if (compared.status !== 'ok') throw new Error(`the example's texts differ: ${JSON.stringify(compared)}`);
  result = compared;
});

describe('the rupture example, by turn', () => {
  it('compares three sessions of 175 turns on the sixteen codes of the codebook, in its order', () => {
    expect(result.unit).toBe('turn');
    expect(result.transcripts.map((t) => [t.path, t.units])).toEqual([
      ['sesjoner/k1-sesjon-03.md', 57],
      ['sesjoner/k1-sesjon-04.md', 62],
      ['sesjoner/k2-sesjon-02.md', 56],
    ]);
    expect(result.unpaired).toEqual([]);
    expect(result.codes.map((c) => c.code)).toEqual([
      'klage-terapeut',
      'avviser-intervensjon',
      'klage-rammer',
      'klage-framgang',
      'minimal-respons',
      'temaskifte',
      'føyelighet',
      'benekter-følelse',
      'forklarer-rasjonale',
      'endrer-oppgave',
      'metakommunikasjon',
      'anerkjenner-eget-bidrag',
      'validerer-forsvar',
      'utforsker-brudd',
      'utforsker-unngåelse',
      'sårbar-selvhevdelse',
    ]);
  });

  it.each(Object.entries(expected))('matches the hand computation for #%s', (name, hand) => {
    const code = result.codes.find((c) => c.code === name);
    const d = n - hand.a - hand.b - hand.c;
    expect(code?.units).toBe(n);
    expect(code?.coded).toEqual([hand.a + hand.b, hand.a + hand.c]);
    expect(code?.agreement).toBeCloseTo((hand.a + d) / n, 12);
    expect(code?.kappa).toBeCloseTo(hand.kappa, 12);
    expect(code?.alpha).toBeCloseTo(hand.alpha, 12);
  });

  it('matches the hand computation overall: alpha 0.820 pooled, mean kappa 0.830, 89.1 % identical turns', () => {
    expect(result.overall.units).toBe(n);
    expect(result.overall.codes).toBe(16);
    expect(result.overall.alpha).toBeCloseTo(587662 / 716439, 12);
    const kappas = Object.values(expected).map((hand) => hand.kappa);
    expect(result.overall.meanKappa).toBeCloseTo(kappas.reduce((sum, k) => sum + k, 0) / kappas.length, 12);
    expect(result.overall.agreement).toBeCloseTo(156 / 175, 12);
  });

  it('lists the 19 turns the coders differ on, with both coders’ codes and where to find them', () => {
    expect(result.disagreements).toHaveLength(19);
    expect(result.disagreements.map((d) => `${d.path}:${d.line}`)).toEqual([
      'sesjoner/k1-sesjon-03.md:39',
      'sesjoner/k1-sesjon-03.md:47',
      'sesjoner/k1-sesjon-03.md:59',
      'sesjoner/k1-sesjon-03.md:67',
      'sesjoner/k1-sesjon-03.md:105',
      'sesjoner/k1-sesjon-03.md:115',
      'sesjoner/k1-sesjon-04.md:23',
      'sesjoner/k1-sesjon-04.md:43',
      'sesjoner/k1-sesjon-04.md:67',
      'sesjoner/k1-sesjon-04.md:89',
      'sesjoner/k1-sesjon-04.md:103',
      'sesjoner/k1-sesjon-04.md:117',
      'sesjoner/k1-sesjon-04.md:135',
      'sesjoner/k2-sesjon-02.md:31',
      'sesjoner/k2-sesjon-02.md:55',
      'sesjoner/k2-sesjon-02.md:67',
      'sesjoner/k2-sesjon-02.md:71',
      'sesjoner/k2-sesjon-02.md:91',
      'sesjoner/k2-sesjon-02.md:117',
    ]);
    const first = result.disagreements[0];
    expect(first).toMatchObject({
      unit: 'turn',
      speaker: 'K',
      turn: 11,
      text: 'Jeg vet ikke. Det er ikke noe spesielt med det.',
      codes: ['benekter-følelse', 'minimal-respons'],
    });
    expect(first?.coders.map((c) => [c.coder, c.codes, c.range?.start])).toEqual([
      ['coder-a', ['minimal-respons'], { line: 38, character: 7 }],
      ['coder-b', ['benekter-følelse'], { line: 38, character: 7 }],
    ]);
  });
});
