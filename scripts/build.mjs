// Bundles the command line tool, the language server, the VS Code client and the theme panel with esbuild.
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  legalComments: 'linked',
  logLevel: 'warning',
};

await Promise.all([
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
