// "Kodkarta: Import…" in a real VS Code. The example study is exported to .qdpx with the command line;
// the editor starts on an empty folder, and the command, run from the Command Palette, is answered
// through the file and folder dialogs code-server shows (VS Code's own, in the quick input). The
// imported project must be what `kodkarta import` writes, open in the editor and get indexed; a
// second import into the same folder must be refused, write nothing, and overwrite only when asked.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  answerFileDialog,
  type Editor,
  openFromExplorer,
  repoRoot,
  runCommandWhenListed,
  startEditor,
  statusBarItem,
  visibleText,
  waitForEditorOf,
} from './harness';

const cli = join(repoRoot, 'dist/cli.js');
const exampleStudy = join(repoRoot, 'examples/alliance-study');
const fileDialog = 'Import a REFI-QDA project or codebook';
const folderDialog = 'Folder for the new Kodkarta project';

interface ReportTheme {
  codes: unknown[];
  children: ReportTheme[];
}

/** Every file below `dir`, relative to it, sorted. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('Kodkarta: Import… in code-server', () => {
  let tmp = '';
  let qdpx = '';
  /** What `kodkarta import` writes from the same file: the files the editor's import must write. */
  let expected = '';
  let editor: Editor;
  /** The new project's folder, inside the workspace. */
  let into = '';

  /** Runs Import… and answers its two dialogs. */
  async function runImport(): Promise<void> {
    const { page } = editor;
    await runCommandWhenListed(page, 'Kodkarta: Import…');
    await answerFileDialog(page, fileDialog, qdpx, 'file');
    await answerFileDialog(page, folderDialog, into, 'folder');
  }

  /** The notification toast whose text contains `text`. */
  const toast = (text: string) =>
    editor.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'kodkarta-import-'));
    qdpx = join(tmp, 'alliance-study.qdpx');
    execFileSync(process.execPath, [cli, 'export', '--format', 'qdpx', exampleStudy, '-o', qdpx], {
      stdio: 'pipe',
    });
    expected = join(tmp, 'cli-import');
    execFileSync(process.execPath, [cli, 'import', qdpx, '--into', expected], { stdio: 'pipe' });
    mkdirSync(join(tmp, 'studie'));
    editor = await startEditor({ workspace: join(tmp, 'studie') });
    into = join(editor.workspace, 'ny-studie');
  });

  afterAll(async () => {
    await editor?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      if (!editor) return;
      await editor.screenshot(`import-FAILED-${task.name.replace(/\W+/g, '-')}`).catch(() => {});
      console.error(
        `--- page problems ---\n${editor.problems.map((p) => `[${p.kind}] ${p.text}`).join('\n')}`,
      );
      console.error(`--- logs (tail) ---\n${editor.logs().slice(-8000)}`);
    });
  });

  it('imports the .qdpx into a new folder chosen in the dialogs and opens its codebook', async () => {
    const { page } = editor;
    expect(filesBelow(editor.workspace)).toEqual([]);
    await runImport();
    await toast(`Kodkarta: Imported 8 files into ${into}.`).waitFor({ state: 'visible', timeout: 30_000 });
    const codebook = await waitForEditorOf(page, 'codebook.md');
    const text = await visibleText(codebook);
    expect(text).toContain('title: Alliansen i terapi och i handledning');
    expect(text).toContain('# 1 Gemensamt för den terapeutiska alliansen och handledningsalliansen');
    await editor.screenshot('import-1-imported');
  });

  it('wrote exactly what `kodkarta import` writes: codebook.md and the seven transcripts', () => {
    const files = filesBelow(into);
    expect(files).toEqual([
      'codebook.md',
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => `transcripts/respondent-${n}.md`),
    ]);
    expect(filesBelow(expected)).toEqual(files);
    for (const file of files) {
      expect(readFileSync(join(into, file), 'utf8'), file).toBe(readFileSync(join(expected, file), 'utf8'));
    }
  });

  it('shows the transcripts in the Explorer, and one opens with its codings', async () => {
    const view = await openFromExplorer(editor.page, 'ny-studie', 'transcripts', 'respondent-1.md');
    const text = await visibleText(view);
    expect(text).toContain('participant: R1');
    expect(text).toContain('{#kontrakt}');
    await editor.screenshot('import-2-transcript');
  });

  // Import… opens codebook.md before the file watcher reports it: the server must still make the folder
  // a project (Workspace.fileChanged), without a restart.
  it('indexes the new project: the status bar counts what the example study counts', async () => {
    const report = JSON.parse(
      execFileSync(process.execPath, [cli, 'report', exampleStudy, '--format', 'json'], { encoding: 'utf8' }),
    ) as { segments: number; participants: number; themes: ReportTheme[] };
    const count = (themes: ReportTheme[]): number =>
      themes.reduce((n, theme) => n + theme.codes.length + count(theme.children), 0);
    await expect
      .poll(async () => (await statusBarItem(editor.page, / codes · /).allTextContents())[0]?.trim(), {
        timeout: 20_000,
      })
      .toBe(
        `${count(report.themes)} codes · ${report.segments} segments · ${report.participants} participants`,
      );
  });

  it('refuses to import over existing files, names them, offers another folder first, and writes nothing', async () => {
    const { page } = editor;
    const edited = join(into, 'transcripts/respondent-7.md');
    await appendFile(edited, '\nEn egen anteckning efter importen.\n');
    const before = new Map(filesBelow(into).map((f) => [f, readFileSync(join(into, f), 'utf8')]));
    await runImport();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    const message = ((await dialog.locator('.dialog-message-container').textContent()) ?? '').trim();
    console.info(`refusal: ${message}`);
    expect(message).toContain(`Kodkarta: 8 files already exist in ${into}`);
    expect(message).toContain('codebook.md, transcripts/respondent-1.md');
    expect(message).toMatch(/nothing was written\.?$/);
    // The way to overwrite is the button: the command line's --force means nothing here.
    expect(message).not.toContain('--force');
    await dialog.getByRole('button', { name: 'Overwrite' }).waitFor({ state: 'visible' });
    await editor.screenshot('import-3-refused');
    // Enter takes the default answer, which is the safe one: choose another folder.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    const folderPicker = page.locator('.quick-input-widget .quick-input-title', { hasText: folderDialog });
    await folderPicker.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await folderPicker.waitFor({ state: 'hidden' });
    const after = new Map(filesBelow(into).map((f) => [f, readFileSync(join(into, f), 'utf8')]));
    expect(after).toEqual(before);
    expect(await readFile(edited, 'utf8')).toContain('En egen anteckning efter importen.');
  });

  it('overwrites them when asked to', async () => {
    const { page } = editor;
    await runImport();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Overwrite' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() => readFileSync(join(into, 'transcripts/respondent-7.md'), 'utf8'))
      .toBe(readFileSync(join(expected, 'transcripts/respondent-7.md'), 'utf8'));
    await toast(`Kodkarta: Imported 8 files into ${into}.`).waitFor({ state: 'visible' });
    await editor.screenshot('import-4-overwritten');
  });

  it('reports no uncaught errors in the page', () => {
    editor.expectNoErrors();
  });
});
