import { compareParticipants } from './analyses/participants';
import { type Codebook, parseCodebook } from './codebook';
import {
  type Contribution,
  contribute,
  ProjectCounts,
  type ProjectTotals,
  type Structure,
  sameContribution,
} from './counts';
import { globToRegExp, matchesAny } from './glob';
import { type CodeMention, findMentions } from './mentions';
import type { PersistedCounts } from './persistedIndex';
import { defaultSettings, type ProjectSettings } from './settings';
import {
  copyString,
  SEGMENT_FIELDS,
  segmentCount,
  summarize,
  summarizeOpen,
  type TranscriptSummary,
} from './summary';
import { LineIndex } from './text';
import {
  editTranscript,
  parseTranscript,
  parseTranscriptInSteps,
  type Segment,
  type TextEdit,
  type Transcript,
} from './transcript';

export type FileKind = 'codebook' | 'transcript' | 'memo' | 'other';

export const CODEBOOK_FILE = 'codebook.md';

/** Markdown files that are never transcripts, whatever the settings say. */
const alwaysExcluded =
  /(^|\/)(?:readme|changelog|license|licence|contributing)\.md$|(^|\/)(?:\.[^/]*|node_modules)\//i;

export interface Memo {
  uri: string;
  text: string;
  lines: LineIndex;
  mentions: CodeMention[];
}

export type { ProjectTotals, Tally } from './counts';

import type { Tally } from './counts';

export interface ProjectIndexOptions {
  /**
   * How many transcripts that are not open stay parsed. The others keep their summary (what counts,
   * findings and quote pages need) and their text as UTF-8 bytes, and are parsed again when a feature
   * asks for them. Default: every transcript stays parsed (the command line tool, tests).
   */
  parsedTranscripts?: number;
  /**
   * Reads again the bytes of a transcript added without them (`updateFromSummary`), when a feature
   * needs its text. The caller checks that the file is still what the summary was made from (its stat,
   * else the hash of its bytes) and answers undefined when it is not: the transcript is then left out
   * until the caller updates it with what the file holds now.
   */
  readAgain?: (uri: string) => Uint8Array | undefined;
}

export interface UpdateOptions {
  /** Open in an editor: kept parsed whatever `parsedTranscripts` says, until updated without it. */
  open?: boolean;
  /** The file's bytes when they are the UTF-8 encoding of `text`: kept instead of the text when it is not parsed. */
  bytes?: Uint8Array;
  /**
   * How the text came from the previous one, if by one edit: then only the edited lines are parsed
   * again (checked against the texts; a wrong hint costs a full parse, never a wrong model).
   */
  edit?: TextEdit;
  /** The open transcript prepared from exactly this text (`prepareOpen`). */
  prepared?: PreparedOpen;
}

/** A transcript opened in an editor, prepared in steps by `prepareOpen` for `update`. */
export interface PreparedOpen {
  transcript: Transcript;
  summary: TranscriptSummary;
  contribution: Contribution;
}

interface TranscriptEntry {
  uri: string;
  summary: TranscriptSummary;
  /** The text, while the transcript is parsed or when no bytes stand for it. */
  text: string | undefined;
  /** UTF-8 bytes of the text, for a transcript that is not kept parsed. */
  bytes: Uint8Array | undefined;
  /** Neither text nor bytes are kept when not parsed: the file is read again (`readAgain`). */
  onDisk: boolean;
  transcript: Transcript | undefined;
  open: boolean;
  contribution: Contribution | undefined;
}

/** What changed in the counts since a version: what a panel has to ask for again. */
export interface IndexChanges {
  /** False when the changes are not known one by one (too long ago, or the codebook's structure changed). */
  complete: boolean;
  codes: Set<string>;
  themes: Set<number>;
  participants: Set<string>;
  /** Transcripts came or went, or a transcript changed its participant. */
  membership: boolean;
  /** Whether any pair of co-occurring codes changed its count. */
  pairs: boolean;
}

interface ChangeRecord {
  version: number;
  codes: string[];
  themes: number[];
  participants: string[];
  membership: boolean;
  pairs: boolean;
  structural: boolean;
}

/** Changes remembered for `changesSince`; older versions get "complete: false". */
const CHANGE_LOG_LENGTH = 512;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The index of one project: the folder that holds `codebook.md`. All input arrives through `update`,
 * `updateFromSummary` and `remove`; it never reads a file. A change re-parses only the changed file and
 * moves the project's counts (codes, themes, overlapping themes, co-occurring codes) by what that file
 * contributed before and after: no change ever walks the whole project, unless the codebook's structure
 * (which code counts for which theme) changed.
 */
