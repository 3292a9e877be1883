import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from '../../server/src/cli/main';

/** The repository root, where `examples/` and `dist/` are. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const exampleStudy = `${repoRoot}/examples/alliance-study`;

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs the command line in-process with a fake Io that collects what it writes. */
export async function cli(args: string[], cwd = repoRoot): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await run(args, {
    cwd,
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
  });
  return { code, out, err };
}

export const builtCli = `${repoRoot}/dist/cli.js`;

/** Builds dist/ when it is missing or older than the sources, as after `npx vitest run` without a build. */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(builtCli) && statSync(builtCli).mtimeMs >= newestSource(`${repoRoot}/server/src`)) return;
  const result = await spawned(process.execPath, ['scripts/build.mjs'], repoRoot);
  if (result.code !== 0) throw new Error(`npm run build failed:\n${result.err}`);
}

function newestSource(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = `${dir}/${entry.name}`;
      return entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    }),
  );
}

/** Runs the built CLI as its own process, as a user or a CI job would. */
export function spawnCli(args: string[], cwd = repoRoot): Promise<CliResult> {
  return spawned(process.execPath, [builtCli, ...args], cwd);
}

function spawned(command: string, args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}
