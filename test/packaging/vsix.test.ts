// The .vsix `npm run package` makes: packaged from the current dist/ (after `npm run build`) into a temp
// folder and read back with fflate. It must hold what the extension needs at run time and nothing else.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
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
  'extension/dist/THIRD-PARTY-NOTICES.txt',
  'extension/syntaxes/kodkarta.injection.tmLanguage.json',
  'extension/media/walkthrough/codebook.md',
  'extension/media/walkthrough/transcript.md',
  'extension/media/walkthrough/code.md',
  'extension/media/walkthrough/panel.md',
  'extension/media/icon.png',
];

/** Every file the archive may hold. */
const allowed =
  /^(\[Content_Types\]\.xml|extension\.vsixmanifest|extension\/(package\.json|readme\.md|LICENSE\.txt|dist\/\w+\.(js|css)|dist\/\w+\.js\.LEGAL\.txt|dist\/THIRD-PARTY-NOTICES\.txt|syntaxes\/[\w.-]+\.json|media\/walkthrough\/[\w-]+\.(md|png)|media\/icon\.png))$/;

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

/** The npm package a bundled file belongs to, `name@version`, from its path under node_modules. */
function bundledPackage(input: string): string | undefined {
  const folder = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
  if (!folder?.[1]) return undefined;
  const { version } = JSON.parse(readFileSync(join(repoRoot, folder[1], 'package.json'), 'utf8')) as {
    version: string;
  };
  return `${folder[2]}@${version}`;
}

/** The license file of an installed package, as the notices must quote it. */
function licenseText(name: string): string {
  const folder = join(repoRoot, 'node_modules', name);
  const file = readdirSync(folder).find((f) => /^licen[cs]e\b/i.test(f));
  if (!file) throw new Error(`${name} has no license file`);
  return readFileSync(join(folder, file), 'utf8').trim();
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

  it('ships third-party notices for exactly the npm packages esbuild bundled, with their licenses', async () => {
    // Each notice: a rule, `name version`, `License: id`, `In: bundles`, then the license text.
    const notices = new Map(
      text('extension/dist/THIRD-PARTY-NOTICES.txt')
        .split(/^={80}$/m)
        .slice(1)
        .map((entry) => {
          const [title = '', license = '', bundles = ''] = entry.trim().split('\n');
          return [
            title.replace(' ', '@'),
            { license, bundles: bundles.replace(/^In: /, '').split(', '), text: entry },
          ] as const;
        }),
    );
    // Read from esbuild's metafile here rather than trusted from the build: the packages each bundle holds.
    const metafile = JSON.parse(await readFile(join(repoRoot, 'dist/meta.json'), 'utf8')) as {
      outputs: Record<string, { inputs: Record<string, unknown> }>;
    };
    const bundled = new Map<string, string[]>();
    for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
      for (const input of Object.keys(inputs)) {
        const pkg = bundledPackage(input);
        const bundles = pkg ? (bundled.get(pkg) ?? []) : [];
        if (pkg && !bundles.includes(basename(output))) bundled.set(pkg, [...bundles, basename(output)]);
      }
    }
    // vscode-uri's prebuilt bundle carries path-browserify inside it, where the metafile cannot see it.
    const uri = [...bundled].find(([pkg]) => pkg.startsWith('vscode-uri@'));
    expect(uri).toBeDefined();
    bundled.set('path-browserify@1.0.1', uri?.[1] ?? []);
    const shipped = files.filter((f) => /^extension\/dist\/\w+\.(js|css)$/.test(f));
    expect(shipped.filter((f) => !metafile.outputs[f.replace(/^extension\//, '')])).toEqual([]);
    expect([...notices.keys()].sort()).toEqual([...bundled.keys()].sort());
    for (const [pkg, bundles] of bundled) expect(notices.get(pkg)?.bundles, pkg).toEqual(bundles.sort());

    // The packages esbuild's license comments name are among them.
    const legal = files
      .filter((f) => f.endsWith('.LEGAL.txt'))
      .flatMap((f) => [...text(f).matchAll(/^((?:@[\w.-]+\/)?[\w.-]+)\/\S*:$/gm)].map((m) => m[1]));
    expect(legal).toEqual(expect.arrayContaining(['xmlchars', '@lit/reactive-element', 'lit-html']));
    const names = new Set([...notices.keys()].map((pkg) => pkg.replace(/(.)@.*/, '$1')));
    expect(legal.filter((name) => !names.has(name ?? ''))).toEqual([]);

    const notice = (name: string) => [...notices].find(([pkg]) => pkg.startsWith(`${name}@`))?.[1];
    for (const [name, license] of [
      ['vscode-languageclient', 'MIT'],
      ['remark-parse', 'MIT'],
      ['yaml', 'ISC'],
      ['path-browserify', 'MIT'],
      ['@vscode-elements/elements', 'MIT'],
      ['lit', 'BSD-3-Clause'],
    ] as const) {
      expect(notice(name)?.license, name).toBe(`License: ${license}`);
      expect(notice(name)?.text, name).toContain(licenseText(name));
    }
    expect(notice('saxes')?.text).toContain('This package ships no license file.');
    // Only what the bundles hold: none of the tools that build, test or package them.
    for (const tool of [
      'esbuild',
      'vitest',
      '@biomejs/biome',
      'typescript',
      '@vscode/vsce',
      'playwright-core',
    ])
      expect(notice(tool), tool).toBeUndefined();
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

  it('shows researchers their own readme, media/README.md, with no link or image that breaks in the .vsix', async () => {
    const readme = text('extension/readme.md');
    expect(readme).toBe(await readFile(join(repoRoot, 'media/README.md'), 'utf8'));
    expect(readme).not.toMatch(/!\[|<img|\]\((?!https:\/\/)|href=|npm (install|run)/);
    // It names every command of the Command Palette, the keybindings and every setting with its default.
    const { contributes } = JSON.parse(text('extension/package.json')) as {
      contributes: {
        commands: { command: string; title: string; enablement?: string }[];
        keybindings: { command: string; key: string; mac: string }[];
        configuration: { properties: Record<string, { default: unknown }> };
      };
    };
    const keys = (key: string) => key.replace(/\b\w/g, (c) => c.toUpperCase());
    for (const { title, enablement } of contributes.commands)
      if (enablement !== 'false') expect(readme).toContain(`| **${title}** |`);
    for (const { key, mac } of contributes.keybindings)
      expect(readme).toContain(`**${keys(key)}** (**${keys(mac)}** on macOS)`);
    for (const [setting, { default: value }] of Object.entries(contributes.configuration.properties))
      expect(readme).toContain(`| \`${setting}\` | \`${value}\` |`);
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
