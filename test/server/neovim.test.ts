import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URI } from 'vscode-uri';
import { serverBundle } from '../helpers/lspClient';

/**
 * A second, independent LSP client: Debian's headless Neovim 0.7 drives the built server through
 * test/server/neovim/init.lua. Neovim 0.7 announces no pull diagnostics, so this proves the push path.
 */

const example = resolve(__dirname, '../../examples/alliance-study');
const initScript = resolve(__dirname, 'neovim/init.lua');
const RUN_TIMEOUT_MS = 25_000;

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const nvimVersion = nvim.status === 0 ? nvim.stdout.split('\n')[0] : undefined;
// On CI a missing Neovim is a broken setup, not a reason to skip: .ci/run installs it.
const required = Boolean(process.env.CI);

interface NeovimDiagnostic {
  code?: string;
  message: string;
  severity: number;
  source?: string;
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
}

interface NeovimResult {
  errors: string[];
  filetype?: string;
  root_dir?: string;
  workspace_folders?: { uri: string; name: string }[];
  diagnostic_provider?: boolean;
  diagnostics?: NeovimDiagnostic[];
  completion_position?: { line: number; character: number };
  completion?: string[];
}

const transcript = [
  '---',
  'participant: R9',
  '---',
  '',
  '**R9:** [Jag litar på henne]{#tillit} och [det här är trasigt]{kod}.',
  '',
  '**R9:** [Det är svårt att säga]{#för}',
  '',
].join('\n');

/** Runs `nvim --headless -u init.lua <file>` with its own XDG folders, so nothing of the user's is read or written. */
async function runNeovim(project: string, file: string, out: string, home: string): Promise<void> {
  const xdg = Object.fromEntries(
    ['CONFIG', 'DATA', 'STATE', 'CACHE'].map((kind) => [`XDG_${kind}_HOME`, join(home, kind.toLowerCase())]),
  );
  for (const folder of Object.values(xdg)) await mkdir(folder, { recursive: true });
  const child = spawn('nvim', ['--headless', '-n', '-i', 'NONE', '-u', initScript, file], {
    cwd: project,
    env: {
      ...process.env,
      ...xdg,
      HOME: home,
      KODKARTA_NODE: process.execPath,
      KODKARTA_SERVER: serverBundle,
      KODKARTA_ROOT: project,
      KODKARTA_OUT: out,
      KODKARTA_COMPLETE_AT: '{#för',
      KODKARTA_TIMEOUT_MS: '10000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`nvim did not finish within ${RUN_TIMEOUT_MS} ms:\n${output}`));
    }, RUN_TIMEOUT_MS);
    child.on('error', fail);
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      done(exitCode);
    });
  });
  if (code !== 0) throw new Error(`nvim exited with ${code}:\n${output}`);
}

describe.skipIf(!nvimVersion && !required)('Neovim 0.7 as the LSP client', () => {
  let dir: string;
  let result: NeovimResult;
  const line = (n: number) => transcript.split('\n')[n] ?? '';

  beforeAll(async () => {
    if (!nvimVersion) {
      throw new Error(
        'nvim is not installed, and CI is set: the Neovim client test must run on CI. ' +
          'Install Debian\'s "neovim" package (.ci/run does: apt-get install -y neovim).',
      );
    }
    dir = await mkdtemp(join(tmpdir(), 'kodkarta-nvim-'));
    const project = join(dir, 'alliance-study');
    await cp(example, project, { recursive: true });
    const file = join(project, 'intervjuer', 'neovim.md');
    await writeFile(file, transcript);
    const out = join(dir, 'result.json');
    await runNeovim(project, file, out, join(dir, 'home'));
    result = JSON.parse(await readFile(out, 'utf8')) as NeovimResult;
  }, RUN_TIMEOUT_MS + 5_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('opens the transcript as markdown with the project folder as the server root', () => {
    expect(result.errors).toEqual([]);
    const project = join(dir, 'alliance-study');
    expect(result.filetype).toBe('markdown');
    expect(result.root_dir).toBe(project);
    expect(result.workspace_folders?.map((f) => f.uri)).toEqual([URI.file(project).toString()]);
    // The client does not pull, so the server offers no pull diagnostics and must push them.
    expect(result.diagnostic_provider).toBe(false);
  });

  it('receives pushed diagnostics for an unknown code and a malformed tag', () => {
    const diagnostics = result.diagnostics ?? [];
    expect(diagnostics.every((d) => d.source === 'kodkarta')).toBe(true);
    const unknown = diagnostics.find((d) => d.code === 'unknown-code' && d.message.includes('#tillit'));
    const malformed = diagnostics.find((d) => d.code === 'malformed-tag');
    expect(unknown).toBeDefined();
    expect(malformed?.message).toContain('#kod');
    // Neovim counts columns in bytes: the server's UTF-16 positions arrived right despite the "å" before.
    const text = line(4);
    const byteColumn = (search: string) => Buffer.byteLength(text.slice(0, text.indexOf(search)));
    expect(unknown).toMatchObject({ lnum: 4, end_lnum: 4, col: byteColumn('#tillit') });
    expect(unknown?.end_col).toBe(byteColumn('#tillit') + '#tillit'.length);
    expect(malformed).toMatchObject({ lnum: 4, col: byteColumn('kod}') });
  });

  it('completes {#för with #förtroende', () => {
    const text = line(6);
    expect(result.completion_position).toEqual({
      line: 6,
      character: text.indexOf('{#för') + '{#för'.length,
    });
    expect(result.completion).toContain('#förtroende');
  });
});
