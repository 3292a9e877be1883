import type { ProjectIndex } from '../projectIndex';
import { InterchangeError } from './errors';
import { type PlannedFile, safeSegment, studyToMarkdown } from './markdown';
import { codebookXml, exportModel, projectArchive, projectName } from './refiExport';
import { type ReadOptions, readRefi } from './refiImport';
import { codingsCsv, type ResultsOptions, resultsHtml, resultsMarkdown } from './reports';

/**
 * Interchange: REFI-QDA export and import, and the reports. Pure: bytes and text in, bytes and text
 * out; the command line (server/src/cli/export.ts, import.ts) and the VS Code client do the file I/O.
 */

export { InterchangeError } from './errors';
export type { PlannedFile } from './markdown';

export type ExportFormat = 'qdc' | 'qdpx' | 'csv' | 'md' | 'html';
export const exportFormats: readonly ExportFormat[] = ['qdc', 'qdpx', 'csv', 'md', 'html'];

export interface ExportResult {
  /** A file name to suggest, e.g. `Alliansen i terapi.qdpx`. */
  fileName: string;
  mediaType: string;
  bytes: Uint8Array;
  /** What could not be carried over, for the user. */
  warnings: string[];
}

export interface ExportOptions extends ResultsOptions {}

const encoder = new TextEncoder();
const mediaTypes: Record<ExportFormat, string> = {
  qdc: 'application/xml',
  qdpx: 'application/zip',
  csv: 'text/csv',
  md: 'text/markdown',
  html: 'text/html',
};

/** Exports the project in a format. Throws InterchangeError when there is nothing to export. */
export function exportProject(
  index: ProjectIndex,
  format: ExportFormat,
  options: ExportOptions = {},
): ExportResult {
  const base = safeSegment(projectName(index));
  const result = (bytes: Uint8Array, warnings: string[] = []): ExportResult => ({
    fileName: `${base}.${format}`,
    mediaType: mediaTypes[format],
    bytes,
    warnings,
  });
  switch (format) {
    case 'qdc': {
      const model = exportModel(index);
      return result(encoder.encode(codebookXml(model)), model.codebookWarnings);
    }
    case 'qdpx': {
      const model = exportModel(index);
      return result(projectArchive(model), model.warnings);
    }
    case 'csv':
      return result(encoder.encode(codingsCsv(index)));
    case 'md':
      return result(encoder.encode(resultsMarkdown(index, options)));
    case 'html':
      return result(encoder.encode(resultsHtml(index, options)));
    default:
      throw new InterchangeError(`unknown export format "${format as string}"`);
  }
}

export interface ImportPlan {
  kind: 'project' | 'codebook';
  /** The files to write, relative to the target folder. Nothing has been written. */
  files: PlannedFile[];
  /** What could not be carried over, for the user. */
  warnings: string[];
}

/**
 * Reads a `.qdpx`, `.qde` or `.qdc` file and plans the Kodkarta files it becomes. Throws
 * InterchangeError for files that cannot or must not be read (hostile archives, DOCTYPEs, malformed XML,
 * missing files): then there is nothing to write.
 */
export function planImport(bytes: Uint8Array, fileName: string, options: ReadOptions = {}): ImportPlan {
  const read = readRefi(bytes, fileName, options);
  const markdown = studyToMarkdown(read.study);
  const files =
    read.kind === 'codebook' ? markdown.files.filter((file) => file.path === 'codebook.md') : markdown.files;
  return { kind: read.kind, files, warnings: [...read.warnings, ...markdown.warnings] };
}
