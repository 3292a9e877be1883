// Bundles the command line tool, the language server, the VS Code client and the theme panel with esbuild,
// then writes the notices of the npm packages bundled into them (dist/THIRD-PARTY-NOTICES.txt).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { build } from 'esbuild';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
};

const results = await Promise.all([
  build({
    ...common,
    entryPoints: {
      cli: 'server/src/cli/index.ts',
      server: 'server/src/server.ts',
      indexWorker: 'server/src/node/indexWorker.ts',
      client: 'client/src/extension.ts',
    },
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    define: { KODKARTA_VERSION: JSON.stringify(pkg.version) },
  }),
  build({
    ...common,
    entryPoints: { webview: 'webview/src/main.ts', compare: 'webview/src/compare.ts' },
    outdir: 'dist',
    platform: 'browser',
    target: 'chrome120',
    format: 'esm',
  }),
  build({
    ...common,
    entryPoints: { webview: 'webview/src/styles.css' },
    outdir: 'dist',
  }),
]);

/**
 * Packages whose code a bundled package's own prebuilt file carries, which the metafile cannot see:
 * vscode-uri's bundle embeds path-browserify. Each is a devDependency of the same version, so that its
 * package.json and license file are here to quote.
 */
const embeddedPackages = { 'vscode-uri': ['path-browserify'] };

// One metafile for all bundles: test/packaging checks the notices against it (and esbuild's bundle
// analyzer reads it).
const metafile = { inputs: {}, outputs: {} };
for (const result of results) {
  Object.assign(metafile.inputs, result.metafile.inputs);
  Object.assign(metafile.outputs, result.metafile.outputs);
}
await writeFile('dist/meta.json', JSON.stringify(metafile));
await writeFile('dist/THIRD-PARTY-NOTICES.txt', await thirdPartyNotices(metafile.outputs));

/**
 * Every npm package with a file in a bundle (the metafile's inputs under node_modules, nested copies
 * apart): its name and version, the license its package.json declares, the bundles that hold it, and
 * the text of the license file in its folder.
 */
async function thirdPartyNotices(outputs) {
  const bundles = new Map();
  const add = (folder, output) => {
    if (!bundles.has(folder)) bundles.set(folder, new Set());
    bundles.get(folder).add(basename(output));
  };
  for (const [output, { inputs }] of Object.entries(outputs)) {
    for (const input of Object.keys(inputs)) {
      const folder = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
      if (!folder) continue;
      add(folder[1], output);
      for (const inside of embeddedPackages[folder[2]] ?? []) add(`node_modules/${inside}`, output);
    }
  }
  const entries = await Promise.all(
    [...bundles].map(async ([folder, names]) => {
      const manifest = JSON.parse(await readFile(`${folder}/package.json`, 'utf8'));
      const files = (await readdir(folder, { withFileTypes: true }))
        .filter((f) => f.isFile() && /^(licen[cs]e|copying)\b/i.test(f.name))
        .map((f) => f.name)
        .sort();
      const texts = await Promise.all(files.map((f) => readFile(`${folder}/${f}`, 'utf8')));
      return {
        title: `${manifest.name} ${manifest.version}`,
        text: [
          `${manifest.name} ${manifest.version}`,
          `License: ${licenseId(manifest)}`,
          `In: ${[...names].sort().join(', ')}`,
          '',
          ...(texts.length > 0
            ? texts.map((t) => t.trim())
            : [`This package ships no license file.${author(manifest)}`]),
        ].join('\n'),
      };
    }),
  );
  entries.sort((a, b) => a.title.localeCompare(b.title, 'en'));
  const rule = '='.repeat(80);
  return `${[
    `Third-party notices for Kodkarta ${pkg.version}`,
    '',
    "Kodkarta is under the MIT License (LICENSE.txt). Its bundles (the extension's, and cli.js, the",
    'command line tool) include code from the npm packages below. For each: its name and version, the',
    'license its package.json declares, the bundles that include it, and the license file it ships.',
    ...entries.flatMap((e) => ['', rule, e.text]),
  ].join('\n')}\n`;
}

/** The SPDX expression a package.json declares, in the current or the older `licenses` form. */
function licenseId(manifest) {
  if (typeof manifest.license === 'string') return manifest.license;
  if (Array.isArray(manifest.licenses)) return manifest.licenses.map((l) => l.type).join(' OR ');
  return 'none declared';
}

/** The author a package.json names: the copyright holder when no license file says so. */
function author(manifest) {
  const name = typeof manifest.author === 'string' ? manifest.author : manifest.author?.name;
  return name ? ` Its package.json names its author: ${name}.` : '';
}
