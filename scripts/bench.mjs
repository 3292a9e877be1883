// `npm run bench`: bundles the benchmarks (bench/run.ts) next to the server they start, then runs them.
// Arguments go through: `npm run bench -- --json`, `--scales thesis`, `--keep` ... (see bench/run.ts).
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

await build({
  entryPoints: { bench: 'bench/run.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, ['dist/bench.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
