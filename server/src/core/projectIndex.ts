import { type Codebook, parseCodebook } from './codebook';
import { globToRegExp, matchesAny } from './glob';
import { type CodeMention, findMentions } from './mentions';
import { defaultSettings, type ProjectSettings } from './settings';
import { LineIndex } from './text';
import { parseTranscript, type Segment, type Transcript } from './transcript';

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

/** What one transcript adds to the project's totals, under one version of the codebook. */
interface Contribution {
  codebookVersion: number;
  /** Canonical code name to the number of segments coded with it. */
  codeSegments: Map<string, number>;
  /** Theme index to the number of segments coded with a code of the theme or of one below it. */
  themeSegments: Map<number, number>;
}

interface TranscriptEntry {
  transcript: Transcript;
  contribution?: Contribution;
}

export interface Tally {
  segments: number;
  /** Participant id to the number of segments. */
  participants: Map<string, number>;
}

export interface ProjectTotals {
  codes: Map<string, Tally>;
  /** Indexed like `Codebook.themes`. */
  themes: Tally[];
}

/**
 * The index of one project: the folder that holds `codebook.md`. All input arrives through `update`
 * and `remove`; it never reads a file. A change re-parses only the changed file; totals are summed
 * from per-file contributions, which are recomputed only for files (or a codebook) that changed.
 */
export class ProjectIndex {
  private readonly rootPath: string;
  private readonly texts = new Map<string, string>();
  private readonly transcriptEntries = new Map<string, TranscriptEntry>();
  private readonly memoEntries = new Map<string, Memo>();
  private codebookModel: Codebook | undefined;
  private codebookVersion = 0;
  private totalsCache: ProjectTotals | undefined;
  private sortedTranscripts: Transcript[] | undefined;
  private transcriptPatterns: RegExp[] = [];
  private excludePatterns: RegExp[] = [];
  private memoPatterns: RegExp[] = [];
  private themeOfCode = new Map<string, number>();
  /** Increases with every change, so callers can tell whether cached answers are stale. */
  version = 0;

  constructor(readonly rootUri: string) {
    this.rootPath = decodePath(rootUri.replace(/\/+$/, ''));
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
    const path = decodePath(uri);
    if (!path.startsWith(`${this.rootPath}/`)) return undefined;
    return path.slice(this.rootPath.length + 1);
  }

