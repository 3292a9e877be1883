import type { AttributeValue } from '../transcript';

/**
 * A study as the interchange sees it, between REFI-QDA and Kodkarta's Markdown: what an import has
 * read from another tool's files, and what is turned into `codebook.md`, transcripts and memos.
 */
export interface Study {
  /** The project's name: the codebook's `title`. */
  title: string;
  description?: string;
  /** The code tree: folders become themes, codable codes become codes. */
  codes: StudyCode[];
  transcripts: StudyTranscript[];
  memos: StudyMemo[];
}

export interface StudyCode {
  /** For a codable code: its Kodkarta name (valid, without `#`). For a folder: the theme's name. */
  name: string;
  codable: boolean;
  /** A codable code's name as the other tool showed it, when that was not a valid code name. */
  displayName?: string;
  description: string;
  children: StudyCode[];
}

export interface StudyPassage {
  /** UTF-16 offsets into the transcript's text, end exclusive. */
  start: number;
  end: number;
  /** Kodkarta code names without `#`, in order. */
  codes: string[];
  note?: string;
}

export interface StudyTranscript {
  /** The source's name; the file is `transcripts/<name>.md`. */
  name: string;
  /** The text with LF line breaks. */
  text: string;
  participant?: string;
  label?: string;
  attributes: [string, AttributeValue][];
  passages: StudyPassage[];
}

export interface StudyMemo {
  /** The file is `memos/<name>.md`. */
  name: string;
  text: string;
}

export const TRANSCRIPT_FOLDER = 'transcripts';
export const MEMO_FOLDER = 'memos';
