// The theme panel in a real VS Code, on a copy of the example study: the status bar, the hierarchy with
// counts, the quotes of a theme or code with attribution, a click back into the transcript, live updates
// while coding, the participants × themes matrix, and the panel's return after a reload of the window;
// then the README's screenshots. The panel's numbers are checked against
// `kodkarta report --format json` on the same workspace copy, which reads the files from disk.
// The tests share one editor and run in order: each builds on the previous one's state.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  activeEditor,
  clickTreeItem,
  type Editor,
  focusEditorGroup,
  goToEnd,
  mod,
  openThemePanel,
  panelQuotes,
  quickOpen,
  repoRoot,
  runCommand,
  saveAndRead,
  selectedText,
  sleep,
  startEditor,
  statusBarItem,
  treeCounts,
  treeItem,
  typeText,
  visibleText,
  waitForEditorOf,
} from './harness';

interface ReportTheme {
  number: string;
  segments: number;
  participants: number;
  supported: boolean;
  codes: { name: string }[];
  children: ReportTheme[];
}
interface ReportQuote {
  text: string;
  participant: string;
  label: string;
  codes: string[];
}
interface Report {
  participants: number;
  segments: number;
  themes: ReportTheme[];
  quotes: Record<string, ReportQuote[]>;
}

/** The example study's report, read from the workspace copy's files on disk. */
function report(workspace: string): Report {
  return JSON.parse(
    execFileSync(process.execPath, [join(repoRoot, 'dist/cli.js'), 'report', workspace, '--format', 'json'], {
      encoding: 'utf8',
    }),
  ) as Report;
}

function flatten(themes: ReportTheme[]): ReportTheme[] {
  return themes.flatMap((theme) => [theme, ...flatten(theme.children)]);
}

/**
 * Selects a theme in the tree. A click on a theme also opens or closes it (as in VS Code's own trees),
 * so an open theme is clicked twice to stay open.
 */
async function selectTheme(panel: FrameLocator, theme: string): Promise<void> {
  const wasOpen = (await treeItem(panel, { theme }).getAttribute('open')) !== null;
  await clickTreeItem(panel, { theme });
  if (wasOpen) await clickTreeItem(panel, { theme });
  await expect.poll(async () => treeItem(panel, { theme }).getAttribute('selected')).not.toBeNull();
}

/** A passage coded while the panel is open (test "updates live"). */
const newPassage = 'Vi skrev ett nytt kontrakt om arvodet i våras.';

