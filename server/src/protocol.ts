/**
 * Kodkarta's own messages, shared by the server, the VS Code client and the webview panel. Plain types
 * and method names only, so the webview bundle can import it without any LSP library.
 */

import type { AgreementResult, Codeline, SequenceResult } from './core/agreement';
import type { CodePair } from './core/analyses/cooccurrence';
import type { ParticipantThemeMatrix } from './core/analyses/matrix';
import type { Quote, QuotePage, QuoteQuery } from './core/analyses/quotes';
import type { CodeSummary, ThemeNode } from './core/analyses/themeTree';
import type { Range } from './core/text';

export type {
  AgreementResult,
  Codeline,
  CodePair,
  CodeSummary,
  ParticipantThemeMatrix,
  Quote,
  QuotePage,
  QuoteQuery,
  Range,
  SequenceResult,
  ThemeNode,
};

/**
 * Every request names its project: by the URI of its folder (the one holding codebook.md), or by a
 * document inside it. With neither, the first project of the workspace answers.
 */
export interface ProjectParams {
  project?: string;
  document?: string;
}

export interface ProjectInfo {
  /** URI of the project folder. */
  uri: string;
  title: string;
  transcripts: number;
  participants: number;
  segments: number;
  codes: number;
  /** True while the project is still being read from disk. */
  indexing: boolean;
}

export interface ThemeTreeResult {
  project: ProjectInfo;
  /** The index version the numbers are from: pass it as `since` to `kodkarta/panelUpdate`. */
  version?: number;
  themes: ThemeNode[];
  /** Codes used in transcripts that no theme lists (inductive codes), most used first. */
  unlistedCodes: { name: string; segments: number; participants: number }[];
}

export interface QuotesParams extends ProjectParams {
  query: QuoteQuery;
}

export interface CodeFrequency {
  name: string;
  theme?: string;
  segments: number;
  participants: number;
}

export interface MatrixResult extends ParticipantThemeMatrix {
  codes: CodeFrequency[];
  /** The most frequent pairs (at most 100). */
  cooccurrence: CodePair[];
  /** The index version the numbers are from. */
  version?: number;
}

export interface PanelUpdateParams extends ProjectParams {
  /** The index version of the numbers the panel shows (from a theme tree, matrix or earlier update). */
  since: number;
}

/**
 * What changed in the panel's numbers since a version, so that a panel follows edits in a large project
 * without asking for the whole tree and matrix again. When `complete` is false (the codebook changed,
 * transcripts came or went, or `since` is too old) it holds no changes: ask for the tree and matrix.
 */
export interface PanelUpdate {
  project: ProjectInfo;
  version: number;
  complete: boolean;
  /** Themes whose counts changed. */
  themes: { number: string; segments: number; participants: number; supported: boolean }[];
  /** Codes whose counts changed, listed and unlisted (0 segments: no longer used). */
  codes: CodeFrequency[];
  /** Rows of the participants × themes matrix that changed, counts in the order of the matrix's themes. */
  matrixRows: { participant: string; counts: number[] }[];
  /** Transcripts whose text changed (their quotes may read differently even when no count moved). */
  transcripts: string[];
  /** The most frequent code pairs, when any pair's count changed. */
  cooccurrence?: CodePair[];
}

export interface IndexChangedParams {
  project: string;
  version: number;
}

export interface CheckResult {
  errors: number;
  warnings: number;
  notes: number;
  files: number;
}

export interface ExportParams extends ProjectParams {
  format: 'qdc' | 'qdpx' | 'csv' | 'md' | 'html';
}

export interface ExportResponse {
  /** A file name to suggest. */
  fileName: string;
  mediaType: string;
  /** The file's bytes, base64-encoded (JSON-RPC carries text). */
  base64: string;
  /** What could not be carried over. */
  warnings: string[];
}

export interface ImportParams {
  /** URI of the .qdpx, .qde or .qdc file. */
  file: string;
  /** URI of the folder to create the project in. */
  into: string;
  /** Overwrite existing files (otherwise an import that would overwrite writes nothing). */
  force?: boolean;
}

export interface ImportResponse {
  /** URIs of the files written. */
  files: string[];
  warnings: string[];
}

export interface AgreementParams {
  /**
   * URIs of the coders' project folders (copies of one project). A project of the workspace is compared
   * as the editor has it, unsaved edits included; other folders as they are on disk.
   */
  coders?: string[];
  /** Instead of folders: git refs (branches, tags, commits), a coder each, the project read at each. */
  refs?: string[];
  /** With `refs`: URI of the project folder (or a folder inside it); default the workspace's first project. */
  project?: string;
  unit?: 'paragraph' | 'turn' | 'character';
}

