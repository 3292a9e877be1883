// The packaged extension in a real VS Code: `kodkarta-<version>.vsix`, made from the current dist/ as
// `npm run package` makes it, installed with `code-server --install-extension` into the editor's own
// extensions dir (no development copy), activates on the example study, colours tags with the shipped
// grammar, fills the status bar, opens the theme panel and shows its readme for researchers in the
// Extensions view.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manifest, packageVsix, vsixName } from '../packaging/vsix';
import {
  computedColour,
  type Editor,
  openThemePanel,
  quickOpen,
  repoRoot,
  runCommand,
  startEditor,
  statusBarItem,
  treeItem,
} from './harness';

interface Report {
  participants: number;
  segments: number;
  themes: { number: string; name: string }[];
}

describe('the packaged .vsix installed into code-server', () => {
  let vsixDir = '';
  let editor: Editor;
  let report: Report;

  beforeAll(async () => {
    vsixDir = await mkdtemp(join(tmpdir(), 'kodkarta-vsix-'));
    const { path } = await packageVsix(vsixDir);
    editor = await startEditor({ vsix: path });
    report = JSON.parse(
      execFileSync(
        process.execPath,
        [join(repoRoot, 'dist/cli.js'), 'report', editor.workspace, '--format', 'json'],
        {
          encoding: 'utf8',
        },
      ),
    ) as Report;
  });

  afterAll(async () => {
    await editor?.close();
    if (vsixDir) await rm(vsixDir, { recursive: true, force: true });
  });

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      if (!editor) return;
      await editor.screenshot(`vsix-FAILED-${task.name.replace(/\W+/g, '-')}`).catch(() => {});
      console.error(
        `--- page problems ---\n${editor.problems.map((p) => `[${p.kind}] ${p.text}`).join('\n')}`,
      );
      console.error(`--- logs (tail) ---\n${editor.logs().slice(-8000)}`);
    });
  });

  it('is installed by code-server from the .vsix, not copied from the repository', () => {
    const id = `${manifest.publisher}.${manifest.name}`;
    expect(editor.extension).toBeUndefined();
    expect(editor.vsix?.output).toContain(`Extension '${vsixName}' was successfully installed.`);
    expect(editor.vsix?.dir).toBe(join(editor.dirs.extensionsDir, `${id}-${manifest.version}`));
    const dir = editor.vsix?.dir ?? '';
    expect(readdirSync(dir).sort()).toEqual(
      ['.vsixmanifest', 'LICENSE.txt', 'dist', 'media', 'package.json', 'readme.md', 'syntaxes'].sort(),
    );
    expect(existsSync(join(dir, 'src'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
  });

  it('activates on the example study: the status bar shows codes · segments · participants', async () => {
    const view = await quickOpen(editor.page, 'intervjuer/respondent-1.md');
    const item = statusBarItem(editor.page, / codes · /);
    await expect
      .poll(async () => (await item.textContent())?.trim(), { timeout: 60_000 })
      .toMatch(
        new RegExp(`^\\d+ codes · ${report.segments} segments · ${report.participants} participants$`),
      );
    // The shipped grammar colours a tag's braces apart from the passage's text.
    const line = view.locator('.view-line', { hasText: '{#kontrakt}' }).first();
    const brace = line.locator('span > span', { hasText: /^\{$/ }).first();
    await brace.waitFor({ timeout: 15_000 });
    const plain = view
      .locator('.view-line span > span', { hasText: 'Det går jag igenom ganska noga' })
      .first();
    expect(await computedColour(brace)).not.toBe(await computedColour(plain));
    await editor.screenshot('vsix-1-activated');
  });

  it('opens the theme panel with the main themes of the report', async () => {
    const panel = await openThemePanel(editor.page);
    expect(report.themes.length).toBeGreaterThan(1);
    for (const theme of report.themes) {
      await expect.poll(async () => treeItem(panel, { theme: theme.number }).count()).toBe(1);
    }
    await expect
      .poll(async () => panel.locator('vscode-tree > vscode-tree-item').count())
      .toBe(report.themes.length);
    await editor.screenshot('vsix-2-theme-panel');
  });

  it('is listed among the installed extensions, with its icon and readme', async () => {
    const { page } = editor;
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Extensions: Show Installed Extensions');
    const entry = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Kodkarta' }).first();
    await entry.waitFor({ state: 'visible', timeout: 30_000 });
    await entry.click();
    const details = page.locator('.extension-editor');
    await details.locator('.name', { hasText: 'Kodkarta' }).first().waitFor({ state: 'visible' });
    const readme = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await readme
      .locator('h1', { hasText: 'Kodkarta' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    // The readme for researchers (media/README.md), not the developer README of the repository.
    await readme.locator('h2', { hasText: 'Getting started' }).first().waitFor({ state: 'visible' });
    const text = (await readme.locator('body').textContent()) ?? '';
    expect(text).toContain('Qualitative data analysis in plain Markdown');
    expect(text).toContain('Nothing leaves your machine.');
    expect(text).not.toContain('npm install');
    // Its own icon (media/icon.png), not the default one.
    const icon = details.locator('.header .icon').first();
    await expect
      .poll(async () => decodeURIComponent((await icon.getAttribute('src')) ?? ''))
      .toMatch(/kodkarta\.kodkarta-[\d.]+\/media\/icon\.png/);
    await editor.screenshot('vsix-3-extension-details');
  });

  it('reports no uncaught errors in the page', () => {
    editor.expectNoErrors();
  });
});