export class ProjectIndex {
  private readonly rootPath: string;
  private readonly parsedLimit: number;
  private readonly readAgain: ((uri: string) => Uint8Array | undefined) | undefined;
  private readonly transcriptEntries = new Map<string, TranscriptEntry>();
  private readonly memoEntries = new Map<string, Memo>();
  /** Text of files that are neither transcripts nor memos, in case the settings make them one. */
  private readonly otherTexts = new Map<string, string>();
  /** Parsed transcripts that are not open, least recently used first. */
  private readonly parsed = new Map<string, TranscriptEntry>();
  private readonly fileVersions = new Map<string, number>();
  private codebookModel: Codebook | undefined;
  private sortedUris: string[] | undefined;
  private sortedTranscripts: Transcript[] | undefined;
  private transcriptPatterns: RegExp[] = [];
  private excludePatterns: RegExp[] = [];
  private memoPatterns: RegExp[] = [];
  private themeOfCode = new Map<string, number>();
  private structureKey = '';
  private findingsKey = '';
  private readonly codeIds = new Map<string, number>();
  private readonly codeNames: string[] = [];
  private readonly counts = new ProjectCounts();
  /** What contributions are computed under: the codebook's structure and the project's code ids. */
  private readonly structure: Structure = {
    version: 0,
    themeCount: 0,
    resolve: (name) => this.resolveCode(name),
    themeOf: (code) => this.themeOfCode.get(code),
    parentOf: (theme) => this.codebookModel?.themes[theme]?.parent,
    codeId: (name) => this.codeId(name),
    codeName: (id) => this.codeNames[id] ?? '',
  };
  private readonly changeLog: ChangeRecord[] = [];
  /** Increases with every change, so callers can tell whether cached answers are stale. */
  version = 0;
  /** Increases when the codebook changes which code counts for which theme: every contribution is redone. */
  structureVersion = 0;
  /** Increases when what a transcript's findings depend on in the codebook changes (codes, aliases, severities). */
  findingsVersion = 0;
  /** Increases when the number of segments of any code the codebook does not list changes (misspelt-code looks at them). */
  unknownCodesVersion = 0;
  /** Increases when any count changes: the codebook's findings and the panel's numbers depend on nothing else. */
  countsVersion = 0;
  /** Increases with every change of the codebook, its definitions included. */
  codebookVersion = 0;

  constructor(
    readonly rootUri: string,
    options: ProjectIndexOptions = {},
  ) {
    this.rootPath = decodePath(rootUri.replace(/\/+$/, ''));
    this.parsedLimit = Math.max(0, options.parsedTranscripts ?? Number.POSITIVE_INFINITY);
    this.readAgain = options.readAgain;
    this.compileSettings(defaultSettings);
  }

  get codebook(): Codebook | undefined {
    return this.codebookModel;
  }

  get settings(): ProjectSettings {
    return this.codebookModel?.settings ?? defaultSettings;
  }

  /** The path of a URI relative to the project folder, or undefined when it lies outside. */
  relativePath(uri: string): string | undefined {
    // Asked for every request and every change: decoding and normalising the URI each time adds up.
    const known = this.relativePaths.get(uri);
    if (known !== undefined || this.relativePaths.has(uri)) return known;
    const path = decodePath(uri);
    const relative = path.startsWith(`${this.rootPath}/`) ? path.slice(this.rootPath.length + 1) : undefined;
    if (this.relativePaths.size >= 4096) this.relativePaths.clear();
    this.relativePaths.set(uri, relative);
    return relative;
  }

  private readonly relativePaths = new Map<string, string | undefined>();

  classify(uri: string): FileKind {
    // Asked several times for every file while indexing: the globs are matched once per URI and settings.
    let kind = this.kinds.get(uri);
    if (kind === undefined) {
      kind = this.classifyNow(uri);
      if (this.kinds.size >= 8192) this.kinds.clear();
      this.kinds.set(uri, kind);
    }
    return kind;
  }

  private readonly kinds = new Map<string, FileKind>();

  private classifyNow(uri: string): FileKind {
    const path = this.relativePath(uri);
    if (path === undefined || !/\.md$/i.test(path)) return 'other';
    if (path === CODEBOOK_FILE) return 'codebook';
    if (alwaysExcluded.test(path)) return 'other';
    // "R1.MD" from a Windows export is as much a transcript as "r1.md": globs see the extension in lower case.
    const globPath = path.replace(/\.md$/i, '.md');
    if (matchesAny(globPath, this.memoPatterns)) return 'memo';
    if (matchesAny(globPath, this.excludePatterns)) return 'other';
    return matchesAny(globPath, this.transcriptPatterns) ? 'transcript' : 'other';
  }

