// Packages the built extension into a .vsix exactly as `npm run package` does, minus the build: the
// vsce options are read from that script, so the tests check what the script makes. Used by
// vsix.test.ts (the archive's listing) and test/e2e/vsix.e2e.test.ts (installed into code-server).

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

interface Manifest {
  name: string;
  version: string;
  publisher: string;
  scripts: Record<string, string>;
}

export const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;

/** The file name `vsce package` gives the extension: `kodkarta-0.1.0.vsix`. */
export const vsixName = `${manifest.name}-${manifest.version}.vsix`;

/** The options `npm run package` passes to `vsce package`, flags and options with a value alike. */
export function packageOptions(): string[] {
  const script = manifest.scripts.package ?? '';
  const match = /\bvsce package((?: --[\w-]+(?: [^\s-]\S*)?)*)\s*$/.exec(script);
  if (!match) throw new Error(`the "package" script does not end in "vsce package --…": ${script}`);
  return (match[1] ?? '').trim().split(/\s+/).filter(Boolean);
}

/**
 * Runs vsce on the repository's current dist/ and writes `<outDir>/kodkarta-<version>.vsix`. Fails, with
 * vsce's message, when a bundle is missing (run `npm run build` first) or vsce would ask a question.
 * Returns the path of the file and what vsce printed.
 */
export async function packageVsix(outDir: string): Promise<{ path: string; output: string }> {
  const require = createRequire(import.meta.url);
  const vscePackage = require.resolve('@vscode/vsce/package.json');
  const bin = (JSON.parse(await readFile(vscePackage, 'utf8')) as { bin: { vsce: string } }).bin.vsce;
  const path = join(outDir, vsixName);
  const run = promisify(execFile);
  const running = run(
    process.execPath,
    [join(dirname(vscePackage), bin), 'package', ...packageOptions(), '--out', path],
    { cwd: repoRoot, timeout: 120_000 },
  );
  // A question (vsce asks before packaging without a repository field, say) gets an empty answer.
  running.child.stdin?.end();
  const { stdout, stderr } = await running;
  return { path, output: `${stdout}${stderr}` };
}
