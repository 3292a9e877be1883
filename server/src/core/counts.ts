import { forEachWithOpenLabels, passagesByStart } from './analyses/cooccurrence';
import { SEGMENT_FIELDS, segmentCount, type TranscriptSummary } from './summary';
import type { Span } from './text';

/**
 * The project's counts, kept up to date transcript by transcript: what each transcript contributes is
 * computed once from its summary (`contribute`) and added to or taken from the totals (`ProjectCounts`).
 * Participants are numbered, so that a theme's or code's counts per participant are one typed array:
 * adding a transcript touches a few hundred array cells, not a few hundred hash maps.
 */

export interface Tally {
  segments: number;
  /** Participant id to the number of segments (participants with none are absent). */
  participants: ReadonlyMap<string, number>;
}

export interface ProjectTotals {
  codes: Map<string, Tally>;
  /** Indexed like `Codebook.themes`. */
  themes: Tally[];
}

/** What one transcript adds to every count under one structure of the codebook. */
export interface Contribution {
  structureVersion: number;
  participant: string;
  /** Pairs of code id and the number of segments coded with the code, by code id. */
  codes: Int32Array;
  /** Per theme index: segments coded with a code of the theme or of one below it (each segment once). */
  themes: Int32Array;
  /** Per theme index: segments coded with a code of the theme itself, for overlapping-themes. */
  own: Int32Array;
  /** Triples of theme a, theme b and the passages of a that share text with a passage of b. */
  shared: Int32Array;
  /** Triples of two code ids (in name order) and how often they code the same or intersecting passages. */
  pairs: Int32Array;
}

/**
 * The totals as plain data, for the persisted index: participants and codes by name, so that another
 * process, which numbers them differently, can add them to its own.
 */
export interface CountsSnapshot {
  participants: string[];
  /** Code names, which `codes` (the first of them) and `pairs` refer to by index. */
  names: string[];
  /** Per name: participant index and segments, in pairs (participants with none left out). */
  codes: ArrayLike<number>[];
  /** Per theme: participant index and segments, in pairs. */
  themes: ArrayLike<number>[];
  /** Per theme: passages coded with the theme's own codes. */
  own: ArrayLike<number>;
  /** Triples of theme a, theme b and the passages of a that share text with passages of b. */
  shared: ArrayLike<number>;
  /** Triples of two name indexes and how often the codes code the same or intersecting passages. */
  pairs: ArrayLike<number>;
}

/** What `contribute` needs to know of the codebook and the project's code ids. */
export interface Structure {
  version: number;
  themeCount: number;
  /** The canonical code a name stands for (itself, or what it is an alias of). */
  resolve(name: string): string;
  /** The theme a canonical code is listed under. */
  themeOf(code: string): number | undefined;
  parentOf(theme: number): number | undefined;
  codeId(name: string): number;
  codeName(id: number): string;
}