  /** Adds or replaces a file's text; returns what kind of file the project takes it for. */
  update(uri: string, text: string, options: UpdateOptions = {}): FileKind {
    const kind = this.classify(uri);
    this.version++;
    if (kind === 'codebook') {
      this.setCodebook(parseCodebook(uri, text));
      return kind;
    }
    const prepared = options.prepared?.transcript.text === text ? options.prepared : undefined;
    this.place(uri, kind, text, options.bytes, options.open === true, options.edit, prepared);
    return kind;
  }

  /**
   * Prepares a transcript opened in an editor in steps, with a `yield` between them: each parses a
   * slice and summarises what is parsed so far, and the last counts what the transcript contributes.
   * A large document then does not hold the caller up for its whole length. Nothing in the index
   * changes until `update(uri, text, { open: true, prepared })` puts the result in; what was counted
   * under another structure of the codebook is counted again then.
   */
  *prepareOpen(uri: string, text: string, stepChars?: number): Generator<void, PreparedOpen, void> {
    const intern = (name: string) => this.internName(name);
    const steps = parseTranscriptInSteps(uri, text, stepChars);
    let summary: TranscriptSummary | undefined;
    let step = steps.next();
    while (!step.done) {
      summary = summarizeOpen(step.value, summary, intern);
      yield;
      step = steps.next();
    }
    summary = summarizeOpen(step.value, summary, intern);
    yield;
    return { transcript: step.value, summary, contribution: contribute(summary, this.structure) };
  }

  /**
   * Adds a transcript from its bytes and a summary made earlier from the same bytes (the persisted index,
   * a worker): nothing is decoded or parsed. Without bytes, and with `readAgain`, the file is read again
   * when its text is needed. Returns false, changing nothing, when the file is not a transcript here.
   */
  updateFromSummary(uri: string, bytes: Uint8Array | undefined, summary: TranscriptSummary): boolean {
    if (!bytes && !this.readAgain) return false;
    if (this.classify(uri) !== 'transcript') return false;
    this.version++;
    const before = this.removeEntries(uri);
    this.fileVersions.set(uri, this.version);
    this.swap(before, this.closedEntry(uri, bytes, summary));
    return true;
  }

  /**
   * The entry of a transcript known by a summary made from its bytes (kept, or read again when
   * missing), not parsed or counted.
   */
  private closedEntry(
    uri: string,
    bytes: Uint8Array | undefined,
    summary: TranscriptSummary,
  ): TranscriptEntry {
    return {
      uri,
      summary: internNames(summary, (name) => this.internName(name)),
      text: undefined,
      bytes,
      onDisk: bytes === undefined,
      transcript: undefined,
      open: false,
      contribution: undefined,
    };
  }

  /**
   * Adds transcripts from the persisted index at once, with the counts persisted for them, instead of
   * counting each one. `kept`: transcripts whose bytes are those their persisted summaries were made
   * from, at the same URI (without bytes: read again when needed, see `updateFromSummary`); `dropped`:
   * the summaries of every other transcript the persisted counts include (changed, gone, open in an
   * editor), which are taken away again. Returns false, changing nothing, when the counts were made
   * under another structure of the codebook: then add them one by one.
   */
  restore(
    persisted: PersistedCounts,
    kept: readonly { uri: string; bytes?: Uint8Array; summary: TranscriptSummary }[],
    dropped: readonly TranscriptSummary[],
  ): boolean {
    if (!this.readAgain && kept.some((file) => !file.bytes)) return false;
    const themeCount = this.codebookModel?.themes.length ?? 0;
    if (persisted.structure !== this.structureKey || persisted.counts.themes.length !== themeCount)
      return false;
    this.version++;
    const gone = [...dropped];
    for (const { uri, bytes, summary } of kept) {
      // Counted in the persisted counts but not to be added here after all: taken away again.
      if (this.transcriptEntries.has(uri) || this.classify(uri) !== 'transcript') {
        gone.push(summary);
        continue;
      }
      this.fileVersions.set(uri, this.version);
      // The contribution is in the counts already; it is computed from the summary when one is needed.
      this.transcriptEntries.set(uri, this.closedEntry(uri, bytes, summary));
    }
    this.sortedUris = undefined;
    this.sortedTranscripts = undefined;
    this.countsVersion++;
    this.unknownCodesVersion++;
    this.counts.add(persisted.counts, this.structure.codeId);
    for (const summary of gone)
      this.counts.move(contribute(summary, this.structure), -1, this.structure.codeName);
    this.record({ codes: [], themes: [], participants: [], membership: true, pairs: true }, true);
    return true;
  }

