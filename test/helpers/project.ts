import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll } from 'vitest';
import { projectFindings } from '../../server/src/core/analyses/findings';
import type { Finding } from '../../server/src/core/findings';
import { ProjectIndex } from '../../server/src/core/projectIndex';

/** The folder of a committed fixture project, e.g. `fixtureDir('rules/unknown-code')`. */
export function fixtureDir(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

export interface TemporaryDirs {
  /** A new empty folder. */
  empty(): string;
  /** A new folder holding a copy of `source`, with `files` (by relative path) added or replaced. */
  copyOf(source: string, files?: Record<string, string | Uint8Array>): string;
}

/**
 * Folders in the system's temporary folder, named `prefix` and a random tail, all removed once the tests
 * of the file (or of the describe block) that calls this have run. Call it at the top of either.
 */
export function temporaryDirs(prefix: string): TemporaryDirs {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const empty = () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
  return {
    empty,
    copyOf(source, files = {}) {
      const dir = empty();
      cpSync(source, dir, { recursive: true });
      for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
      return dir;
    },
  };
}

/** Reads every Markdown file of a fixture folder into a fresh index, the codebook first. */
export function loadFixture(dir: string): ProjectIndex {
  const files: Record<string, string> = {};
  for (const path of markdownFiles(dir)) files[relative(dir, path)] = readFileSync(path, 'utf8');
  return indexFiles(files, pathToFileURL(dir).href);
}

/** An index of in-memory files, keyed by their path relative to the project folder. */
export function indexFiles(files: Record<string, string>, rootUri = 'file:///project'): ProjectIndex {
  const index = new ProjectIndex(rootUri);
  // The codebook first, so that its settings decide which files are transcripts from the start.
  const paths = Object.keys(files).sort((a, b) => Number(b === 'codebook.md') - Number(a === 'codebook.md'));
  for (const path of paths) index.update(uriIn(rootUri, path), files[path] ?? '');
  return index;
}

export function uriIn(rootUri: string, path: string): string {
  return `${rootUri.replace(/\/+$/, '')}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** Every finding of the project, each with the path of its file relative to the project folder. */
export function findingsOf(index: ProjectIndex): (Finding & { path: string })[] {
  return projectFindings(index).map((finding) => ({ ...finding, path: pathOf(index, finding.uri) }));
}

function pathOf(index: ProjectIndex, uri: string): string {
  return index.relativePath(uri) ?? uri;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}
