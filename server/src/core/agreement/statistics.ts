/**
 * Reliability statistics for nominal data, written out so that every step can be checked against the
 * published worked examples (test/agreement/statistics.test.ts):
 *
 * - Krippendorff's alpha (nominal), any number of coders, missing values allowed, after Krippendorff,
 *   "Computing Krippendorff's Alpha-Reliability" (2011): a coincidence matrix counts, within every unit
 *   that at least two coders coded, each ordered pair of values from different coders with weight
 *   1 / (m_u − 1), where m_u is the number of values in the unit. Then, with n_c the row sums and n the
 *   total, alpha = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k.
 * - Cohen's kappa (two coders): kappa = (p_o − p_e) / (1 − p_e), with p_o the share of units on which
 *   the coders agree and p_e = Σ_c (row_c · column_c) / n², from the coders' own marginal distributions.
 *
 * Units may carry a weight (a unit of weight w counts as w identical units), which is how a stretch of
 * text of w characters coded alike counts as w character units without w array entries.
 */

export type Value = string | number;

/** One unit's values, one per coder; `undefined` or `null` where that coder gave none (missing data). */
export type UnitValues = readonly (Value | null | undefined)[];

/** Krippendorff's coincidence matrix for nominal values, filled one unit at a time. */
export class CoincidenceMatrix {
  /** counts.get(c).get(k): coincidences of value c with value k (symmetric). */
  readonly counts = new Map<Value, Map<Value, number>>();
  /** Number of units that had at least two values (pairable), weighted. */
  pairableUnits = 0;

  /** Adds one unit. Units with fewer than two values are not pairable and add nothing. */
  add(values: UnitValues, weight = 1): this {
    const present = values.filter((value): value is Value => value !== undefined && value !== null);
    const m = present.length;
    if (m < 2 || weight <= 0) return this;
    this.pairableUnits += weight;
    // Count each value once, then pair counts: value c with k (c ≠ k) makes count_c · count_k pairs,
    // c with c makes count_c · (count_c − 1); each pair weighs 1 / (m − 1).
    const tally = new Map<Value, number>();
    for (const value of present) tally.set(value, (tally.get(value) ?? 0) + 1);
    const share = weight / (m - 1);
    for (const [c, countC] of tally) {
      for (const [k, countK] of tally) {
        const pairs = c === k ? countC * (countC - 1) : countC * countK;
        if (pairs > 0) this.increment(c, k, pairs * share);
      }
    }
    return this;
  }

  /** Adds another matrix's coincidences: how alpha over several variables pools them. */
  addMatrix(other: CoincidenceMatrix): this {
    for (const [c, row] of other.counts) for (const [k, count] of row) this.increment(c, k, count);
    this.pairableUnits += other.pairableUnits;
    return this;
  }

  get(c: Value, k: Value): number {
    return this.counts.get(c)?.get(k) ?? 0;
  }

  /** n_c: how often value c was paired, i.e. the number of pairable values c. */
  marginal(c: Value): number {
    let sum = 0;
    for (const count of this.counts.get(c)?.values() ?? []) sum += count;
    return sum;
  }

  /** n: the number of pairable values. */
  total(): number {
    let sum = 0;
    for (const c of this.counts.keys()) sum += this.marginal(c);
    return sum;
  }

  /** Observed disagreement D_o = Σ_{c≠k} o_ck / n (nominal: every mismatch weighs 1). */
  observedDisagreement(): number {
    const n = this.total();
    if (n === 0) return 0;
    let mismatches = 0;
    for (const [c, row] of this.counts) for (const [k, count] of row) if (c !== k) mismatches += count;
    return mismatches / n;
  }

  /** Expected disagreement D_e = Σ_{c≠k} n_c · n_k / (n · (n − 1)). */
  expectedDisagreement(): number {
    const n = this.total();
    if (n < 2) return 0;
    const marginals = [...this.counts.keys()].map((c) => this.marginal(c));
    let sum = 0;
    for (let i = 0; i < marginals.length; i++) {
      for (let j = 0; j < marginals.length; j++) {
        if (i !== j) sum += (marginals[i] ?? 0) * (marginals[j] ?? 0);
      }
    }
    return sum / (n * (n - 1));
  }

