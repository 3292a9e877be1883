import { describe, expect, it } from 'vitest';
import {
  CoincidenceMatrix,
  ContingencyTable,
  cohensKappa,
  kappaFromCounts,
  krippendorffAlpha,
  type UnitValues,
} from '../../server/src/core/agreement/statistics';

/**
 * The statistics against published worked examples. Krippendorff's are from "Computing Krippendorff's
 * Alpha-Reliability" (K. Krippendorff, 2011, Annenberg School for Communication, University of
 * Pennsylvania, repository.upenn.edu/asc_papers/43): reliability data as observers × units, "." for a
 * missing value, and the alpha the paper computes by hand. Cohen's kappa is from D. G. Altman,
 * Practical Statistics for Medical Research (Chapman & Hall, 1991), section 14.3.
 */

/** Observers × units, as the paper prints them, into one array of values per unit. */
function byUnit(rows: string[]): UnitValues[] {
  const table = rows.map((row) => row.trim().split(/\s+/));
  const units = table[0]?.length ?? 0;
  return Array.from({ length: units }, (_, unit) =>
    table.map((row) => {
      const value = row[unit];
      return value === undefined || value === '.' ? undefined : value;
    }),
  );
}

describe("Krippendorff's worked examples", () => {
  it('A. binary data, two observers, no missing data: alpha = 0.095', () => {
    const units = byUnit(['0 1 0 0 0 0 0 0 1 0', '1 1 1 0 0 1 0 0 0 0']);
    const matrix = new CoincidenceMatrix();
    for (const unit of units) matrix.add(unit);
    // The paper's coincidence matrix: o00 = 10, o01 = o10 = 4, o11 = 2; n0 = 14, n1 = 6, n = 20.
    expect(matrix.get('0', '0')).toBe(10);
    expect(matrix.get('0', '1')).toBe(4);
    expect(matrix.get('1', '0')).toBe(4);
    expect(matrix.get('1', '1')).toBe(2);
    expect(matrix.marginal('0')).toBe(14);
    expect(matrix.marginal('1')).toBe(6);
    expect(matrix.total()).toBe(20);
    // alpha = 1 − (n − 1) · o01 / (n0 · n1) = 1 − 19 · 4 / (14 · 6) = 0.0952…
    expect(matrix.alpha()).toBeCloseTo(1 - (19 * 4) / (14 * 6), 12);
    expect(Number(matrix.alpha()?.toFixed(3))).toBe(0.095);
  });

  it('B. nominal data, two observers, no missing data: alpha = 0.692', () => {
    // The paper's values a … e, written as 1 … 5.
    const units = byUnit(['1 1 2 2 4 3 3 3 5 4 4 1', '2 1 2 2 2 3 3 3 5 4 4 4']);
    expect(Number(krippendorffAlpha(units)?.toFixed(3))).toBe(0.692);
  });

  it('C. nominal data, any number of observers, missing values: alpha = 0.743', () => {
    const units = byUnit([
      '1 2 3 3 2 1 4 1 2 . . .',
      '1 2 3 3 2 2 4 1 2 5 . 3',
      '. 3 3 3 2 3 4 2 2 5 1 .',
      '1 2 3 3 2 4 4 1 2 5 1 .',
    ]);
    const matrix = new CoincidenceMatrix();
    for (const unit of units) matrix.add(unit);
    // Unit 12 has one value only and is not pairable: n = 40 pairable values, as in the paper.
    expect(matrix.pairableUnits).toBe(11);
    expect(matrix.total()).toBeCloseTo(40, 12);
    // The paper's marginals: n1 = 9, n2 = 13, n3 = 10, n4 = 5, n5 = 3.
    expect([1, 2, 3, 4, 5].map((v) => Number(matrix.marginal(String(v)).toFixed(9)))).toEqual([
      9, 13, 10, 5, 3,
    ]);
    // Two of its coincidences: o11 = 3 + 2 + 2 = 7 (units 1, 8 and 11), o12 = 1/3 + 1 = 4/3 (units 6 and 8).
    expect(matrix.get('1', '1')).toBeCloseTo(7, 12);
    expect(matrix.get('1', '2')).toBeCloseTo(4 / 3, 12);
    expect(Number(matrix.alpha()?.toFixed(3))).toBe(0.743);
  });

  it('gives the same alpha for a weighted unit as for that many copies of it', () => {
    const units: UnitValues[] = [
      ['a', 'a'],
      ['a', 'b'],
      ['b', 'b'],
    ];
    const copies = [...units, ['a', 'a'], ['a', 'a']];
    expect(krippendorffAlpha(units, [3, 1, 1])).toBeCloseTo(krippendorffAlpha(copies) ?? Number.NaN, 12);
  });

  it('pools variables by adding their coincidence matrices', () => {
    const first = new CoincidenceMatrix().add([1, 1]).add([0, 1]).add([0, 0]);
    const second = new CoincidenceMatrix().add([0, 0]).add([1, 0]);
    const pooled = new CoincidenceMatrix().addMatrix(first).addMatrix(second);
    const together = new CoincidenceMatrix().add([1, 1]).add([0, 1]).add([0, 0]).add([0, 0]).add([1, 0]);
    expect(pooled.alpha()).toBeCloseTo(together.alpha() ?? Number.NaN, 12);
    expect(pooled.pairableUnits).toBe(5);
  });

  it('is undefined without variation, and without pairable values', () => {
    expect(
      krippendorffAlpha([
        [0, 0],
        [0, 0],
        [0, undefined],
      ]),
    ).toBeNull();
    expect(
      krippendorffAlpha([
        [1, undefined],
        [undefined, 0],
      ]),
    ).toBeNull();
    expect(krippendorffAlpha([])).toBeNull();
  });

  it('is 1 for perfect agreement and negative for systematic disagreement', () => {
    expect(
      krippendorffAlpha([
        [0, 0],
        [1, 1],
        [0, 0],
      ]),
    ).toBe(1);
    expect(
      krippendorffAlpha([
        [0, 1],
        [1, 0],
      ]) ?? 0,
    ).toBeLessThan(0);
  });
});

