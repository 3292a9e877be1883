// Bundles the command line tool (and, as they arrive, the server, client and webview) with esbuild.
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');

await build({
  entryPoints: { cli: 'server/src/cli/index.ts', server: 'server/src/server.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  legalComments: 'linked',
  define: { KODKARTA_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