  /**
   * The counts over the transcripts `persisted` says yes to (those the persisted index holds), under
   * the codebook's present structure, for `restore` in a later process.
   */
  persistedCounts(persisted: (uri: string) => boolean): PersistedCounts {
    const left = [...this.transcriptEntries.values()].filter((entry) => !persisted(entry.uri));
    // What is not persisted (an open transcript) is taken out for the snapshot and put back at once,
    // rather than taken out of a copy: a copy of every count would stay resident after each save.
    const contributions = left.map((entry) => this.contributionOf(entry));
    const codeName = this.structure.codeName;
    for (const contribution of contributions) this.counts.move(contribution, -1, codeName);
    try {
      return { structure: this.structureKey, counts: this.counts.snapshot(codeName) };
    } finally {
      for (const contribution of contributions) this.counts.move(contribution, 1, codeName);
    }
  }

  remove(uri: string): void {
    this.version++;
    if (this.classify(uri) === 'codebook') {
      this.setCodebook(undefined);
      return;
    }
    this.swap(this.removeEntries(uri), undefined);
    this.fileVersions.delete(uri);
  }

  isTranscript(uri: string): boolean {
    return this.transcriptEntries.has(uri);
  }

  /**
   * The full model of a transcript, parsed again if it was not kept parsed; undefined also when its file
   * had to be read again and no longer holds what the index knows (until the caller updates it).
   */
  transcript(uri: string): Transcript | undefined {
    const entry = this.transcriptEntries.get(uri);
    if (!entry) return undefined;
    if (entry.transcript) {
      if (!entry.open && this.parsed.has(uri)) {
        this.parsed.delete(uri);
        this.parsed.set(uri, entry);
      }
      return entry.transcript;
    }
    const text = this.textOf(entry);
    if (text === undefined) return undefined;
    entry.transcript = parseTranscript(uri, text);
    entry.text = text;
    this.keepParsed(entry);
    return entry.transcript;
  }

  /** The UTF-8 bytes the index keeps of a transcript that is not open, if it keeps them (as read from disk). */
  transcriptBytes(uri: string): Uint8Array | undefined {
    const entry = this.transcriptEntries.get(uri);
    return entry && !entry.open ? entry.bytes : undefined;
  }

  /** Whether the index holds a transcript as its file was read, without keeping it (`readAgain`). */
  transcriptOnDisk(uri: string): boolean {
    return this.transcriptEntries.get(uri)?.onDisk === true;
  }

  /** A transcript's text: kept, decoded from the bytes kept, or read again. */
  private textOf(entry: TranscriptEntry): string | undefined {
    if (entry.text !== undefined) return entry.text;
    const bytes = entry.bytes ?? this.readAgain?.(entry.uri);
    return bytes && decoder.decode(bytes);
  }

  /** The transcript's summary: participant, problems, and codes and positions of its segments. */
  summary(uri: string): TranscriptSummary | undefined {
    return this.transcriptEntries.get(uri)?.summary;
  }

  /** URIs of the transcripts in a stable, natural order of their paths: respondent-2 before respondent-10. */
  transcriptUris(): string[] {
    this.sortedUris ??= [...this.transcriptEntries.keys()].sort(pathOrder.compare);
    return this.sortedUris;
  }

  /**
   * Every transcript, parsed, in `transcriptUris` order. When not every transcript is kept parsed, this
   * parses them all: features that answer from the whole project use summaries and `transcriptUris`.
   */
  transcripts(): Transcript[] {
    if (this.sortedTranscripts) return this.sortedTranscripts;
    const all = this.transcriptUris()
      .map((uri) => this.transcript(uri))
      .filter((transcript) => transcript !== undefined);
    if (this.parsedLimit === Number.POSITIVE_INFINITY) this.sortedTranscripts = all;
    return all;
  }

  /** The index version at which the file last changed. */
  fileVersion(uri: string): number | undefined {
    return this.fileVersions.get(uri);
  }

  memos(): Memo[] {
    return [...this.memoEntries.values()];
  }

  memo(uri: string): Memo | undefined {
    return this.memoEntries.get(uri);
  }

  /** The codebook name a code stands for: itself, or the code it is an alias of. */
  resolveCode(name: string): string {
    return this.codebookModel?.aliases.get(name) ?? name;
  }

  /** The theme a (canonical) code is listed under, first listing first. */
  themeOf(code: string): number | undefined {
    return this.themeOfCode.get(code);
  }

