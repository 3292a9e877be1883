/**
 * Kodkarta's own messages, shared by the server, the VS Code client and the webview panel. Plain types
 * and method names only, so the webview bundle can import it without any LSP library.
 */
import type { CodePair } from './core/analyses/cooccurrence';
import type { ParticipantThemeMatrix } from './core/analyses/matrix';
import type { Quote, QuotePage, QuoteQuery } from './core/analyses/quotes';
import type { CodeSummary, ThemeNode } from './core/analyses/themeTree';

export type { CodePair, CodeSummary, ParticipantThemeMatrix, Quote, QuotePage, QuoteQuery, ThemeNode };

/** Every request names the project by the URI of its folder (the one holding codebook.md). */
export interface ProjectParams {
  project?: string;
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

export const Requests = {
  projects: 'kodkarta/projects',
  themeTree: 'kodkarta/themeTree',
  quotes: 'kodkarta/quotes',
  matrix: 'kodkarta/matrix',
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
