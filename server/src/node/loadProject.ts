import { opendir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { URI } from 'vscode-uri';
import { decodeFile } from '../core/decode';
import { type Finding, severityOf } from '../core/findings';
import { CODEBOOK_FILE, ProjectIndex } from '../core/projectIndex';

/** Folders never searched for transcripts. */
const skippedFolders = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Whether the index looks into a folder of this name: not hidden, not node_modules. */
export function isIndexedFolder(name: string): boolean {
  return !skippedFolders.has(name) && !name.startsWith('.');
}

export class ProjectLoadError extends Error {}

export interface LoadedProject {
  root: string;
  index: ProjectIndex;
  /** Files that could not be read as text, as findings. */
  fileFindings: Finding[];
  fileCount: number;
}

/** The project folder: `start` itself or the nearest folder above it that holds codebook.md. */
export async function findProjectRoot(start: string, cwd = process.cwd()): Promise<string> {
  const absolute = resolve(cwd, start);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) throw new ProjectLoadError(`no such folder: ${start}`);
  if (!info.isDirectory()) throw new ProjectLoadError(`not a folder: ${start}`);
  for (let dir = absolute; ; dir = dirname(dir)) {
    if (await stat(join(dir, CODEBOOK_FILE)).catch(() => undefined)) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new ProjectLoadError(
    `no ${CODEBOOK_FILE} in ${start} or any folder above it: a Kodkarta project is the folder that holds ${CODEBOOK_FILE}`,
  );
}

/** A file's URI spelled as VS Code spells it, so URIs from disk and from the editor compare equal. */
export function fileUri(path: string): string {
  return URI.file(path).toString();
}

export function filePath(uri: string): string {
  return URI.parse(uri).fsPath;
}

/** Reads every Markdown file of the project into a fresh index. I/O errors throw ProjectLoadError. */
export async function loadProject(start: string, cwd = process.cwd()): Promise<LoadedProject> {
  const root = await findProjectRoot(start, cwd);
  const index = new ProjectIndex(fileUri(root));
  const fileFindings: Finding[] = [];
  const files = await markdownFiles(root);
  // The codebook first: its settings decide which of the other files are transcripts.
  files.sort((a, b) => Number(b === join(root, CODEBOOK_FILE)) - Number(a === join(root, CODEBOOK_FILE)));
  for (const path of files) {
    const uri = fileUri(path);
    if (path !== join(root, CODEBOOK_FILE) && index.classify(uri) === 'other') continue;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw new ProjectLoadError(
        `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    const decoded = decodeFile(bytes);
    const finding = decoded.problem ? unreadableFinding(decoded.problem, uri, index) : undefined;
    if (finding) fileFindings.push(finding);
    if (decoded.text !== undefined) index.update(uri, decoded.text);
  }
  return { root, index, fileFindings, fileCount: files.length };
}

/**
 * Reads and decodes one file. Returns undefined when it cannot be read at all (gone, no permission),
 * and a finding when it is not usable text.
 */
export async function readTextFile(
  path: string,
  index: ProjectIndex,
): Promise<{ text: string | undefined; finding?: Finding; bytes: Uint8Array; utf8: boolean } | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    return undefined;
  }
  return { ...decodeForIndex(bytes, path, index), bytes };
}

/**
 * A file's bytes as the index takes them: the text, a finding when it is not usable text, and whether
 * the bytes are UTF-8 (so that the index may keep them instead of the text, and decode them again).
 */
export function decodeForIndex(
  bytes: Uint8Array,
  path: string,
  index: ProjectIndex,
): { text: string | undefined; finding?: Finding; utf8: boolean } {
  const decoded = decodeFile(bytes);
  const utf8 = !(bytes[0] === 0xff && bytes[1] === 0xfe) && !(bytes[0] === 0xfe && bytes[1] === 0xff);
  const finding = decoded.problem ? unreadableFinding(decoded.problem, fileUri(path), index) : undefined;
  return finding ? { text: decoded.text, finding, utf8 } : { text: decoded.text, utf8 };
}

/** The `unreadable-file` finding for a file, unless the project turns the rule off. */
export function unreadableFinding(problem: string, uri: string, index: ProjectIndex): Finding | undefined {
  const severity = severityOf('unreadable-file', index.settings.severity);
  if (severity === 'off') return undefined;
  return {
    rule: 'unreadable-file',
    severity,
    message: problem,
    uri,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

/** Every Markdown file below the folder, skipping hidden folders and node_modules, in path order. */
export async function markdownFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop() ?? root;
    let entries: Awaited<ReturnType<typeof opendir>>;
    try {
      entries = await opendir(dir);
    } catch (error) {
      throw new ProjectLoadError(
        `cannot read folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    for await (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (isIndexedFolder(entry.name)) pending.push(path);
      } else if (entry.isFile() && /\.md$/i.test(entry.name)) found.push(path);
    }
  }
  return found.sort();
}