describe('theme panel: example study in code-server', () => {
  let editor: Editor;
  let panel: FrameLocator;
  let before: Report;

  beforeAll(async () => {
    editor = await startEditor({ viewport: { width: 1280, height: 800 } });
    before = report(editor.workspace);
  });

  afterAll(async () => {
    await editor?.close();
  });

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      if (!editor) return;
      await editor.screenshot(`panel-FAILED-${task.name.replace(/\W+/g, '-')}`).catch(() => {});
      console.error(
        `--- page problems ---\n${editor.problems.map((p) => `[${p.kind}] ${p.text}`).join('\n')}`,
      );
      console.error(`--- logs (tail) ---\n${editor.logs().slice(-8000)}`);
    });
  });

  it('shows codes · segments · participants in the status bar', async () => {
    await quickOpen(editor.page, 'intervjuer/respondent-1.md');
    const codes = flatten(before.themes).reduce((n, theme) => n + theme.codes.length, 0);
    expect([codes, before.segments, before.participants]).toEqual([34, 310, 7]);
    const item = statusBarItem(editor.page, / codes · /);
    await expect
      .poll(async () => (await item.textContent())?.trim(), { timeout: 30_000 })
      .toBe(`${codes} codes · ${before.segments} segments · ${before.participants} participants`);
    await editor.screenshot('panel-1-status-bar', editor.page.locator('.part.statusbar'));
  });

  it('opens from the command palette with the numbered hierarchy and its counts', async () => {
    const { page } = editor;
    panel = await openThemePanel(page);
    await expect
      .poll(async () => panel.locator('.summary').textContent())
      .toBe(
        'Alliansen i terapi och i handledning: 7 transcripts, 7 participants, 310 coded segments, 34 codes',
      );
    const mainThemes = panel.locator('vscode-tree > vscode-tree-item[data-theme]');
    expect(await mainThemes.locator(':scope > .theme-label').allTextContents()).toEqual([
      '1 Gemensamt för den terapeutiska alliansen och handledningsalliansen',
      '2 Unikt för den terapeutiska alliansen',
      '3 Unikt för handledningsalliansen',
    ]);
    // Open every theme the way a user does: click each closed one until none is left.
    const closed = panel
      .locator('vscode-tree-item[data-theme][branch]:not([open])')
      .filter({ visible: true });
    while ((await closed.count()) > 0) {
      const number = await closed.first().getAttribute('data-theme');
      await clickTreeItem(panel, { theme: number! });
    }
    const themes = flatten(before.themes);
    const rows = panel.locator('vscode-tree-item[data-theme]').filter({ visible: true });
    expect(await rows.count()).toBe(24);
    const labels = await rows.locator(':scope > .theme-label').allTextContents();
    expect(labels.map((label) => label.split(' ')[0])).toEqual(themes.map((t) => t.number));
    expect(labels).toContain('2.1.1 Att dra patienten till sig');
    for (const theme of themes) {
      const mark = theme.supported ? '' : ' ⚠';
      expect(await treeCounts(panel, { theme: theme.number }), theme.number).toBe(
        `${theme.segments} · ${theme.participants}${mark}`,
      );
    }
    expect(await treeCounts(panel, { theme: '1.1' })).toBe('24 · 7');
    expect(await treeCounts(panel, { code: 'kontrakt' })).toBe('12 · 7');
    expect(await panel.locator('vscode-tree-item[data-code]').filter({ visible: true }).count()).toBe(34);
    // The counts stay on screen beside a long theme name (the name is cut short instead).
    const counts = treeItem(panel, { theme: '1' }).locator(':scope > .counts');
    await expect.poll(async () => (await counts.boundingBox())?.width ?? 0).toBeGreaterThan(20);
    await editor.screenshot('panel-2-hierarchy');
  });

  it('lists the quotes of a theme and of a code with their attribution', async () => {
    await selectTheme(panel, '1.1');
    await expect.poll(async () => panel.locator('.quote-heading').textContent()).toBe('Theme 1.1');
    await expect.poll(async () => panel.locator('.quote-count').textContent()).toBe('24 quotes');
    const asText = (quotes: { text: string; attribution: string }[]) =>
      quotes.map((q) => `${q.text} ${q.attribution}`).sort();
    const shown = await panelQuotes(panel);
    expect(shown.every((q) => /^\(Respondent [1-7]\)$/.test(q.attribution))).toBe(true);
    expect(asText(shown)).toEqual(
      asText(before.quotes['1.1']!.map((q) => ({ text: q.text, attribution: `(${q.label})` }))),
    );
    await editor.screenshot('panel-3-theme-quotes');

    await clickTreeItem(panel, { code: 'kontrakt' });
    await expect.poll(async () => panel.locator('.quote-heading').textContent()).toBe('#kontrakt');
    await expect.poll(async () => panel.locator('.quote-count').textContent()).toBe('12 quotes');
    const codeQuotes = panel.locator('ol.quotes > li.quote');
    expect(await codeQuotes.count()).toBe(12);
    for (const codes of await codeQuotes.locator('.quote-codes').allTextContents()) {
      expect(codes.split(' ')).toContain('#kontrakt');
    }
    const attributions = (await panelQuotes(panel)).map((q) => q.attribution);
    expect(new Set(attributions)).toEqual(new Set([1, 2, 3, 4, 5, 6, 7].map((n) => `(Respondent ${n})`)));
    await editor.screenshot('panel-4-code-quotes');
  });

  it('opens a clicked quote in its transcript with the passage selected', async () => {
    const { page } = editor;
    const quote = panel.locator('ol.quotes > li.quote', { hasText: '(Respondent 2)' }).first();
    const text = (await quote.locator('.quote-text').textContent()) ?? '';
    expect(text).toMatch(/^vi ses samma tid varje vecka/);
    await quote.click();
    const view = await waitForEditorOf(page, 'respondent-2.md');
    expect(await selectedText(page)).toBe(text);
    // The passage is on screen, inside its tag.
    expect(await visibleText(view)).toContain(`[${text.slice(0, 15)}`);
    await editor.screenshot('panel-5-quote-opened');
  });

  it('updates live while a passage is coded, keeping selection, filters and open themes', async () => {
    const { page } = editor;
    await selectTheme(panel, '1.1');
    await panel.locator('select[aria-label="Participant"]').selectOption('R1');
    await expect.poll(async () => panel.locator('.quote-count').textContent()).toBe('4 quotes');
    const r1Quotes = before.quotes['1.1']!.filter((q) => q.participant === 'R1');
    expect(r1Quotes).toHaveLength(4);
    // A reloaded webview would lose this mark: the panel must update in place.
    await panel.locator('body').evaluate((body) => {
      (body as unknown as { dataset: Record<string, string> }).dataset.e2eMark = 'kept';
    });

    await focusEditorGroup(page, 1);
    await quickOpen(page, 'intervjuer/respondent-1.md');
    await goToEnd(page);
    // VS Code closes brackets and braces as they open: `{#kontrak}` is already a tag (an unknown code),
    // and the last letter makes it #kontrakt. Playwright types far faster than a person (a key every
    // 20 ms) and the panel follows such a burst at the server's pace, so the latency of that one
    // keystroke is measured once the panel has caught up.
    await typeText(page, `\n\n**R1:** [${newPassage}]{#kontrak`);
    await page.keyboard.press('Escape');
    await panelQuiet(panel);
    const typedAt = Date.now();
    await typeText(page, 't');
    await page.keyboard.press('Escape'); // word suggestions may pop up after the letter
    // The line wraps in the narrow editor: join the rendered rows (each keeps its trailing space).
    const rendered = (await visibleText(activeEditor(page))).replace(/\n/g, '');
    expect(rendered).toContain(`**R1:** [${newPassage}]{#kontrakt}`);
    expect(rendered).not.toContain('{#kontrakt}}');

    await expect.poll(async () => treeCounts(panel, { theme: '1.1' }), { timeout: 10_000 }).toBe('25 · 7');
    // The panel marks each time new numbers are on screen; it was quiet before the letter, so the first
    // mark after it shows the letter's numbers.
    const shownAfter = (await panelShownAt(panel)).filter((at) => at >= typedAt);
    expect(shownAfter.length).toBeGreaterThan(0);
    const latency = Math.min(...shownAfter) - typedAt;
    console.info(
      `panel numbers on screen ${latency.toFixed(0)} ms after the keystroke that completed the code (${shownAfter.length} update(s) since)`,
    );
    expect(await treeCounts(panel, { code: 'kontrakt' })).toBe('13 · 7');
    expect(await treeCounts(panel, { theme: '1' })).toBe('153 · 7');
    await expect.poll(async () => panel.locator('.quote-count').textContent()).toBe('5 quotes');
    expect(await panelQuotes(panel)).toContainEqual({ text: newPassage, attribution: '(Respondent 1)' });
    // Same webview, same selection, filter and open themes.
    expect(await panel.locator('body').getAttribute('data-e2e-mark')).toBe('kept');
    expect(await treeItem(panel, { theme: '1.1' }).getAttribute('selected')).not.toBeNull();
    expect(await panel.locator('select[aria-label="Participant"]').inputValue()).toBe('R1');
    expect(await panel.locator('.quote-heading').textContent()).toBe('Theme 1.1');
    for (const theme of ['1', '1.1', '2', '2.1', '3.2']) {
      expect(await treeItem(panel, { theme }).getAttribute('open'), theme).not.toBeNull();
    }
    await expect
      .poll(async () => (await statusBarItem(page, / codes · /).textContent())?.trim())
      .toBe('34 codes · 311 segments · 7 participants');
    await editor.screenshot('panel-6-live-update');

    const onDisk = await saveAndRead(page, join(editor.workspace, 'intervjuer/respondent-1.md'), newPassage);
    expect(onDisk).toContain(`[${newPassage}]{#kontrakt}`);
    await panel.locator('select[aria-label="Participant"]').selectOption('');
  });

  it('shows a row per respondent in the participants × themes matrix', async () => {
    const after = report(editor.workspace);
    expect(after.segments).toBe(311);
    await panel.getByRole('tab', { name: 'Participants × themes' }).click();
    const table = panel.locator('table.matrix');
    await table.waitFor({ state: 'visible' });
    const rowHeads = table.locator('tbody th[scope="row"]');
    expect(await rowHeads.allTextContents()).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `Respondent ${n}`));
    const columns = (await table.locator('thead th[scope="col"]').allTextContents()).slice(1);
    const themes = flatten(after.themes).map((t) => t.number);
    expect(columns).toEqual(themes);
    // Each leaf theme's cell counts that participant's quotes of the theme; "·" marks none.
    const cells = await table
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) =>
          Array.from(
            (
              row as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string }> }
            ).querySelectorAll('td'),
          ).map((td) => td.textContent),
        ),
      );
    for (const [p, participant] of ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7'].entries()) {
      for (const [t, theme] of themes.entries()) {
        const quotes = after.quotes[theme] ?? [];
        if (quotes.length === 0) continue; // a parent theme: the report lists quotes under leaves only
        const count = quotes.filter((q) => q.participant === participant).length;
        expect(cells[p]?.[t], `${participant} × ${theme}`).toBe(count === 0 ? '·' : String(count));
      }
    }
    expect(cells[0]?.[themes.indexOf('1.1')]).toBe('5');
    await editor.screenshot('panel-7-matrix');
  });

  it('comes back after a reload of the window with its selection, filters and open themes', async () => {
    const { page } = editor;
    await panel.getByRole('tab', { name: 'Themes', exact: true }).click();
    await clickTreeItem(panel, { code: 'närhet' });
    await panel.locator('select[aria-label="Participant"]').selectOption('R3');
    await panel.locator('input[type="search"]').fill('tystnad');
    await expect.poll(async () => panel.locator('.quote-count').textContent()).toBe('1 quote');
    await sleep(500); // the search box applies (and saves) its text 200 ms after the last keystroke
    const openThemes = () =>
      panel
        .locator('vscode-tree-item[open]')
        .evaluateAll((items) =>
          items.map((i) => (i as unknown as { dataset: { theme: string } }).dataset.theme),
        );
    const openBefore = await openThemes();
    expect(openBefore).toContain('2.1.1');
    const quotesBefore = await panelQuotes(panel);
    expect(quotesBefore).toHaveLength(1);
    expect(quotesBefore[0]?.text).toContain('tystnad');

    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await panel
      .locator('vscode-tree > vscode-tree-item')
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    await expect.poll(async () => panelQuotes(panel)).toEqual(quotesBefore);
    expect(await panel.locator('.quote-heading').textContent()).toBe('#närhet');
    expect(await treeItem(panel, { code: 'närhet' }).getAttribute('selected')).not.toBeNull();
    expect(await panel.locator('select[aria-label="Participant"]').inputValue()).toBe('R3');
    expect(await panel.locator('input[type="search"]').inputValue()).toBe('tystnad');
    expect(await openThemes()).toEqual(openBefore);
    await editor.screenshot('panel-8-after-reload');

    await panel.locator('select[aria-label="Participant"]').selectOption('');
    await panel.locator('input[type="search"]').fill('');
  });

  it('takes the README screenshots', async () => {
    const { page } = editor;
    // docs/images/ is committed: it changes only when asked to, not on every run.
    const docs = process.env.KODKARTA_E2E_README_IMAGES === '1' ? join(repoRoot, 'docs/images') : undefined;
    const shoot = async (name: string, readmeName: string) => {
      const path = await editor.screenshot(name);
      if (docs) {
        mkdirSync(docs, { recursive: true });
        copyFileSync(path, join(docs, readmeName));
      }
    };
    // Transcript on the left, no side bar; in the panel theme 1.2 open and selected, the rest tidied up.
    await page.keyboard.press(`${mod}+B`);
    await panel.getByRole('tab', { name: 'Themes', exact: true }).click();
    for (const theme of ['3', '2', '1.3', '1.4', '1.5', '1.6', '1.7']) await clickTreeItem(panel, { theme });
    await selectTheme(panel, '1.2');
    await expect.poll(async () => panel.locator('.quote-count').textContent()).toBe('22 quotes');
    // A click on a quote of Respondent 5 shows where it was said.
    await panel.locator('ol.quotes > li.quote', { hasText: '(Respondent 5)' }).first().click();
    await waitForEditorOf(page, 'respondent-5.md');
    await panel.locator('.tree-pane').evaluate((pane) => {
      (pane as unknown as { scrollTop: number }).scrollTop = 0;
    });
    await sleep(500);
    await shoot('panel-9-readme-themes', 'panel-themes.png');

    // The matrix alone: the panel's editor group maximised.
    await panel.getByRole('tab', { name: 'Participants × themes' }).click();
    await focusEditorGroup(page, 2);
    await runCommand(page, 'Toggle Maximize Editor Group');
    await sleep(500);
    await shoot('panel-10-readme-matrix', 'panel-matrix.png');
  });

  it('reports no uncaught errors in the page', () => {
    if (editor.problems.length > 0) {
      console.info(`page problems (all):\n${editor.problems.map((p) => `[${p.kind}] ${p.text}`).join('\n')}`);
    }
    editor.expectNoErrors();
  });
});

/** When the panel last put new numbers on screen (its performance marks, as epoch milliseconds). */
function panelShownAt(panel: FrameLocator): Promise<number[]> {
  return panel
    .locator('body')
    .evaluate(() =>
      performance
        .getEntriesByName('kodkarta-panel-shown')
        .map((mark) => performance.timeOrigin + mark.startTime),
    );
}

/** Waits until the panel has put nothing new on screen for half a second. */
async function panelQuiet(panel: FrameLocator): Promise<void> {
  let last = Math.max(0, ...(await panelShownAt(panel)));
  for (let waited = 0; waited < 10_000; waited += 250) {
    await sleep(250);
    const now = Math.max(0, ...(await panelShownAt(panel)));
    if (now === last && Date.now() - now >= 500) return;
    last = now;
  }
}
