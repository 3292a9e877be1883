import { execFile, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { decodeFile } from '../core/decode';
import type { Finding } from '../core/findings';
import { CODEBOOK_FILE, ProjectIndex } from '../core/projectIndex';
import type { GitRef } from '../protocol';
import {
  fileUri,
  isIndexedFolder,
  type LoadedProject,
  ProjectLoadError,
  unreadableFinding,
} from './loadProject';

/**
 * Reads a project as it is at a git ref (branch, tag, commit) without touching the working tree, the
 * index or the refs: `git rev-parse`, `git ls-tree` and `git cat-file --batch` only. The result is the
 * same as `loadProject` gives for a checkout of that ref: files get the URIs they would have in the
 * working tree, so paths, line numbers and reports compare one to one.
 */

export interface GitLoadedProject extends LoadedProject {
  /** The ref as given. */
  ref: string;
  /** The commit it names. */
  commit: string;
}

/** Reads the project that holds `start` (a folder in a git working tree) as it is at `ref`. */
export async function loadProjectAtRef(
  start: string,
  ref: string,
  cwd = process.cwd(),
): Promise<GitLoadedProject> {
  const folder = resolve(cwd, start);
  const info = await stat(folder).catch(() => undefined);
  if (!info) throw new ProjectLoadError(`no such folder: ${start}`);
  if (!info.isDirectory()) throw new ProjectLoadError(`not a folder: ${start}`);
  const top = (await git(folder, ['rev-parse', '--show-toplevel'])).toString('utf8').trim();
  if (ref.startsWith('-') || ref.trim() === '') throw new ProjectLoadError(`not a git ref: "${ref}"`);
  let commit: string;
  try {
    commit = (await git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]))
      .toString('utf8')
      .trim();
  } catch {
    throw new ProjectLoadError(`${ref} is not a branch, tag or commit of the git repository ${top}`);
  }
  const entries = await listTree(top, commit);
  // Git's own idea of where the folder is, so that a symbolic link in the path cannot mislead.
  const prefix = (await git(folder, ['rev-parse', '--show-prefix']))
    .toString('utf8')
    .trim()
    .replace(/\/+$/, '');
  const rootPrefix = findRoot(entries, prefix);
  if (rootPrefix === undefined) {
    throw new ProjectLoadError(
      `no ${CODEBOOK_FILE} in ${start} or any folder above it at ${ref}: a Kodkarta project is the folder that holds ${CODEBOOK_FILE}`,
    );
  }
  // The root as the caller spells it: the folder given, or as many folders up as the codebook is.
  const levelsUp = depth(prefix) - depth(rootPrefix);
  const root = resolve(folder, ...new Array<string>(levelsUp).fill('..'));
  const index = new ProjectIndex(fileUri(root));
  const inRoot = (path: string) => (rootPrefix === '' ? path : path.slice(rootPrefix.length + 1));
  const files = [...entries.values()]
    .filter((entry) => entry.type === 'blob' && entry.mode !== '120000' && /\.md$/i.test(entry.path))
    .filter((entry) => rootPrefix === '' || entry.path.startsWith(`${rootPrefix}/`))
    .filter((entry) => !hiddenOrSkipped(inRoot(entry.path)))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const codebookPath = rootPrefix === '' ? CODEBOOK_FILE : `${rootPrefix}/${CODEBOOK_FILE}`;
  // The codebook first: its settings decide which of the other files are transcripts.
  const codebook = files.find((entry) => entry.path === codebookPath);
  const contents = await readBlobs(top, codebook ? [codebook.object] : []);
  const fileFindings: Finding[] = [];
  const add = (path: string, bytes: Uint8Array) => {
    const uri = fileUri(join(root, ...inRoot(path).split('/')));
    const decoded = decodeFile(bytes);
    const finding = decoded.problem ? unreadableFinding(decoded.problem, uri, index) : undefined;
    if (finding) fileFindings.push(finding);
    if (decoded.text !== undefined) index.update(uri, decoded.text);
  };
  if (codebook) add(codebook.path, contents.get(codebook.object) ?? new Uint8Array());
  const wanted = files.filter(
    (entry) =>
      entry !== codebook && index.classify(fileUri(join(root, ...inRoot(entry.path).split('/')))) !== 'other',
  );
  const blobs = await readBlobs(
    top,
    wanted.map((entry) => entry.object),
  );
  for (const entry of wanted) add(entry.path, blobs.get(entry.object) ?? new Uint8Array());
  return { root, index, fileFindings, fileCount: files.length, ref, commit };
}