  isKnownCode(name: string): boolean {
    return this.codebookModel?.codes.has(name) === true;
  }

  /** Themes a segment supports directly: the themes of its codes, without their ancestors. */
  themesOfSegment(segment: Pick<Segment, 'codes'>): number[] {
    const themes: number[] = [];
    for (const code of segment.codes) {
      const theme = this.themeOfCode.get(this.resolveCode(code.name));
      if (theme !== undefined && !themes.includes(theme)) themes.push(theme);
    }
    return themes;
  }

  /** Segment and participant counts for every code and theme, kept up to date with every change. */
  totals(): ProjectTotals {
    return this.counts.totals;
  }

  /** A tally's participants in natural order (R2 before R10), as `sortParticipants` orders them. */
  participantIds(tally: Tally): string[] {
    return this.counts.orderedParticipants(tally, compareParticipants);
  }

  /**
   * How many of a transcript's segments carry the code (canonical name), or support the theme (index;
   * its subthemes count), without parsing it. Both given: undefined, since the counts cannot tell.
   */
  segmentsMatching(uri: string, filter: { code?: string; theme?: number }): number | undefined {
    const entry = this.transcriptEntries.get(uri);
    if (!entry) return 0;
    const contribution = this.contributionOf(entry);
    if (filter.code !== undefined && filter.theme !== undefined) return undefined;
    if (filter.theme !== undefined) return contribution.themes[filter.theme] ?? 0;
    if (filter.code !== undefined) {
      const id = this.codeIds.get(filter.code);
      if (id === undefined) return 0;
      const codes = contribution.codes;
      for (let i = 0; i < codes.length; i += 2) if (codes[i] === id) return codes[i + 1] ?? 0;
      return 0;
    }
    return segmentCount(entry.summary);
  }

  /** For overlapping-themes: passages per theme, and passages of one theme that share text with another's. */
  themeOverlap(): ReturnType<ProjectCounts['overlap']> {
    return this.counts.overlap();
  }

  /**
   * Pairs of codes that code the same or intersecting passages, with how often, in no particular order;
   * with `atLeast`, only pairs that occur at least that often (a large project has tens of thousands).
   */
  codePairs(atLeast = 0): { a: string; b: string; count: number }[] {
    const pairs: { a: string; b: string; count: number }[] = [];
    for (const [a, b, count] of this.counts.pairCounts()) {
      if (count >= atLeast) pairs.push({ a: this.codeNames[a] ?? '', b: this.codeNames[b] ?? '', count });
    }
    return pairs;
  }

  /** How often the pairs of codes occur, without their names: to find a threshold cheaply. */
  codePairCounts(): number[] {
    const counts: number[] = [];
    for (const [, , count] of this.counts.pairCounts()) counts.push(count);
    return counts;
  }

  /** What changed in the counts since `version`, so that a panel can ask for only that. */
  changesSince(version: number): IndexChanges {
    const changes: IndexChanges = {
      complete: version >= this.forgottenUpTo,
      codes: new Set(),
      themes: new Set(),
      participants: new Set(),
      membership: false,
      pairs: false,
    };
    for (const record of this.changeLog) {
      if (record.version <= version) continue;
      if (record.structural) changes.complete = false;
      if (record.membership) changes.membership = true;
      if (record.pairs) changes.pairs = true;
      for (const code of record.codes) changes.codes.add(code);
      for (const theme of record.themes) changes.themes.add(theme);
      for (const participant of record.participants) changes.participants.add(participant);
    }
    return changes;
  }

  // --- Files -------------------------------------------------------------------------------------

