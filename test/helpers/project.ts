import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { projectFindings } from '../../server/src/core/analyses/findings';
import type { Finding } from '../../server/src/core/findings';
import { ProjectIndex } from '../../server/src/core/projectIndex';

/** The folder of a committed fixture project, e.g. `fixtureDir('rules/unknown-code')`. */
export function fixtureDir(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
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