/** The branches, remote-tracking branches and tags of the repository that holds `folder`, in git's order. */
export async function listRefs(folder: string): Promise<GitRef[]> {
  if (!(await stat(folder).catch(() => undefined))?.isDirectory())
    throw new ProjectLoadError(`no such folder: ${folder}`);
  const fields = [
    'refname',
    'refname:short',
    'objecttype',
    'objectname',
    '*objecttype',
    '*objectname',
    'HEAD',
  ];
  // NUL between the fields: no ref name or subject can hold one.
  const format = [...fields, 'contents:subject'].map((field) => `%(${field})`).join('%00');
  const output = await git(folder, [
    'for-each-ref',
    `--format=${format}`,
    'refs/heads',
    'refs/remotes',
    'refs/tags',
  ]);
  const refs: GitRef[] = [];
  for (const line of output.toString('utf8').split('\n')) {
    const [full = '', name = '', type, object = '', peeledType, peeled, head, subject = ''] =
      line.split('\0');
    // A remote's HEAD only names another remote branch; a tag of a tree or blob is no version of a project.
    if (full.endsWith('/HEAD') || (peeledType || type) !== 'commit') continue;
    const kind = full.startsWith('refs/heads/') ? 'branch' : full.startsWith('refs/tags/') ? 'tag' : 'remote';
    refs.push({ name, kind, commit: peeled || object, head: head === '*', subject });
  }
  return refs;
}

/** A file of the working tree as it is at a commit, read through git (the working tree is not touched). */
export async function readFileAtCommit(path: string, commit: string): Promise<string> {
  if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(commit))
    throw new ProjectLoadError(`not a commit: "${commit}"`);
  // The file's folder may exist only at that commit: git is asked from the nearest folder that exists now.
  let folder = dirname(path);
  while (!(await stat(folder).catch(() => undefined))?.isDirectory()) {
    if (dirname(folder) === folder) throw new ProjectLoadError(`no such folder: ${dirname(path)}`);
    folder = dirname(folder);
  }
  const prefix = (await git(folder, ['rev-parse', '--show-prefix'])).toString('utf8').trim();
  const inTree = posix.join(prefix, ...relative(folder, path).split(sep));
  const bytes = await git(folder, ['cat-file', 'blob', `${commit}:${inTree}`]).catch(() => {
    throw new ProjectLoadError(`${inTree} is not in commit ${commit.slice(0, 7)}`);
  });
  const decoded = decodeFile(bytes);
  if (decoded.text === undefined) throw new ProjectLoadError(`${inTree}: ${decoded.problem}`);
  return decoded.text;
}

interface TreeEntry {
  mode: string;
  type: string;
  object: string;
  path: string;
}

/** Every file of the commit, by path (slash-separated, relative to the repository's top). */
async function listTree(top: string, commit: string): Promise<Map<string, TreeEntry>> {
  const output = await git(top, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const entries = new Map<string, TreeEntry>();
  for (const record of output.toString('utf8').split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode = '', type = '', object = ''] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    entries.set(path, { mode, type, object, path });
  }
  return entries;
}

/** The project folder at the commit: `prefix` or the nearest folder above it with a codebook. */
function findRoot(entries: Map<string, TreeEntry>, prefix: string): string | undefined {
  const parts = prefix === '' ? [] : prefix.split('/');
  for (let length = parts.length; length >= 0; length--) {
    const folder = parts.slice(0, length).join('/');
    const path = folder === '' ? CODEBOOK_FILE : posix.join(folder, CODEBOOK_FILE);
    if (entries.get(path)?.type === 'blob') return folder;
  }
  return undefined;
}

function depth(prefix: string): number {
  return prefix === '' ? 0 : prefix.split('/').length;
}

function hiddenOrSkipped(path: string): boolean {
  const folders = path.split('/').slice(0, -1);
  // Folders never searched for transcripts, as on disk.
  return folders.some((folder) => !isIndexedFolder(folder));
}

/** The contents of blobs, by object name, read in one `git cat-file --batch`. */
function readBlobs(top: string, objects: string[]): Promise<Map<string, Uint8Array>> {
  const unique = [...new Set(objects)];
  if (unique.length === 0) return Promise.resolve(new Map());
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: top,
      env: gitEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    child.on('error', (error) => reject(new ProjectLoadError(`cannot run git: ${error.message}`)));
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new ProjectLoadError(`git cat-file failed: ${errors.trim() || `exit code ${code}`}`));
        return;
      }
      const output = Buffer.concat(chunks);
      const blobs = new Map<string, Uint8Array>();
      let at = 0;
      while (at < output.length) {
        const headerEnd = output.indexOf(10, at);
        if (headerEnd === -1) break;
        const [object = '', type = '', size = '0'] = output
          .subarray(at, headerEnd)
          .toString('utf8')
          .split(' ');
        if (type === 'missing') {
          at = headerEnd + 1;
          continue;
        }
        const length = Number(size);
        blobs.set(object, new Uint8Array(output.subarray(headerEnd + 1, headerEnd + 1 + length)));
        at = headerEnd + 1 + length + 1;
      }
      resolvePromise(blobs);
    });
    child.stdin.end(`${unique.join('\n')}\n`);
  });
}

function git(cwd: string, args: string[]): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      'git',
      args,
      { cwd, env: gitEnv(), encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' && !stderr.length) {
            reject(new ProjectLoadError(`cannot run git (is it installed?) in ${cwd}`));
            return;
          }
          const message = stderr.toString('utf8').trim();
          reject(
            new ProjectLoadError(message.length > 0 ? `git: ${message}` : `git ${args[0]} failed in ${cwd}`),
          );
          return;
        }
        resolvePromise(stdout);
      },
    );
  });
}

/** Git's output in a fixed form, whatever the user's locale and configuration of paths. */
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' };
}