describe("Cohen's kappa, Altman's worked examples", () => {
  it('Table 14.2, two radiologists and 85 xeromammograms: p_o = 0.64, p_e = 0.31, kappa = 0.47', () => {
    // Rows radiologist A, columns radiologist B: normal, benign, suspected cancer, cancer.
    const counts = [
      [21, 12, 0, 0],
      [4, 17, 1, 0],
      [3, 9, 15, 2],
      [0, 0, 0, 1],
    ];
    const table = new ContingencyTable();
    counts.forEach((row, i) => {
      row.forEach((count, j) => {
        table.add(i, j, count);
      });
    });
    expect(table.total).toBe(85);
    expect(table.observedAgreement()).toBeCloseTo(54 / 85, 12);
    // Expected agreements on the diagonal: 33·28/85 + 22·38/85 + 29·16/85 + 1·3/85 = 26.2 of 85.
    expect(table.chanceAgreement()).toBeCloseTo((33 * 28 + 22 * 38 + 29 * 16 + 1 * 3) / 85 ** 2, 12);
    expect(Number(table.chanceAgreement()?.toFixed(2))).toBe(0.31);
    expect(Number(table.kappa()?.toFixed(2))).toBe(0.47);
    expect(kappaFromCounts(counts)).toBeCloseTo(table.kappa() ?? Number.NaN, 12);
  });

  it('Table 14.4, the same agreement of 0.8 with different prevalences: kappa = 0.38 and 0.60', () => {
    expect(
      Number(
        kappaFromCounts([
          [70, 10],
          [10, 10],
        ])?.toFixed(2),
      ),
    ).toBe(0.38);
    expect(
      Number(
        kappaFromCounts([
          [40, 10],
          [10, 40],
        ])?.toFixed(2),
      ),
    ).toBe(0.6);
  });

  it('takes paired values and drops units that either coder left out', () => {
    const first = ['a', 'a', 'b', 'b', undefined, 'a'];
    const second = ['a', 'b', 'b', 'b', 'a', null];
    // Four pairs: a/a, a/b, b/b, b/b. p_o = 3/4; marginals a 2, b 2 and a 1, b 3: p_e = (2·1 + 2·3)/16 = 1/2.
    expect(cohensKappa(first, second)).toBeCloseTo((3 / 4 - 1 / 2) / (1 - 1 / 2), 12);
  });

  it('is undefined when both coders used one value only', () => {
    expect(cohensKappa([0, 0, 0], [0, 0, 0])).toBeNull();
    expect(cohensKappa([], [])).toBeNull();
  });
});