/** A branch, remote-tracking branch or tag of the git repository that holds a project. */
export interface GitRef {
  /** The short name, as git takes it: `koder-a`, `origin/koder-b`, `v1`. */
  name: string;
  kind: 'branch' | 'remote' | 'tag';
  /** The commit it points to (an annotated tag's, peeled). */
  commit: string;
  /** The branch checked out. */
  head: boolean;
  /** The first line of the commit's message (an annotated tag's own message). */
  subject: string;
}

/** A file of the working tree as it is at a commit, for a coder's version of a transcript read from git. */
export interface GitFileParams {
  /** The file's URI in the working tree. */
  uri: string;
  /** The full commit hash. */
  commit: string;
}

export interface CodelineParams extends ProjectParams {
  /** Only this transcript. */
  uri?: string;
}

export interface SequenceParams extends ProjectParams {
  /** Codes (`#code` or `code`) or theme numbers. */
  a: string;
  b: string;
  /** Turns (or paragraphs) within which B must follow A. */
  within: number;
}

export const Requests = {
  projects: 'kodkarta/projects',
  themeTree: 'kodkarta/themeTree',
  quotes: 'kodkarta/quotes',
  matrix: 'kodkarta/matrix',
  check: 'kodkarta/check',
  export: 'kodkarta/export',
  import: 'kodkarta/import',
  agreement: 'kodkarta/agreement',
  codeline: 'kodkarta/codeline',
  sequence: 'kodkarta/sequence',
  panelUpdate: 'kodkarta/panelUpdate',
  /** The branches and tags of a project's git repository (ProjectParams → GitRef[]). */
  gitRefs: 'kodkarta/gitRefs',
  /** GitFileParams → the file's text at the commit. */
  gitFile: 'kodkarta/gitFile',
} as const;

export const Notifications = {
  indexChanged: 'kodkarta/indexChanged',
} as const;

/** Commands the server executes (workspace/executeCommand). */
export const ServerCommands = {
  /** Arguments: uri, range, code name. Wraps the range in a coded passage. */
  codeSelection: 'kodkarta.server.codeSelection',
  /** Arguments: project uri, from code, into code. Renames every use and merges the codebook entries. */
  mergeCode: 'kodkarta.server.mergeCode',
} as const;

/** Commands the VS Code client implements; the server refers to them in code lenses and code actions. */
export const ClientCommands = {
  showQuotes: 'kodkarta.showQuotes',
  codeSelection: 'kodkarta.codeSelection',
  mergeCodeInto: 'kodkarta.mergeCodeInto',
} as const;

/** What the theme panel remembers across reloads (VS Code keeps it with the webview's state). */
export interface PanelState {
  tab: 'themes' | 'matrix' | 'codes' | 'codeline';
  project?: string;
  /** The theme number or code whose quotes are shown. */
  selection?: { theme?: string; code?: string };
  filters: { participant?: string; attribute?: string; text?: string };
  expanded: string[];
  scrollTop?: number;
}

/** Messages from the extension host to the panel. */
export type ToPanel =
  | { type: 'projects'; projects: ProjectInfo[] }
  | { type: 'themeTree'; result: ThemeTreeResult | null }
  | { type: 'quotes'; requestId: number; page: QuotePage }
  | { type: 'matrix'; result: MatrixResult | null }
  | { type: 'panelUpdate'; update: PanelUpdate | null }
  | { type: 'codeline'; result: Codeline | null }
  | { type: 'sequence'; result: SequenceResult | null }
  | { type: 'indexChanged'; project: string }
  | { type: 'focus'; project?: string; theme?: string; code?: string };

/** Messages from the panel to the extension host. */
export type FromPanel =
  | { type: 'ready' }
  | { type: 'loadThemeTree'; project?: string }
  | { type: 'loadQuotes'; requestId: number; project?: string; query: QuoteQuery }
  | { type: 'loadMatrix'; project?: string }
  /** What changed since the version of the tree and matrix the panel shows. */
  | { type: 'loadUpdate'; project?: string; since: number }
  | { type: 'loadCodeline'; project?: string }
  | { type: 'querySequence'; project?: string; a: string; b: string; within: number }
  | { type: 'openQuote'; uri: string; range: Range };

/** Messages from the extension host to the coder comparison view. */
export type ToComparison = { type: 'result'; result: AgreementResult; coders: string[] };

/**
 * Messages from the coder comparison view: ready, or open these places side by side, each in the copy of
 * the coder named (a coder compared at a git ref gets that version of the file).
 */
export type FromComparison =
  | { type: 'ready' }
  | { type: 'open'; places: { uri: string; coder: string; range?: Range }[] };