  classify(uri: string): FileKind {
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
  update(uri: string, text: string): FileKind {
    const kind = this.classify(uri);
    this.version++;
    this.totalsCache = undefined;
    this.sortedTranscripts = undefined;
    if (kind === 'codebook') {
      this.setCodebook(parseCodebook(uri, text));
      return kind;
    }
    this.texts.set(uri, text);
    this.place(uri, text, kind);
    return kind;
  }

  remove(uri: string): void {
    this.version++;
    this.totalsCache = undefined;
    this.sortedTranscripts = undefined;
    if (this.classify(uri) === 'codebook') {
      this.setCodebook(undefined);
      return;
    }
    this.texts.delete(uri);
    this.transcriptEntries.delete(uri);
    this.memoEntries.delete(uri);
  }

  transcript(uri: string): Transcript | undefined {
    return this.transcriptEntries.get(uri)?.transcript;
  }

  /** Transcripts in a stable, natural order of their paths: respondent-2 before respondent-10. */
  transcripts(): Transcript[] {
    this.sortedTranscripts ??= [...this.transcriptEntries.values()]
      .map((entry) => entry.transcript)
      .sort((a, b) => pathOrder.compare(a.uri, b.uri));
    return this.sortedTranscripts;
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
  themesOfSegment(segment: Segment): number[] {
    const themes: number[] = [];
    for (const code of segment.codes) {
      const theme = this.themeOfCode.get(this.resolveCode(code.name));
      if (theme !== undefined && !themes.includes(theme)) themes.push(theme);
    }
    return themes;
  }

  /** Segment and participant counts for every code and theme, summed from per-file contributions. */
  totals(): ProjectTotals {
    if (this.totalsCache) return this.totalsCache;
    const codes = new Map<string, Tally>();
    const themes: Tally[] = (this.codebookModel?.themes ?? []).map(() => ({
      segments: 0,
      participants: new Map(),
    }));
    for (const entry of this.transcriptEntries.values()) {
      const contribution = this.contributionOf(entry);
      const participant = entry.transcript.participant.id;
      for (const [code, count] of contribution.codeSegments) {
        const tally = codes.get(code) ?? { segments: 0, participants: new Map() };
        codes.set(code, tally);
        add(tally, participant, count);
      }
      for (const [theme, count] of contribution.themeSegments) {
        const tally = themes[theme];
        if (tally) add(tally, participant, count);
      }
    }
    this.totalsCache = { codes, themes };
    return this.totalsCache;
  }

  private contributionOf(entry: TranscriptEntry): Contribution {
    if (entry.contribution?.codebookVersion === this.codebookVersion) return entry.contribution;
    const codeSegments = new Map<string, number>();
    const themeSegments = new Map<number, number>();
    const themes = this.codebookModel?.themes ?? [];
    const seenCodes = new Set<string>();
    const seenThemes = new Set<number>();
    for (const segment of entry.transcript.segments) {
      seenCodes.clear();
      seenThemes.clear();
      for (const occurrence of segment.codes) {
        const code = this.resolveCode(occurrence.name);
        if (seenCodes.has(code)) continue;
        seenCodes.add(code);
        codeSegments.set(code, (codeSegments.get(code) ?? 0) + 1);
        let theme = this.themeOfCode.get(code);
        while (theme !== undefined && !seenThemes.has(theme)) {
          seenThemes.add(theme);
          themeSegments.set(theme, (themeSegments.get(theme) ?? 0) + 1);
          theme = themes[theme]?.parent;
        }
      }
    }
    entry.contribution = { codebookVersion: this.codebookVersion, codeSegments, themeSegments };
    return entry.contribution;
  }

  private setCodebook(codebook: Codebook | undefined): void {
    const before = this.codebookModel?.settings;
    this.codebookModel = codebook;
    this.codebookVersion++;
    this.themeOfCode = new Map();
    for (const [name, entries] of codebook?.codes ?? []) {
      const theme = entries.find((entry) => entry.theme !== undefined)?.theme;
      if (theme !== undefined) this.themeOfCode.set(name, theme);
    }
    const after = codebook?.settings ?? defaultSettings;
    if (!before || !sameFileSettings(before, after)) {
      this.compileSettings(after);
      for (const [uri, text] of this.texts) {
        const kind = this.classify(uri);
        const current = this.transcriptEntries.has(uri)
          ? 'transcript'
          : this.memoEntries.has(uri)
            ? 'memo'
            : 'other';
        if (kind !== current) this.place(uri, text, kind);
      }
    }
  }

  private place(uri: string, text: string, kind: FileKind): void {
    this.transcriptEntries.delete(uri);
    this.memoEntries.delete(uri);
    if (kind === 'transcript') this.transcriptEntries.set(uri, { transcript: parseTranscript(uri, text) });
    else if (kind === 'memo')
      this.memoEntries.set(uri, { uri, text, lines: new LineIndex(text), mentions: findMentions(text) });
  }

  private compileSettings(settings: ProjectSettings): void {
    this.transcriptPatterns = settings.transcripts.map(globToRegExp);
    this.excludePatterns = settings.exclude.map(globToRegExp);
    this.memoPatterns = settings.memos.map(globToRegExp);
  }
}

const pathOrder = new Intl.Collator('sv', { numeric: true });

function add(tally: Tally, participant: string, count: number): void {
  tally.segments += count;
  tally.participants.set(participant, (tally.participants.get(participant) ?? 0) + count);
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
