// The .vsix `npm run package` makes: packaged from the current dist/ (after `npm run build`) into a temp
// folder and read back with fflate. It must hold what the extension needs at run time and nothing else.

import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifest, packageVsix, repoRoot, vsixName } from './vsix';

/** What the installed extension needs: vsce stores the extension below `extension/`. */
const required = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/readme.md',
  'extension/LICENSE.txt',
  'extension/dist/client.js',
  'extension/dist/server.js',
  'extension/dist/indexWorker.js',
  'extension/dist/webview.js',
  'extension/dist/webview.css',
  'extension/dist/compare.js',
  'extension/syntaxes/kodkarta.injection.tmLanguage.json',
  'extension/media/walkthrough/codebook.md',
  'extension/media/walkthrough/transcript.md',
  'extension/media/walkthrough/code.md',
  'extension/media/walkthrough/panel.md',
];

/** Every file the archive may hold. */
const allowed =
  /^(\[Content_Types\]\.xml|extension\.vsixmanifest|extension\/(package\.json|readme\.md|LICENSE\.txt|dist\/\w+\.(js|css)|dist\/\w+\.js\.LEGAL\.txt|syntaxes\/[\w.-]+\.json|media\/walkthrough\/[\w-]+\.(md|png)))$/;

/** What must never be shipped, spelled out (the allow-list above already keeps it out). */
const forbidden =
  /(^|\/)(src|test|bench|scripts|docs|examples|node_modules|test-results|\.e2e)\/|\.(map|ts|mts|vsix)$|(^|\/)(tsconfig[\w.]*\.json|biome\.json|package-lock\.json|\.vscodeignore)$/;

/** Strings anywhere in package.json `contributes` that name a file of the repository. */
function contributedFiles(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === 'string') {
    const path = value.replace(/^\.\//, '');
    if (path.includes('/') && existsSync(join(repoRoot, path)) && statSync(join(repoRoot, path)).isFile())
      out.add(path);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) contributedFiles(v, out);
  }
  return out;
}

describe(`the packaged ${vsixName}`, () => {
  let dir = '';
  let vsixPath = '';
  let vsceOutput = '';
  let entries: Record<string, Uint8Array> = {};
  let files: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kodkarta-vsix-'));
    const packaged = await packageVsix(dir);
    vsixPath = packaged.path;
    vsceOutput = packaged.output;
    entries = unzipSync(new Uint8Array(await readFile(vsixPath)));
    files = Object.keys(entries)
      .filter((f) => !f.endsWith('/'))
      .sort();
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const text = (file: string): string => strFromU8(entries[file] ?? new Uint8Array());

  it('is packaged by vsce without a warning or an error', () => {
    expect(vsceOutput).toMatch(/DONE\s+Packaged: .*kodkarta-\d+\.\d+\.\d+\.vsix/);
    expect(vsceOutput).not.toMatch(/WARNING|ERROR/);
  });

  it('holds the bundles, the grammar, the walkthrough, the license and the readme', () => {
    expect(files).toEqual(expect.arrayContaining(required));
  });

  it('holds nothing else: no sources, tests, examples, dependencies, source maps or test results', () => {
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => forbidden.test(f))).toEqual([]);
  });

  it('holds every file package.json points at', () => {
    const pkg = JSON.parse(text('extension/package.json')) as { main: string; contributes: unknown };
    const wanted = [pkg.main.replace(/^\.\//, ''), ...contributedFiles(pkg.contributes, new Set())];
    expect(wanted).toContain('syntaxes/kodkarta.injection.tmLanguage.json');
    expect(wanted).toContain('media/walkthrough/panel.md');
    expect(wanted.filter((f) => !files.includes(`extension/${f}`))).toEqual([]);
  });

  it('ships the license notices its bundles point to', () => {
    const notices = files.flatMap((f) =>
      f.endsWith('.js')
        ? [...text(f).matchAll(/For license information please see ([\w.-]+)/g)].map(
            (m) => `extension/dist/${m[1]}`,
          )
        : [],
    );
    expect(notices).toContain('extension/dist/server.js.LEGAL.txt');
    expect(notices.filter((f) => !files.includes(f))).toEqual([]);
  });

  it('has self-contained bundles: they load nothing but Node built-ins and vscode', () => {
    const loaded = new Set<string>();
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const source = text(file);
      for (const m of source.matchAll(/\brequire\(["']([^"']+)["']\)/g)) loaded.add(m[1] ?? '');
      // The webview bundles are ES modules: an import statement would name a file that is not there.
      expect(source, file).not.toMatch(/^import\s/m);
    }
    expect(loaded).toContain('vscode');
    expect([...loaded].filter((name) => name !== 'vscode' && !isBuiltin(name))).toEqual([]);
  });

  it('describes the extension: identity, version, license, and the package.json of the repository', async () => {
    const vsixManifest = text('extension.vsixmanifest');
    expect(vsixManifest).toContain(
      `<Identity Language="en-US" Id="${manifest.name}" Version="${manifest.version}" Publisher="${manifest.publisher}"`,
    );
    expect(vsixManifest).toContain('<License>extension/LICENSE.txt</License>');
    expect(JSON.parse(text('extension/package.json'))).toEqual(
      JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')),
    );
    expect(text('extension/LICENSE.txt')).toMatch(/^MIT License/);
  });

  it('is small', () => {
    const packed = statSync(vsixPath).size;
    const unpacked = Object.values(entries).reduce((sum, bytes) => sum + bytes.length, 0);
    console.info(
      `${vsixName}: ${files.length} files, ${(packed / 1024).toFixed(0)} KB (${(unpacked / 1024).toFixed(0)} KB unpacked)`,
    );
    expect(packed).toBeLessThan(1.5 * 1024 * 1024);
    expect(unpacked).toBeLessThan(6 * 1024 * 1024);
  });
});