/** What a transcript adds to every count, from its summary and the codebook. */
export function contribute(summary: TranscriptSummary, structure: Structure): Contribution {
  const themeCount = structure.themeCount;
  const names = summary.names;
  // Per code set (a transcript reuses few): its codes, the themes they are listed under, and those with
  // every theme above them.
  const setCodes: number[][] = [];
  const setDirect: number[][] = [];
  const setRolled: number[][] = [];
  const known = namesOf(structure);
  for (const set of summary.codeSets) {
    // Most sets hold one code: its code id and themes come straight from the per-name cache.
    if (set.length === 1) {
      const info = known.get(names[set[0] ?? 0] ?? '');
      setCodes.push([info.id]);
      setDirect.push(info.direct);
      setRolled.push(info.rolled);
      continue;
    }
    const codes: number[] = [];
    const direct: number[] = [];
    const rolled: number[] = [];
    for (const nameIndex of set) {
      const info = known.get(names[nameIndex] ?? '');
      if (codes.includes(info.id)) continue;
      codes.push(info.id);
      for (const theme of info.direct) if (!direct.includes(theme)) direct.push(theme);
      for (const theme of info.rolled) if (!rolled.includes(theme)) rolled.push(theme);
    }
    setCodes.push(codes);
    setDirect.push(direct);
    setRolled.push(rolled);
  }

  const count = segmentCount(summary);
  const seg = summary.segments;
  const codeCounts = new Map<number, number>();
  const themes = new Int32Array(themeCount);
  const own = new Int32Array(themeCount);
  const setUses = new Int32Array(summary.codeSets.length);
  const passages: Passage[] = [];
  for (let i = 0; i < count; i++) {
    const set = seg[i * SEGMENT_FIELDS + 2] ?? 0;
    setUses[set] = (setUses[set] ?? 0) + 1;
    const start = seg[i * SEGMENT_FIELDS] ?? 0;
    const end = seg[i * SEGMENT_FIELDS + 1] ?? 0;
    if (end > start) passages.push({ index: i, text: { start, end }, set });
  }
  summary.codeSets.forEach((_, set) => {
    const uses = setUses[set] ?? 0;
    if (uses === 0) return;
    for (const id of setCodes[set] ?? []) codeCounts.set(id, (codeCounts.get(id) ?? 0) + uses);
    for (const theme of setRolled[set] ?? []) themes[theme] = (themes[theme] ?? 0) + uses;
    for (const theme of setDirect[set] ?? []) own[theme] = (own[theme] ?? 0) + uses;
  });

  const shared = new Map<number, number>();
  const pairs = new Map<number, number>();
  const pair = (x: number, y: number, times: number) => {
    if (x === y) return;
    const [a, b] = structure.codeName(x) < structure.codeName(y) ? [x, y] : [y, x];
    pairs.set(a * PAIR_KEY + b, (pairs.get(a * PAIR_KEY + b) ?? 0) + times);
  };
  // Codes on one passage co-occur, however many passages carry the same set.
  summary.codeSets.forEach((_, set) => {
    const codes = setCodes[set] ?? [];
    const uses = setUses[set] ?? 0;
    if (uses === 0 || codes.length < 2) return;
    for (let i = 0; i < codes.length; i++)
      for (let j = i + 1; j < codes.length; j++) pair(codes[i] ?? 0, codes[j] ?? 0, uses);
  });
  // Passages share text only within a run of intersecting passages: only such runs are compared.
  const touched = new Map<number, number[]>();
  const byStart = passagesByStart(passages);
  let group: Passage[] = [];
  let groupEnd = -1;
  const flush = () => {
    if (group.length > 1) compareGroup(group, setDirect, setCodes, touched, pair);
    group = [];
  };
  for (const passage of byStart) {
    if (passage.text.start >= groupEnd) flush();
    group.push(passage);
    groupEnd = Math.max(groupEnd, passage.text.end);
  }
  flush();
  // A passage shares text with itself: two themes on one passage overlap too.
  const size = Math.max(1, themeCount);
  for (let i = 0; i < count; i++) {
    const direct = setDirect[seg[i * SEGMENT_FIELDS + 2] ?? 0] ?? [];
    const others = touched.get(i) ?? direct;
    if (others.length < 2) continue;
    for (const theme of direct) {
      for (const other of others) {
        if (other !== theme) shared.set(theme * size + other, (shared.get(theme * size + other) ?? 0) + 1);
      }
    }
  }

  return {
    structureVersion: structure.version,
    participant: summary.participant.id,
    codes: byId(codeCounts),
    themes,
    own,
    shared: triples(shared, Math.max(1, themeCount)),
    pairs: triples(pairs, PAIR_KEY),
  };
}

/** What a code name stands for under one structure: its code id, its theme, that theme with those above. */
interface NameInfo {
  id: number;
  direct: number[];
  rolled: number[];
}

/** Names already looked up, per structure (a project uses a few hundred names thousands of times). */
const nameCache = new WeakMap<Structure, { version: number; names: Map<string, NameInfo> }>();

function namesOf(structure: Structure): { get(name: string): NameInfo } {
  let cache = nameCache.get(structure);
  if (cache?.version !== structure.version) {
    cache = { version: structure.version, names: new Map() };
    nameCache.set(structure, cache);
  }
  const names = cache.names;
  return {
    get(name) {
      let info = names.get(name);
      if (!info) {
        const id = structure.codeId(structure.resolve(name));
        const theme = structure.themeOf(structure.codeName(id));
        const rolled: number[] = [];
        for (let at = theme; at !== undefined && !rolled.includes(at); at = structure.parentOf(at))
          rolled.push(at);
        info = { id, direct: theme === undefined ? [] : [theme], rolled };
        names.set(name, info);
      }
      return info;
    },
  };
}

interface Passage {
  index: number;
  text: Span;
  set: number;
}

/**
 * Within a run of intersecting passages: which themes' passages share text with each passage (the
 * passages open where it starts, and those that start before it ends; into `touched`, by passage), and
 * which codes co-occur.
 */
