import { basename } from 'node:path';
import { type AgreementResult, compareCoders, type UnitKind } from '../core/agreement';
import {
  type ExportFormat,
  exportFormats,
  exportProject,
  InterchangeError,
  planImport,
} from '../core/interchange';
import type { ProjectIndex } from '../core/projectIndex';
import type { ExportResponse, ImportResponse } from '../protocol';
import { readImportFile, writePlannedFiles } from './interchangeFiles';
import { filePath, fileUri, loadProject, ProjectLoadError } from './loadProject';

/**
 * The requests behind VS Code's Export…, Import… and Compare Coders… commands: the same core functions
 * the command line uses, with the file I/O the editor cannot do for them.
 */

export function exportForEditor(index: ProjectIndex, format: string): ExportResponse {
  if (!exportFormats.includes(format as ExportFormat))
    throw new InterchangeError(`unknown export format "${format}"`);
  const result = exportProject(index, format as ExportFormat);
  return {
    fileName: result.fileName,
    mediaType: result.mediaType,
    base64: Buffer.from(result.bytes).toString('base64'),
    warnings: result.warnings,
  };
}

/** Plans the import completely, then writes every file or none; never overwrites unless forced. */
export async function importForEditor(file: string, into: string, force: boolean): Promise<ImportResponse> {
  const path = filePath(file);
  const plan = planImport(await readImportFile(path), basename(path));
  const written = await writePlannedFiles(filePath(into), plan.files, { force });
  return { files: written.map(fileUri), warnings: plan.warnings };
}

/** Reads each coder's copy of the project from disk and compares their codings. */
export async function agreementForEditor(
  folders: readonly string[],
  unit?: UnitKind,
): Promise<AgreementResult> {
  if (folders.length < 2) throw new ProjectLoadError('choose at least two coders’ project folders');
  const coders = await Promise.all(
    folders.map(async (folder) => {
      const project = await loadProject(filePath(folder));
      return { name: basename(project.root), index: project.index };
    }),
  );
  return compareCoders(coders, unit ? { unit } : {});
}
