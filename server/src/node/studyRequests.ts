import { basename } from 'node:path';
import { type AgreementResult, type CoderProject, compareCoders } from '../core/agreement';
import {
  type ExportFormat,
  exportFormats,
  exportProject,
  InterchangeError,
  planImport,
} from '../core/interchange';
import type { ProjectIndex } from '../core/projectIndex';
import type { AgreementParams, ExportResponse, GitRef, ImportResponse } from '../protocol';
import { listRefs, loadProjectAtRef } from './gitProject';
import { readImportFile, writePlannedFiles } from './interchangeFiles';
import { filePath, fileUri, findProjectRoot, loadProject, ProjectLoadError } from './loadProject';

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

/** The editor's index of the workspace project whose folder is `rootUri`; undefined when none is. */
export type WorkspaceIndex = (rootUri: string) => Promise<ProjectIndex | undefined>;

/**
 * Compares the coders' copies: project folders, or one project at several git refs. A folder that is a
 * project of the workspace is compared as the editor has it (unsaved edits included), like everything
 * else Kodkarta shows; other folders are read from disk, refs through git.
 */
export async function agreementForEditor(
  params: AgreementParams,
  workspaceIndex: WorkspaceIndex,
): Promise<AgreementResult> {
  const coders = params.refs
    ? await codersAtRefs(params.refs, params.project)
    : await codersInFolders(params.coders ?? [], workspaceIndex);
  return compareCoders(coders, params.unit ? { unit: params.unit } : {});
}

async function codersInFolders(
  folders: readonly string[],
  workspaceIndex: WorkspaceIndex,
): Promise<CoderProject[]> {
  if (folders.length < 2) throw new ProjectLoadError('choose at least two coders’ project folders');
  return Promise.all(
    folders.map(async (folder) => {
      const root = await findProjectRoot(filePath(folder));
      const index = (await workspaceIndex(fileUri(root))) ?? (await loadProject(root)).index;
      return { name: basename(root), index };
    }),
  );
}

async function codersAtRefs(refs: readonly string[], project: string | undefined): Promise<CoderProject[]> {
  if (refs.length < 2) throw new ProjectLoadError('choose at least two branches, tags or commits');
  const folder = projectFolder(project);
  return Promise.all(
    refs.map(async (ref) => {
      const loaded = await loadProjectAtRef(folder, ref);
      return { name: ref, index: loaded.index, ref: loaded.commit };
    }),
  );
}

/** The branches and tags the project's copies can be compared at. */
export function gitRefsForEditor(project: string | undefined): Promise<GitRef[]> {
  return listRefs(projectFolder(project));
}

function projectFolder(project: string | undefined): string {
  if (!project)
    throw new ProjectLoadError('no Kodkarta project: a project is a folder that holds codebook.md');
  return filePath(project);
}