function compareGroup(
  group: Passage[],
  setDirect: number[][],
  setCodes: number[][],
  touched: Map<number, number[]>,
  pair: (x: number, y: number, times: number) => void,
): void {
  const themesOf = (p: Passage) => setDirect[p.set] ?? [];
  const touch = (p: Passage, theme: number) => {
    let list = touched.get(p.index);
    if (!list) {
      list = [...themesOf(p)];
      touched.set(p.index, list);
    }
    if (!list.includes(theme)) list.push(theme);
  };
  forEachWithOpenLabels(group, themesOf, (p, open) => {
    for (const theme of open.keys()) touch(p, theme);
  });
  const starting: number[] = [];
  const startOf = new Map<number, number>();
  for (const p of [...group].reverse()) {
    for (const theme of starting) {
      if ((startOf.get(theme) ?? p.text.end) >= p.text.end) break;
      touch(p, theme);
    }
    for (const theme of themesOf(p)) {
      if (startOf.has(theme)) starting.splice(starting.indexOf(theme), 1);
      starting.unshift(theme);
      startOf.set(theme, p.text.start);
    }
  }
  const codesOf = (p: Passage) => setCodes[p.set] ?? [];
  forEachWithOpenLabels(group, codesOf, (p, open) => {
    for (const [x, times] of open) for (const y of codesOf(p)) pair(x, y, times);
  });
}

/** Code ids and counts in pairs, by code id. */
function byId(counts: Map<number, number>): Int32Array {
  const ids = new Int32Array(counts.size);
  let k = 0;
  for (const id of counts.keys()) ids[k++] = id;
  ids.sort();
  const out = new Int32Array(ids.length * 2);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] ?? 0;
    out[2 * i] = id;
    out[2 * i + 1] = counts.get(id) ?? 0;
  }
  return out;
}

/** Two code ids in one number (ids stay below this). */
export const PAIR_KEY = 2 ** 21;

function triples(counts: Map<number, number>, size: number): Int32Array {
  const out = new Int32Array(counts.size * 3);
  let i = 0;
  for (const [key, count] of counts) {
    out[i++] = Math.floor(key / size);
    out[i++] = key % size;
    out[i++] = count;
  }
  return out;
}

export function sameContribution(a: Contribution, b: Contribution): boolean {
  return (
    a.participant === b.participant &&
    sameArray(a.codes, b.codes) &&
    sameArray(a.themes, b.themes) &&
    sameArray(a.own, b.own) &&
    sameArray(a.shared, b.shared) &&
    sameArray(a.pairs, b.pairs)
  );
}

function sameArray(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Participants by number, in the order they were first counted. */
class Participants {
  readonly numbers = new Map<string, number>();
  readonly ids: string[] = [];

  number(id: string): number {
    let at = this.numbers.get(id);
    if (at === undefined) {
      at = this.ids.length;
      this.ids.push(id);
      this.numbers.set(id, at);
    }
    return at;
  }
}

/** A code's or theme's segments, in all and per participant number. */
class CountTally implements Tally {
  segments = 0;
  /** Participants with at least one segment. */
  distinct = 0;
  counts: Int32Array;
  readonly participants: ReadonlyMap<string, number>;

  constructor(people: Participants) {
    // Room for everyone counted so far: after a rebuild, tallies do not grow one participant at a time.
    this.counts = new Int32Array(Math.max(16, people.ids.length));
    this.participants = new ParticipantCounts(this, people);
  }

  /** Participant numbers and segments, in pairs, leaving out participants with none. */
  pairs(): Int32Array {
    const counts = this.counts;
    const out = new Int32Array(this.distinct * 2);
    let at = 0;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] === 0) continue;
      out[at++] = i;
      out[at++] = counts[i] ?? 0;
    }
    return out;
  }

  add(participant: number, count: number): void {
    if (participant >= this.counts.length) this.grow(participant + 1);
    const before = this.counts[participant] ?? 0;
    const after = before + count;
    this.counts[participant] = after;
    this.segments += count;
    if (before === 0 && after !== 0) this.distinct++;
    else if (before !== 0 && after === 0) this.distinct--;
  }
  /**
   * Adds participant index and count pairs, the indexes mapped to numbers by `numbers` (below `size`):
   * one loop for a whole persisted tally, which runs before the code is compiled.
   */
  addPairs(pairs: ArrayLike<number>, numbers: readonly number[], size: number): void {
    if (size > this.counts.length) this.grow(size);
    const counts = this.counts;
    for (let k = 0; k < pairs.length; k += 2) {
      const at = numbers[pairs[k] ?? 0] ?? 0;
      const count = pairs[k + 1] ?? 0;
      const before = counts[at] ?? 0;
      const after = before + count;
      counts[at] = after;
      this.segments += count;
      if (before === 0 && after !== 0) this.distinct++;
      else if (before !== 0 && after === 0) this.distinct--;
    }
  }

  private grow(size: number): void {
    const grown = new Int32Array(Math.max(size, this.counts.length * 2));
    grown.set(this.counts);
    this.counts = grown;
  }
}

