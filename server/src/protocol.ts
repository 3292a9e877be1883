/**
 * Kodkarta's own messages, shared by the server, the VS Code client and the webview panel. Plain types
 * and method names only, so the webview bundle can import it without any LSP library.
 */
import type { CodePair } from './core/analyses/cooccurrence';
import type { ParticipantThemeMatrix } from './core/analyses/matrix';
import type { Quote, QuotePage, QuoteQuery } from './core/analyses/quotes';
import type { CodeSummary, ThemeNode } from './core/analyses/themeTree';
import type { Range } from './core/text';

export type { CodePair, CodeSummary, ParticipantThemeMatrix, Quote, QuotePage, QuoteQuery, Range, ThemeNode };

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
  cooccurrence: CodePair[];
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

export interface ReportParams extends ProjectParams {
  format: 'md' | 'json';
}

export const Requests = {
  projects: 'kodkarta/projects',
  themeTree: 'kodkarta/themeTree',
  quotes: 'kodkarta/quotes',
  matrix: 'kodkarta/matrix',
  check: 'kodkarta/check',
  report: 'kodkarta/report',
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
  tab: 'themes' | 'matrix' | 'codes';
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
  | { type: 'indexChanged'; project: string }
  | { type: 'focus'; project?: string; theme?: string; code?: string };

/** Messages from the panel to the extension host. */
export type FromPanel =
  | { type: 'ready' }
  | { type: 'loadThemeTree'; project?: string }
  | { type: 'loadQuotes'; requestId: number; project?: string; query: QuoteQuery }
  | { type: 'loadMatrix'; project?: string }
  | { type: 'openQuote'; uri: string; range: Range };