  private place(
    uri: string,
    kind: FileKind,
    text: string,
    bytes: Uint8Array | undefined,
    open: boolean,
    edit?: TextEdit,
    prepared?: PreparedOpen,
  ): void {
    const before = this.removeEntries(uri);
    this.fileVersions.set(uri, this.version);
    let after: TranscriptEntry | undefined;
    if (kind === 'transcript') {
      // The old model is taken apart by an edit: nothing may use it afterwards.
      const previous = edit ? before?.transcript : undefined;
      const transcript =
        prepared?.transcript ??
        ((previous && edit && editTranscript(previous, edit, text)) || parseTranscript(uri, text));
      if (before && previous) before.transcript = undefined;
      after = {
        uri,
        // An open transcript's summary is made from the last one: typing costs what the paragraph costs.
        summary:
          prepared?.summary ??
          (open
            ? summarizeOpen(transcript, before?.summary, (name) => this.internName(name))
            : summarize(transcript, (name) => this.internName(name))),
        text,
        bytes: undefined,
        onDisk: false,
        transcript,
        open,
        // Counted while it was prepared (counted again if the codebook's structure changed since).
        contribution: prepared?.contribution,
      };
      if (!open && this.parsedLimit !== Number.POSITIVE_INFINITY) {
        after.bytes = bytes ?? (isWellFormed(text) ? encoder.encode(text) : undefined);
      }
      // Typing in a passage's text moves positions but changes no count: the contribution stays.
      const counted = before?.contribution;
      if (
        edit &&
        before &&
        counted?.structureVersion === this.structureVersion &&
        sameCounts(before.summary, after.summary, edit)
      ) {
        after.contribution = counted;
      }
    } else if (kind === 'memo') {
      this.memoEntries.set(uri, { uri, text, lines: new LineIndex(text), mentions: findMentions(text) });
    } else {
      this.otherTexts.set(uri, text);
    }
    this.swap(before, after);
    // A transcript read from disk is not kept parsed: parsed again when a feature asks (a millisecond),
    // it costs nothing meanwhile; kept, thousands of them read in a row would fill the heap with garbage.
    if (after && !open && this.parsedLimit !== Number.POSITIVE_INFINITY) {
      after.transcript = undefined;
      if (after.bytes) after.text = undefined;
    }
  }

  /** Takes a file out of every table; returns its transcript entry, whose counts are still in the totals. */
  private removeEntries(uri: string): TranscriptEntry | undefined {
    const entry = this.transcriptEntries.get(uri);
    if (entry) {
      this.transcriptEntries.delete(uri);
      this.parsed.delete(uri);
    }
    this.memoEntries.delete(uri);
    this.otherTexts.delete(uri);
    return entry;
  }

  /**
   * Replaces one transcript's entry (either may be missing) and moves the counts by the difference. When
   * the new text contributes what the old one did (typing in a passage's text), no count moves and
   * nothing is recorded as changed.
   */
  private swap(before: TranscriptEntry | undefined, after: TranscriptEntry | undefined): void {
    if (after) this.transcriptEntries.set(after.uri, after);
    if (!before && !after) return;
    if (!before || !after) this.sortedUris = undefined;
    this.sortedTranscripts = undefined;
    const was = before ? this.contributionOf(before) : undefined;
    const now = after ? this.contributionOf(after) : undefined;
    const sameParticipant =
      before !== undefined &&
      after !== undefined &&
      JSON.stringify(before.summary.participant) === JSON.stringify(after.summary.participant);
    if (was && now && sameParticipant && sameContribution(was, now)) return;
    if (was) this.move(was, -1);
    if (now) this.move(now, 1);
    // Only what moved: an edit in a transcript that uses 400 codes changes one or two of them.
    const moved = sameParticipant && was && now;
    this.record({
      codes: (moved ? changedCodes(was, now) : [...codeIds(was), ...codeIds(now)]).map(
        (id) => this.codeNames[id] ?? '',
      ),
      themes: moved ? changedThemes(was, now) : [...themesOf(was), ...themesOf(now)],
      participants: [was?.participant, now?.participant].filter((p): p is string => p !== undefined),
      membership: !sameParticipant,
      pairs: !moved || !samePairs(was, now),
    });
  }

  /** Keeps a parsed transcript that is not open among the most recently used, forgetting the oldest. */
  private keepParsed(entry: TranscriptEntry): void {
    if (entry.open || this.parsedLimit === Number.POSITIVE_INFINITY) return;
    this.parsed.delete(entry.uri);
    this.parsed.set(entry.uri, entry);
    while (this.parsed.size > this.parsedLimit) {
      const oldest = this.parsed.keys().next().value as string;
      const evicted = this.parsed.get(oldest);
      this.parsed.delete(oldest);
      if (!evicted || evicted.open) continue;
      evicted.transcript = undefined;
      // Without bytes the text is all there is of the file; with them, or the file, the text goes too.
      if (evicted.bytes || evicted.onDisk) evicted.text = undefined;
    }
  }

  private internName(name: string): string {
    const id = this.codeIds.get(name);
    if (id !== undefined) return this.codeNames[id] as string;
    const copy = copyString(name);
    this.codeIds.set(copy, this.codeNames.length);
    this.codeNames.push(copy);
    return copy;
  }

  private codeId(name: string): number {
    return this.codeIds.get(name) ?? (this.codeIds.get(this.internName(name)) as number);
  }

  // --- Counts ------------------------------------------------------------------------------------