/** A tally's counts per participant as a read-only map (participants with no segment are absent). */
class ParticipantCounts implements ReadonlyMap<string, number> {
  constructor(
    private readonly tally: CountTally,
    private readonly people: Participants,
  ) {}

  get size(): number {
    return this.tally.distinct;
  }

  get(id: string): number | undefined {
    const at = this.people.numbers.get(id);
    const count = at === undefined ? 0 : (this.tally.counts[at] ?? 0);
    return count === 0 ? undefined : count;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  *entries(): MapIterator<[string, number]> {
    const counts = this.tally.counts;
    for (let i = 0; i < counts.length; i++) {
      const count = counts[i] ?? 0;
      if (count !== 0) yield [this.people.ids[i] as string, count];
    }
  }

  *keys(): MapIterator<string> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): MapIterator<number> {
    for (const [, count] of this.entries()) yield count;
  }

  forEach(callback: (value: number, key: string, map: ReadonlyMap<string, number>) => void): void {
    for (const [id, count] of this.entries()) callback(count, id, this);
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
}

/** The project's totals, moved by one contribution at a time. */
export class ProjectCounts {
  private people = new Participants();
  readonly totals: ProjectTotals = { codes: new Map(), themes: [] };
  private themeCount = 0;
  /** Per theme: passages coded with the theme's own codes. */
  private own = new Float64Array(0);
  /** Per pair of themes (a * themeCount + b): passages of a that share text with passages of b. */
  private shared = new Float64Array(0);
  private readonly pairs = new Map<number, number>();

  /** Starts over for a codebook with this many themes. */
  reset(themeCount: number): void {
    this.themeCount = themeCount;
    this.totals.codes.clear();
    this.totals.themes = Array.from({ length: themeCount }, () => new CountTally(this.people));
    this.own = new Float64Array(themeCount);
    this.shared = new Float64Array(themeCount * themeCount);
    this.pairs.clear();
  }

  /** Adds (sign 1) or takes away (sign -1) a contribution. */
  move(contribution: Contribution, sign: 1 | -1, codeName: (id: number) => string): void {
    const participant = this.people.number(contribution.participant);
    const codes = contribution.codes;
    for (let i = 0; i < codes.length; i += 2) {
      const name = codeName(codes[i] ?? 0);
      let tally = this.totals.codes.get(name) as CountTally | undefined;
      if (!tally) {
        tally = new CountTally(this.people);
        this.totals.codes.set(name, tally);
      }
      tally.add(participant, sign * (codes[i + 1] ?? 0));
      if (tally.segments === 0) this.totals.codes.delete(name);
    }
    const themes = contribution.themes;
    const tallies = this.totals.themes as CountTally[];
    const count = Math.min(themes.length, this.themeCount);
    for (let t = 0; t < count; t++) {
      const n = themes[t] ?? 0;
      if (n !== 0) tallies[t]?.add(participant, sign * n);
      const o = contribution.own[t] ?? 0;
      if (o !== 0) this.own[t] = (this.own[t] ?? 0) + sign * o;
    }
    const shared = contribution.shared;
    for (let i = 0; i < shared.length; i += 3) {
      const a = shared[i] ?? 0;
      const b = shared[i + 1] ?? 0;
      if (a < this.themeCount && b < this.themeCount) {
        const at = a * this.themeCount + b;
        this.shared[at] = (this.shared[at] ?? 0) + sign * (shared[i + 2] ?? 0);
      }
    }
    const pairs = contribution.pairs;
    for (let i = 0; i < pairs.length; i += 3) {
      const key = (pairs[i] ?? 0) * PAIR_KEY + (pairs[i + 1] ?? 0);
      const left = (this.pairs.get(key) ?? 0) + sign * (pairs[i + 2] ?? 0);
      if (left === 0) this.pairs.delete(key);
      else this.pairs.set(key, left);
    }
  }