  /**
   * Krippendorff's alpha, 1 − D_o / D_e; null when it is undefined: no pairable values, or no variation
   * at all (every coder gave the same single value everywhere, so chance cannot be told from skill).
   */
  alpha(): number | null {
    const expected = this.expectedDisagreement();
    if (expected === 0) return null;
    return 1 - this.observedDisagreement() / expected;
  }

  private increment(c: Value, k: Value, amount: number): void {
    let row = this.counts.get(c);
    if (!row) {
      row = new Map();
      this.counts.set(c, row);
    }
    row.set(k, (row.get(k) ?? 0) + amount);
  }
}

/** Krippendorff's alpha for nominal data; `units` holds each unit's values, one per coder. */
export function krippendorffAlpha(units: readonly UnitValues[], weights?: readonly number[]): number | null {
  const matrix = new CoincidenceMatrix();
  units.forEach((values, i) => {
    matrix.add(values, weights?.[i] ?? 1);
  });
  return matrix.alpha();
}

/** The cross table of two coders' values over the units both coded. */
export class ContingencyTable {
  /** cells.get(a).get(b): units the first coder gave a and the second b. */
  readonly cells = new Map<Value, Map<Value, number>>();
  total = 0;

  add(first: Value | null | undefined, second: Value | null | undefined, weight = 1): this {
    if (first === undefined || first === null || second === undefined || second === null) return this;
    if (weight <= 0) return this;
    let row = this.cells.get(first);
    if (!row) {
      row = new Map();
      this.cells.set(first, row);
    }
    row.set(second, (row.get(second) ?? 0) + weight);
    this.total += weight;
    return this;
  }

  get(first: Value, second: Value): number {
    return this.cells.get(first)?.get(second) ?? 0;
  }

  /** Share of units on which the two coders agree. Null when no unit was coded by both. */
  observedAgreement(): number | null {
    if (this.total === 0) return null;
    let agree = 0;
    for (const [value, row] of this.cells) agree += row.get(value) ?? 0;
    return agree / this.total;
  }

  /** Agreement expected from the coders' own marginal distributions: Σ_c row_c · column_c / n². */
  chanceAgreement(): number | null {
    if (this.total === 0) return null;
    const rows = new Map<Value, number>();
    const columns = new Map<Value, number>();
    for (const [a, row] of this.cells) {
      for (const [b, count] of row) {
        rows.set(a, (rows.get(a) ?? 0) + count);
        columns.set(b, (columns.get(b) ?? 0) + count);
      }
    }
    let sum = 0;
    for (const [value, count] of rows) sum += count * (columns.get(value) ?? 0);
    return sum / (this.total * this.total);
  }

  /** Cohen's kappa; null when undefined (no units, or chance agreement is 1: both coders used one value). */
  kappa(): number | null {
    const observed = this.observedAgreement();
    const chance = this.chanceAgreement();
    if (observed === null || chance === null || chance >= 1) return null;
    return (observed - chance) / (1 - chance);
  }
}

/** Cohen's kappa for two coders' values over the same units (missing values drop the unit). */
export function cohensKappa(
  first: readonly (Value | null | undefined)[],
  second: readonly (Value | null | undefined)[],
): number | null {
  const table = new ContingencyTable();
  first.forEach((value, i) => {
    table.add(value, second[i]);
  });
  return table.kappa();
}

/** Cohen's kappa from a square table of counts: rows the first coder's values, columns the second's. */
export function kappaFromCounts(counts: readonly (readonly number[])[]): number | null {
  const table = new ContingencyTable();
  counts.forEach((row, i) => {
    row.forEach((count, j) => {
      table.add(i, j, count);
    });
  });
  return table.kappa();
}

/** The mean of the numbers that are defined; null when none is. */
export function meanOf(values: readonly (number | null)[]): number | null {
  const defined = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (defined.length === 0) return null;
  return defined.reduce((sum, value) => sum + value, 0) / defined.length;
}