  private contributionOf(entry: TranscriptEntry): Contribution {
    if (entry.contribution?.structureVersion !== this.structureVersion) {
      entry.contribution = contribute(entry.summary, this.structure);
    }
    return entry.contribution;
  }

  private move(contribution: Contribution, sign: 1 | -1): void {
    this.countsVersion++;
    this.counts.move(contribution, sign, this.structure.codeName);
    const codes = contribution.codes;
    for (let i = 0; i < codes.length; i += 2) {
      if (!this.isKnownId(codes[i] ?? 0)) {
        this.unknownCodesVersion++;
        break;
      }
    }
  }

  /** Per code id: 1 when the codebook lists the code, 2 when not, 0 not yet looked up (per codebook). */
  private knownIds = new Uint8Array(0);

  private isKnownId(id: number): boolean {
    if (id >= this.knownIds.length) {
      const grown = new Uint8Array(Math.max(id + 1, this.knownIds.length * 2, 64));
      grown.set(this.knownIds);
      this.knownIds = grown;
    }
    if (this.knownIds[id] === 0) this.knownIds[id] = this.isKnownCode(this.codeNames[id] ?? '') ? 1 : 2;
    return this.knownIds[id] === 1;
  }

  private record(change: Omit<ChangeRecord, 'version' | 'structural'>, structural = false): void {
    this.changeLog.push({ version: this.version, ...change, structural });
    if (this.changeLog.length > CHANGE_LOG_LENGTH) {
      this.forgottenUpTo = this.changeLog.shift()?.version ?? this.forgottenUpTo;
    }
  }

  /** Changes up to this version are no longer in the log. */
  private forgottenUpTo = 0;

  /** Recomputes every contribution and count: the codebook changed which code counts for which theme. */
  private rebuildCounts(): void {
    this.structureVersion++;
    this.countsVersion++;
    this.unknownCodesVersion++;
    const themeCount = this.codebookModel?.themes.length ?? 0;
    this.structure.version = this.structureVersion;
    this.structure.themeCount = themeCount;
    this.counts.reset(themeCount);
    for (const entry of this.transcriptEntries.values()) {
      entry.contribution = undefined;
      this.move(this.contributionOf(entry), 1);
    }
  }

  // --- Codebook ----------------------------------------------------------------------------------

  private setCodebook(codebook: Codebook | undefined): void {
    const before = this.codebookModel?.settings;
    this.codebookModel = codebook;
    this.knownIds.fill(0);
    this.codebookVersion++;
    this.fileVersions.set(codebook?.uri ?? `${this.rootUri}/${CODEBOOK_FILE}`, this.version);
    this.themeOfCode = new Map();
    for (const [name, entries] of codebook?.codes ?? []) {
      const theme = entries.find((entry) => entry.theme !== undefined)?.theme;
      if (theme !== undefined) this.themeOfCode.set(name, theme);
    }
    const after = codebook?.settings ?? defaultSettings;
    if (!before || !sameFileSettings(before, after)) {
      this.compileSettings(after);
      // Only the files whose kind changes are placed again (and a transcript's text read for it).
      const moving: [string, FileKind][] = [];
      const kinds: [Iterable<string>, FileKind][] = [
        [this.transcriptEntries.keys(), 'transcript'],
        [this.memoEntries.keys(), 'memo'],
        [this.otherTexts.keys(), 'other'],
      ];
      for (const [uris, current] of kinds)
        for (const uri of uris) {
          const kind = this.classify(uri);
          if (kind !== current) moving.push([uri, kind]);
        }
      for (const [uri, kind] of moving) {
        const entry = this.transcriptEntries.get(uri);
        const text = entry
          ? this.textOf(entry)
          : (this.memoEntries.get(uri)?.text ?? this.otherTexts.get(uri));
        // A file read again that no longer holds what was known: the caller updates it.
        if (text === undefined) this.swap(this.removeEntries(uri), undefined);
        else this.place(uri, kind, text, entry?.bytes, entry?.open ?? false);
      }
    }
    const structure = JSON.stringify([
      [...(codebook?.aliases ?? [])],
      [...this.themeOfCode],
      (codebook?.themes ?? []).map((theme) => theme.parent ?? -1),
    ]);
    if (structure !== this.structureKey) {
      this.structureKey = structure;
      this.rebuildCounts();
    }
    const findings = JSON.stringify([
      [...(codebook?.codes.keys() ?? [])],
      [...(codebook?.aliases ?? [])],
      codebook?.settings.severity ?? {},
    ]);
    if (findings !== this.findingsKey) {
      this.findingsKey = findings;
      this.findingsVersion++;
      this.unknownCodesVersion++;
    }
    this.countsVersion++;
    // Names, numbers and definitions may have changed: a panel reloads everything.
    this.record({ codes: [], themes: [], participants: [], membership: true, pairs: true }, true);
  }

