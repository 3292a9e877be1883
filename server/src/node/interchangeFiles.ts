import { lstat, mkdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InterchangeError, type PlannedFile } from '../core/interchange';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const unsafeCharacters = /[\u0000-\u001f\\]/;

/** Biggest file `kodkarta import` reads: an archive larger than this is refused before it is opened. */
export const MAX_IMPORT_FILE_BYTES = 512 * 1024 * 1024;

export async function readImportFile(path: string): Promise<Uint8Array> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new InterchangeError(`no such file: ${path}`);
  if (!info.isFile()) throw new InterchangeError(`not a file: ${path}`);
  if (info.size > MAX_IMPORT_FILE_BYTES) {
    throw new InterchangeError(
      `${path} is larger than ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB and was not read`,
    );
  }
  return new Uint8Array(await readFile(path));
}

/**
 * Writes planned files below `into`, all or nothing: every path is checked first (relative, no `..`,
 * no symbolic link on the way, inside the folder) and so is every existing file, which is refused unless
 * `force`; only then is anything written. Returns the absolute paths written.
 */
export async function writePlannedFiles(
  into: string,
  files: readonly PlannedFile[],
  options: { force: boolean },
): Promise<string[]> {
  const root = resolve(into);
  const rootInfo = await lstat(root).catch(() => undefined);
  if (rootInfo && !rootInfo.isDirectory() && !rootInfo.isSymbolicLink()) {
    throw new InterchangeError(`${into} exists and is not a folder`);
  }
  const realRoot = rootInfo ? await realpath(root) : root;
  const existing: string[] = [];
  const targets: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const path = file.path;
    const parts = path.split('/');
    if (
      isAbsolute(path) ||
      /^[A-Za-z]:/.test(path) ||
      unsafeCharacters.test(path) ||
      parts.some((p) => p === '' || p === '.' || p === '..')
    ) {
      throw new InterchangeError(`refusing to write "${path}": not a plain relative path`);
    }
    const target = join(realRoot, ...parts);
    if (relative(realRoot, target).startsWith('..') || !target.startsWith(realRoot + sep)) {
      throw new InterchangeError(`refusing to write "${path}": it lies outside ${into}`);
    }
    if (seen.has(target.toLowerCase())) throw new InterchangeError(`refusing to write "${path}" twice`);
    seen.add(target.toLowerCase());
    // Every folder on the way must be a real folder (not a link that leads elsewhere), or not exist yet.
    let at = realRoot;
    for (const [k, part] of parts.entries()) {
      at = join(at, part);
      const info = await lstat(at).catch(() => undefined);
      if (!info) break;
      if (info.isSymbolicLink())
        throw new InterchangeError(`refusing to write through the symbolic link ${at}`);
      const last = k === parts.length - 1;
      if (!last && !info.isDirectory())
        throw new InterchangeError(`refusing to write ${path}: ${at} is not a folder`);
      if (last) {
        if (!info.isFile())
          throw new InterchangeError(`refusing to write ${path}: ${at} exists and is not a file`);
        existing.push(path);
      }
    }
    targets.push(target);
  }
  if (existing.length > 0 && !options.force) {
    const list = existing.slice(0, 10).join(', ');
    throw new InterchangeError(
      `${existing.length} file${existing.length === 1 ? '' : 's'} already exist${existing.length === 1 ? 's' : ''} in ${into} (${list}${existing.length > 10 ? ', …' : ''}): nothing was written; use --force to overwrite`,
    );
  }
  for (const [i, file] of files.entries()) {
    const target = targets[i] ?? '';
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.text, { encoding: 'utf8', flag: options.force ? 'w' : 'wx' });
  }
  return targets;
}