  /** The totals as plain data (see `CountsSnapshot`). */
  snapshot(codeName: (id: number) => string): CountsSnapshot {
    const names: string[] = [];
    const codes: ArrayLike<number>[] = [];
    const nameAt = new Map<string, number>();
    const indexOf = (name: string) => {
      let at = nameAt.get(name);
      if (at === undefined) {
        at = names.length;
        names.push(name);
        codes.push((this.totals.codes.get(name) as CountTally | undefined)?.pairs() ?? []);
        nameAt.set(name, at);
      }
      return at;
    };
    for (const name of this.totals.codes.keys()) indexOf(name);
    const pairs: number[] = [];
    for (const [a, b, count] of this.pairCounts())
      pairs.push(indexOf(codeName(a)), indexOf(codeName(b)), count);
    const shared: number[] = [];
    for (const [a, b, count] of this.overlap().shared) shared.push(a, b, count);
    return {
      participants: [...this.people.ids],
      names,
      codes,
      themes: this.totals.themes.map((tally) => (tally as CountTally).pairs()),
      own: Array.from(this.own),
      shared,
      pairs,
    };
  }

  /**
   * Adds a snapshot made under the same codebook structure (same themes, same code for every name);
   */
  add(snapshot: CountsSnapshot, codeId: (name: string) => number): void {
    const people = snapshot.participants.map((id) => this.people.number(id));
    snapshot.codes.forEach((counts, i) => {
      if (counts.length === 0) return;
      const name = snapshot.names[i] as string;
      let tally = this.totals.codes.get(name) as CountTally | undefined;
      if (!tally) {
        tally = new CountTally(this.people);
        this.totals.codes.set(name, tally);
      }
      tally.addPairs(counts, people, this.people.ids.length);
      if (tally.segments === 0) this.totals.codes.delete(name);
    });
    const tallies = this.totals.themes as CountTally[];
    for (const [t, counts] of snapshot.themes.entries())
      tallies[t]?.addPairs(counts, people, this.people.ids.length);
    for (let t = 0; t < Math.min(snapshot.own.length, this.themeCount); t++) {
      this.own[t] = (this.own[t] ?? 0) + (snapshot.own[t] ?? 0);
    }
    const { shared, pairs, names } = snapshot;
    for (let i = 0; i < shared.length; i += 3) {
      const a = shared[i] ?? 0;
      const b = shared[i + 1] ?? 0;
      if (a < this.themeCount && b < this.themeCount) {
        const at = a * this.themeCount + b;
        this.shared[at] = (this.shared[at] ?? 0) + (shared[i + 2] ?? 0);
      }
    }
    const ids = names.map(codeId);
    for (let i = 0; i < pairs.length; i += 3) {
      const key = (ids[pairs[i] ?? 0] ?? 0) * PAIR_KEY + (ids[pairs[i + 1] ?? 0] ?? 0);
      const left = (this.pairs.get(key) ?? 0) + (pairs[i + 2] ?? 0);
      if (left === 0) this.pairs.delete(key);
      else this.pairs.set(key, left);
    }
  }

  /**
   * The participants of a tally in the given order of all participants (`compare`), without sorting
   * each tally: the order of everyone is sorted once, while nobody new is counted.
   */
  orderedParticipants(tally: Tally, compare: (a: string, b: string) => number): string[] {
    if (!(tally instanceof CountTally)) return [...tally.participants.keys()].sort(compare);
    const ids = this.people.ids;
    if (this.order?.length !== ids.length) {
      this.order = Int32Array.from(ids.keys()).sort((a, b) => compare(ids[a] ?? '', ids[b] ?? ''));
    }
    const out: string[] = [];
    const counts = tally.counts;
    for (const at of this.order) if ((counts[at] ?? 0) !== 0) out.push(ids[at] as string);
    return out;
  }

  /** Participant numbers in the order `orderedParticipants` was last asked for. */
  private order: Int32Array | undefined;

  /** For overlapping-themes: passages per theme, and each pair of themes whose passages share text. */
  overlap(): {
    own: (theme: number) => number;
    /** In theme order. */
    shared: [number, number, number][];
    sharedOf: (a: number, b: number) => number;
  } {
    const size = this.themeCount;
    const list: [number, number, number][] = [];
    const shared = this.shared;
    for (let at = 0; at < shared.length; at++) {
      const count = shared[at] ?? 0;
      if (count !== 0) list.push([Math.floor(at / size), at % size, count]);
    }
    const own = this.own;
    return {
      own: (theme) => own[theme] ?? 0,
      shared: list,
      sharedOf: (a, b) => (a < size && b < size ? (shared[a * size + b] ?? 0) : 0),
    };
  }

  /** Co-occurring code pairs by code id, with how often. */
  pairCounts(): Iterable<[number, number, number]> {
    const pairs = this.pairs;
    return (function* () {
      for (const [key, count] of pairs) yield [Math.floor(key / PAIR_KEY), key % PAIR_KEY, count];
    })();
  }
}