  private compileSettings(settings: ProjectSettings): void {
    this.kinds.clear();
    this.transcriptPatterns = settings.transcripts.map(globToRegExp);
    this.excludePatterns = settings.exclude.map(globToRegExp);
    this.memoPatterns = settings.memos.map(globToRegExp);
  }
}

const pathOrder = new Intl.Collator('sv', { numeric: true });

/**
 * Whether a transcript contributes the same after an edit as before: the same participant, the same
 * codes on every segment, and every segment boundary on the same side of the edit (so which passages
 * share text cannot have changed). A boundary at the edit could go either way: then recount.
 */
function sameCounts(before: TranscriptSummary, after: TranscriptSummary, edit: TextEdit): boolean {
  if (before.participant.id !== after.participant.id) return false;
  const a = before.segments;
  const b = after.segments;
  if (a.length !== b.length) return false;
  const delta = edit.text.length - (edit.end - edit.start);
  for (let i = 0; i < a.length; i += SEGMENT_FIELDS) {
    for (let k = i; k < i + 2; k++) {
      const x = a[k] ?? 0;
      const y = b[k] ?? 0;
      if (x < edit.start ? y !== x : x > edit.end ? y !== x + delta : true) return false;
    }
    const setA = before.codeSets[a[i + 2] ?? 0] ?? [];
    const setB = after.codeSets[b[i + 2] ?? 0] ?? [];
    if (setA.length !== setB.length) return false;
    for (let j = 0; j < setA.length; j++) {
      if (before.names[setA[j] ?? 0] !== after.names[setB[j] ?? 0]) return false;
    }
  }
  return true;
}

function codeIds(contribution: Contribution | undefined): number[] {
  const out: number[] = [];
  const codes = contribution?.codes ?? new Int32Array(0);
  for (let i = 0; i < codes.length; i += 2) out.push(codes[i] ?? 0);
  return out;
}

function themesOf(contribution: Contribution | undefined): number[] {
  const out: number[] = [];
  contribution?.themes.forEach((count, theme) => {
    if (count !== 0) out.push(theme);
  });
  return out;
}

/** Code ids whose number of segments differs between two contributions (both sorted by code id). */
function changedCodes(a: Contribution, b: Contribution): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.codes.length || j < b.codes.length) {
    const x = i < a.codes.length ? (a.codes[i] ?? 0) : Number.POSITIVE_INFINITY;
    const y = j < b.codes.length ? (b.codes[j] ?? 0) : Number.POSITIVE_INFINITY;
    if (x === y) {
      if (a.codes[i + 1] !== b.codes[j + 1]) out.push(x);
      i += 2;
      j += 2;
    } else if (x < y) {
      out.push(x);
      i += 2;
    } else {
      out.push(y);
      j += 2;
    }
  }
  return out;
}

function samePairs(a: Contribution, b: Contribution): boolean {
  if (a.pairs.length !== b.pairs.length) return false;
  for (let i = 0; i < a.pairs.length; i++) if (a.pairs[i] !== b.pairs[i]) return false;
  return true;
}

function changedThemes(a: Contribution, b: Contribution): number[] {
  const out: number[] = [];
  const length = Math.max(a.themes.length, b.themes.length);
  for (let t = 0; t < length; t++) if ((a.themes[t] ?? 0) !== (b.themes[t] ?? 0)) out.push(t);
  return out;
}

/** A summary whose code names are the index's shared copies. */
function internNames(summary: TranscriptSummary, intern: (name: string) => string): TranscriptSummary {
  return { ...summary, names: summary.names.map(intern) };
}

function isWellFormed(text: string): boolean {
  const check = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return check ? check.call(text) : !/[\ud800-\udfff]/.test(text);
}

function sameFileSettings(a: ProjectSettings, b: ProjectSettings): boolean {
  const same = (x: string[], y: string[]) => x.length === y.length && x.every((item, i) => item === y[i]);
  return same(a.transcripts, b.transcripts) && same(a.exclude, b.exclude) && same(a.memos, b.memos);
}

/**
 * A URI's path, percent-decoded and NFC, so that VS Code's and Node's spellings of "å" compare equal,
 * and a project folder with a decomposed "å" (macOS) still contains its files.
 */
function decodePath(uri: string): string {
  const path = uri.replace(/^file:\/\//, '');
  try {
    return decodeURIComponent(path).normalize('NFC');
  } catch {
    return path.normalize('NFC');
  }
}
