// Intercoder agreement and the codeline in a real VS Code, on a copy of examples/rupture-sessions (two
// observers' copies of one project, coder-a/ and coder-b/): "Kodkarta: Compare Coders…" with its quick
// picks, the comparison's figures and a click through to both coders' versions of a disagreement, an
// unsaved edit that counts; then the theme panel's Codeline tab: rows and marks, a click back into the
// transcript, and the sequence query; last, the workspace as a git repository compared on two branches.
// Figures are checked against `kodkarta agreement` and `kodkarta codeline` on the same copy.
// The tests share one editor and run in order: each builds on the previous one's state.

import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { git as gitIn } from '../helpers/git';
import {
  type Editor,
  focusEditor,
  focusEditorGroup,
  openThemePanel,
  quickOpen,
  repoRoot,
  runCommand,
  selectedText,
  startEditor,
  statusBarItem,
  waitForEditorOf,
} from './harness';

interface Agreement {
  overall: { units: number; codes: number; agreement: number; alpha: number; meanKappa: number };
  codes: {
    code: string;
    theme?: string;
    units: number;
    coded: number[];
    agreement: number | null;
    kappa: number | null;
    alpha: number | null;
  }[];
  disagreements: { path: string; line: number; text: string; coders: { coder: string; codes: string[] }[] }[];
}
interface CodelineJson {
  transcripts: {
    path: string;
    steps: unknown[];
    segments: {
      codes: string[];
      themes: string[];
      text: string;
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
    }[];
  }[];
  codes: { name: string }[];
  themes: { number: string; name: string }[];
}
interface SequenceJson {
  overall: { occurrences: number; followed: number };
  transcripts: { path: string; occurrences: number; followed: number }[];
}

function cli<T>(...args: string[]): T {
  return JSON.parse(
    execFileSync(process.execPath, [join(repoRoot, 'dist/cli.js'), ...args, '--json'], { encoding: 'utf8' }),
  ) as T;
}

/**
 * The DOM inside the webview on screen: with several webviews open (a hidden one keeps its iframe),
 * harness's `webviewFrame` would match more than one.
 */
function visibleWebview(page: Page): FrameLocator {
  return page
    .locator('iframe.webview')
    .filter({ visible: true })
    .contentFrame()
    .locator('iframe#active-frame')
    .contentFrame();
}

/** The visible webview whose `h2` says `heading`: with two comparisons side by side, the right one. */
async function comparisonHeaded(page: Page, heading: string): Promise<FrameLocator> {
  const frames = page.locator('iframe.webview').filter({ visible: true });
  let found: FrameLocator | undefined;
  await expect
    .poll(
      async () => {
        for (let i = 0; i < (await frames.count()); i++) {
          const view = frames.nth(i).contentFrame().locator('iframe#active-frame').contentFrame();
          if ((await view.locator('h2', { hasText: heading }).count()) > 0) found = view;
        }
        return found !== undefined;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return found as FrameLocator;
}

/** The rows of the quick pick on screen. */
function pickRow(page: Page, label: string) {
  return page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
}

/**
 * "coder-a/sesjoner/k1-sesjon-03.md/…": the breadcrumbs of the n-th editor group (0 = leftmost), the
 * file's path and then, once the outline is loaded, the symbols at the cursor.
 */
async function breadcrumbs(page: Page, group: number): Promise<string> {
  const items = page
    .locator('.editor-group-container')
    .nth(group)
    .locator('.breadcrumbs-control .monaco-breadcrumb-item');
  await items.first().waitFor({ state: 'visible' });
  return (await items.allTextContents()).map((t) => t.trim()).join('/');
}

/** Every mark of the codeline has a box on screen: drawn over its turns, not collapsed or stacked. */
async function expectMarksDrawn(panel: FrameLocator): Promise<void> {
  const boxes = await panel.locator('.codeline-mark').evaluateAll((marks) =>
    marks.map((m) => {
      const r = (
        m as unknown as { getBoundingClientRect(): { left: number; width: number; height: number } }
      ).getBoundingClientRect();
      return { left: r.left, width: r.width, height: r.height };
    }),
  );
  expect(boxes.length).toBeGreaterThan(0);
  for (const box of boxes) {
    expect(box.width).toBeGreaterThanOrEqual(3);
    expect(box.height).toBeGreaterThan(5);
  }
  // Spread along the axis: the first turns' marks start left of the last turns'.
  const lefts = boxes.map((b) => b.left);
  expect(Math.max(...lefts) - Math.min(...lefts)).toBeGreaterThan(100);
  // Each row's label stays in its column, clear of the marks (long names wrap).
  const overflowing = await panel.locator('.codeline-row > span').evaluateAll((labels) =>
    labels
      .map((l) => l as unknown as { scrollWidth: number; clientWidth: number; textContent: string })
      .filter((l) => l.scrollWidth > l.clientWidth)
      .map((l) => l.textContent),
  );
  expect(overflowing).toEqual([]);
}

/** The labels of the quick pick's rows, in order (a row's first label: a detail line has one too). */
async function pickLabels(page: Page): Promise<string[]> {
  return page
    .locator('.quick-input-widget .monaco-list-row')
    .evaluateAll((rows) =>
      rows.map((row) =>
        (
          (row as unknown as { querySelector(s: string): { textContent: string } | null }).querySelector(
            '.label-name',
          )?.textContent ?? ''
        ).trim(),
      ),
    );
}

/** Waits for the quick pick whose title contains `title`. */
async function waitForPick(page: Page, title: string): Promise<void> {
  await page
    .locator('.quick-input-widget .quick-input-title', { hasText: title })
    .waitFor({ state: 'visible' });
}

/**
 * Checks rows of the multi-select quick pick on screen as a user would with the keyboard: arrow keys
 * move down from the input, space toggles. `labels` in the order the pick lists them.
 */
async function checkRows(page: Page, labels: string[]): Promise<void> {
  const all = await pickLabels(page);
  let at = -1;
  for (const label of labels) {
    const index = all.indexOf(label);
    expect(index, label).toBeGreaterThan(at);
    for (; at < index; at++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await expect.poll(async () => pickRow(page, label).getAttribute('aria-checked')).toBe('true');
  }
}

/** Runs "Kodkarta: Compare Coders…" up to its first quick pick, which lists the workspace's projects. */
async function startComparison(page: Page): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.fill('>Kodkarta: Compare Coders');
  await pickRow(page, 'Kodkarta: Compare Coders…').waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await waitForPick(page, 'choose two or more coders');
  expect(await pickLabels(page)).toEqual(['coder-a', 'coder-b', 'Other folders…', 'Compare git branches…']);
}

/** Answers the last quick pick: compare by speaker turn. */
async function byTurn(page: Page): Promise<void> {
  await waitForPick(page, 'Compare by');
  await pickRow(page, 'Speaker turns').click();
}

/**
 * Runs "Kodkarta: Compare Coders…" and answers its quick picks as a user would: coder-a and coder-b
 * checked with the keyboard in the multi-select pick of projects, then "Speaker turns".
 */
async function compareCoders(page: Page, whilePicking?: () => Promise<unknown>): Promise<void> {
  await startComparison(page);
  await whilePicking?.();
  await checkRows(page, ['coder-a', 'coder-b']);
  expect(await pickRow(page, 'Other folders').getAttribute('aria-checked')).toBe('false');
  await page.keyboard.press('Enter');
  await byTurn(page);
}

describe('agreement: rupture sessions in code-server', () => {
  let editor: Editor;
  let agreement: Agreement;
  let panel: FrameLocator;

  beforeAll(async () => {
    editor = await startEditor({
      workspace: join(repoRoot, 'examples/rupture-sessions'),
      viewport: { width: 1400, height: 900 },
    });
    agreement = cli<Agreement>(
      'agreement',
      join(editor.workspace, 'coder-a'),
      join(editor.workspace, 'coder-b'),
    );
  });

  afterAll(async () => {
    await editor?.close();
  });

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      if (!editor) return;
      await editor.screenshot(`agreement-FAILED-${task.name.replace(/\W+/g, '-')}`).catch(() => {});
      console.error(
        `--- page problems ---\n${editor.problems.map((p) => `[${p.kind}] ${p.text}`).join('\n')}`,
      );
      console.error(`--- logs (tail) ---\n${editor.logs().slice(-8000)}`);
    });
  });

  it('compares coder-a and coder-b by speaker turn', async () => {
    const { page } = editor;
    // The command line's figures on the same copy, as the example's README gives them.
    expect(agreement.overall.alpha.toFixed(3)).toBe('0.820');
    expect(agreement.overall.meanKappa.toFixed(3)).toBe('0.830');
    expect(agreement.codes).toHaveLength(16);
    expect(agreement.disagreements).toHaveLength(19);

    // Wait for the language server: the status bar counts the project once it is indexed.
    await quickOpen(page, 'coder-a/sesjoner/k1-sesjon-03.md');
    await statusBarItem(page, / codes · /).waitFor({ state: 'visible', timeout: 30_000 });

    await compareCoders(page, async () => editor.screenshot('agreement-1-pick-coders'));

    const view = visibleWebview(page);
    await view.locator('h1', { hasText: 'Agreement between' }).waitFor({ state: 'visible', timeout: 30_000 });
    expect(await view.locator('h1').textContent()).toBe('Agreement between coder-a, coder-b');
    expect(await view.locator('.summary').textContent()).toBe(
      'Unit: turn. 3 transcripts, 175 units, 16 codes.',
    );
    const table = view.locator('table.agreement');
    expect(await table.locator('thead th').allTextContents()).toEqual([
      'Code',
      'Theme',
      'Units',
      'coder-a',
      'coder-b',
      'Agreement',
      'Kappa',
      'Alpha',
    ]);
    const codeRows = table.locator('tbody tr:not(.overall)');
    expect(await codeRows.count()).toBe(16);
    // Every row as the command line computes it, to the digits the table shows.
    const fixed = (value: number | null, digits = 3) => (value === null ? '—' : value.toFixed(digits));
    const cells = await codeRows.evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from(
          (
            tr as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string }> }
          ).querySelectorAll('th, td'),
        ).map((c) => c.textContent),
      ),
    );
    expect(cells).toEqual(
      agreement.codes.map((c) => [
        `#${c.code}`,
        c.theme ?? '—',
        String(c.units),
        ...c.coded.map(String),
        c.agreement === null ? '—' : `${(c.agreement * 100).toFixed(1)} %`,
        fixed(c.kappa),
        fixed(c.alpha),
      ]),
    );
    expect(cells[0]).toEqual(['#klage-terapeut', '1.1', '175', '1', '1', '100.0 %', '1.000', '1.000']);
    const overall = table.locator('tbody tr.overall');
    expect(await overall.locator('th, td').allTextContents()).toEqual([
      'All codes',
      '',
      '175',
      '',
      '',
      '89.1 %',
      '0.830',
      '0.820',
    ]);
    expect(await view.locator('h2').textContent()).toBe('Disagreements (19)');
    const items = view.locator('ol.quotes > li.disagreement');
    expect(await items.count()).toBe(19);
    await editor.screenshot('agreement-2-comparison');
  });

  it('opens both coders’ versions of a disagreement beside the comparison, the unit selected', async () => {
    const { page } = editor;
    const view = visibleWebview(page);
    const first = view.locator('ol.quotes > li.disagreement').first();
    const expected = agreement.disagreements[0]!;
    const where = (await first.locator('strong').textContent()) ?? '';
    expect(where).toBe(`${expected.path}:${expected.line} (K)`);
    expect(await first.locator('.quote-codes').allTextContents()).toEqual([
      'coder-a: #minimal-respons',
      'coder-b: #benekter-følelse',
    ]);
    const line = Number(/:(\d+) /.exec(where)?.[1]);
    expect(line).toBe(39);
    await first.click();

    // The transcript twice, one coder's copy per editor group, in the groups after the comparison's.
    const tabs = page.locator('.editor-group-container .tab.active[data-resource-name="k1-sesjon-03.md"]');
    await expect.poll(async () => tabs.count()).toBe(2);
    const groups = page.locator('.editor-group-container');
    await expect.poll(async () => groups.count()).toBe(3);
    expect(await breadcrumbs(page, 1)).toMatch(/^coder-a\/sesjoner\/k1-sesjon-03\.md(\/|$)/);
    expect(await breadcrumbs(page, 2)).toMatch(/^coder-b\/sesjoner\/k1-sesjon-03\.md(\/|$)/);
    // The comparison stays on screen for the next disagreement.
    expect(await groups.nth(0).locator('.tab.active').textContent()).toContain('Kodkarta: Coders');
    await expect.poll(async () => view.locator('h2').isVisible()).toBe(true);
    await editor.screenshot('agreement-3-disagreement-opened');

    // Each copy has the unit selected: the status bar's "Ln 39, Col 76 (68 selected)", and the
    // selection's text is the turn's (tags aside: each coder's tags fall elsewhere in it).
    const untagged = (text: string) => text.replace(/\{[^}]*\}/g, '').replace(/[[\]]/g, '');
    for (const [group, coder] of [
      [2, 'coder-a'],
      [3, 'coder-b'],
    ] as const) {
      await focusEditorGroup(page, group);
      expect(await breadcrumbs(page, group - 1)).toMatch(new RegExp(`^${coder}/`));
      const selection = statusBarItem(page, /^Ln \d+, Col \d+/);
      await expect
        .poll(async () => (await selection.textContent())?.trim())
        .toMatch(new RegExp(`^Ln ${line}, Col \\d+ \\(\\d+ selected\\)$`));
      const text = await selectedText(page);
      expect(untagged(text), coder).toBe(expected.text);
      console.info(`${coder}: ${(await selection.textContent())?.trim()}: ${text}`);
    }
  });

  it('compares coder-b’s copy with an unsaved edit as the editor has it', async () => {
    const { page } = editor;
    const file = join(editor.workspace, 'coder-b/sesjoner/k1-sesjon-03.md');
    const onDisk = await readFile(file, 'utf8');
    // Coder B recodes the turn with coder A's code, and does not save. The turn is selected in both
    // copies (the previous test); the code is the last word of coder B's selection.
    await focusEditorGroup(page, 3);
    expect(await selectedText(page)).toBe(
      'Jeg vet ikke. [Det er ikke noe spesielt med det.]{#benekter-følelse}',
    );
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    for (const _ of 'benekter-følelse') await page.keyboard.press('Shift+ArrowLeft');
    expect(await selectedText(page)).toBe('benekter-følelse');
    await page.keyboard.type('minimal-respons');
    await page.keyboard.press('Escape');
    const dirty = page.locator('.editor-group-container').nth(2).locator('.tab.active.dirty');
    await dirty.waitFor({ state: 'visible' });
    expect(await readFile(file, 'utf8')).toBe(onDisk);

    // The new comparison opens in the active group, over coder-a's copy: beside the first comparison
    // and the edit.
    await focusEditorGroup(page, 2);
    await compareCoders(page);
    const view = await comparisonHeaded(page, 'Disagreements (18)');
    expect(await view.locator('ol.quotes > li.disagreement').count()).toBe(18);
    expect(await view.locator('ol.quotes > li.disagreement strong').allTextContents()).not.toContain(
      'sesjoner/k1-sesjon-03.md:39 (K)',
    );
    // The command line reads the disk, where the turn is still coded as before.
    expect(
      cli<Agreement>('agreement', join(editor.workspace, 'coder-a'), join(editor.workspace, 'coder-b'))
        .disagreements,
    ).toHaveLength(19);
    await editor.screenshot('agreement-3b-unsaved-edit');

    await focusEditorGroup(page, 3);
    await runCommand(page, 'File: Revert File');
    await dirty.waitFor({ state: 'hidden' });
  });

  it('shows the codeline of a coder-a transcript, a row per code and per theme', async () => {
    const { page } = editor;
    await runCommand(page, 'View: Close All Editor Groups');
    await quickOpen(page, 'coder-a/sesjoner/k1-sesjon-03.md');
    panel = await openThemePanel(page);
    await panel.getByRole('tab', { name: 'Codeline' }).click();
    const codeline = cli<CodelineJson>('codeline', join(editor.workspace, 'coder-a'));
    const transcript = codeline.transcripts.find((t) => t.path === 'sesjoner/k1-sesjon-03.md')!;
    const segments = transcript.segments;
    expect([segments.length, transcript.steps.length]).toEqual([20, 57]);

    const transcriptSelect = panel.locator('select[aria-label="Transcript"]');
    await panel.locator('.codeline-row').first().waitFor({ state: 'visible', timeout: 30_000 });
    // coder-a's project: its three transcripts, the first selected.
    const options = await transcriptSelect
      .locator('option')
      .evaluateAll((nodes) => nodes.map((n) => (n as unknown as { value: string }).value));
    expect(options).toHaveLength(3);
    expect(options.every((uri) => uri.includes('/coder-a/sesjoner/'))).toBe(true);
    expect(await transcriptSelect.locator('option:checked').textContent()).toBe(
      'Klient K1 (sesjoner/k1-sesjon-03.md)',
    );
    expect(await panel.locator('.codeline-chart .summary').textContent()).toBe(
      '20 coded segments over 57 turns.',
    );

    // A row per code used in the transcript, in codebook order, a mark per passage.
    const codes = codeline.codes.map((c) => c.name).filter((c) => segments.some((s) => s.codes.includes(c)));
    expect(codes).toHaveLength(12);
    const rows = panel.locator('.codeline-row');
    expect(await rows.locator('.code-label').allTextContents()).toEqual(codes.map((c) => `#${c}`));
    for (const [i, code] of codes.entries()) {
      expect(await rows.nth(i).locator('.codeline-mark').count(), code).toBe(
        segments.filter((s) => s.codes.includes(code)).length,
      );
    }
    expect(await panel.locator('.codeline-mark').count()).toBe(20);
    await expectMarksDrawn(panel);
    await editor.screenshot('agreement-4-codeline-codes');

    // A row per theme: main themes too, each with the passages of the themes below it.
    await panel.locator('select[aria-label="Rows"]').selectOption('theme');
    const inTheme = (s: { themes: string[] }, theme: string) =>
      s.themes.some((t) => t === theme || t.startsWith(`${theme}.`));
    const themes = codeline.themes.filter((t) => segments.some((s) => inTheme(s, t.number)));
    await expect
      .poll(async () => rows.locator('.theme-label').allTextContents())
      .toEqual(themes.map((t) => `${t.number} ${t.name}`));
    expect(themes.map((t) => t.number)).toEqual(['1', '1.1', '1.2', '2', '2.1', '2.2', '2.3']);
    for (const [i, theme] of themes.entries()) {
      expect(await rows.nth(i).locator('.codeline-mark').count(), theme.number).toBe(
        segments.filter((s) => inTheme(s, theme.number)).length,
      );
    }
    await expectMarksDrawn(panel);
    await editor.screenshot('agreement-5-codeline-themes');
  });

  it('opens a clicked mark in the transcript with the passage selected', async () => {
    const { page } = editor;
    const codeline = cli<CodelineJson>('codeline', join(editor.workspace, 'coder-a'));
    const transcript = codeline.transcripts.find((t) => t.path === 'sesjoner/k1-sesjon-03.md')!;
    // The first exploratory strategy (2.2) of the session: the therapist's metacommunication.
    const segment = transcript.segments.find((s) => s.themes.includes('2.2'))!;
    expect(segment.codes).toEqual(['metakommunikasjon']);
    const row = panel.locator('.codeline-row', { has: panel.locator('.theme-label', { hasText: /^2\.2 / }) });
    const mark = row.locator('.codeline-mark').first();
    expect(await mark.getAttribute('aria-label')).toBe(
      `2.2 Utforskende strategier, turn 11: ${segment.text}`,
    );
    await mark.click();
    await waitForEditorOf(page, 'k1-sesjon-03.md');
    expect(await breadcrumbs(page, 0)).toMatch(/^coder-a\//);
    expect(await selectedText(page)).toBe(segment.text);
    await expect
      .poll(async () => (await statusBarItem(page, /^Ln \d+, Col \d+/).textContent())?.trim())
      .toMatch(
        new RegExp(
          `^Ln ${segment.range.end.line + 1}, Col ${segment.range.end.character + 1} \\(${segment.text.length} selected\\)$`,
        ),
      );
    await editor.screenshot('agreement-6-mark-opened');
  });

  it('counts how often an exploratory strategy follows a rupture within two turns', async () => {
    const expected = cli<SequenceJson>(
      'codeline',
      join(editor.workspace, 'coder-a'),
      '--follows',
      '1',
      '--then',
      '2.2',
      '--within',
      '2',
    );
    expect([expected.overall.followed, expected.overall.occurrences]).toEqual([9, 29]);
    await panel.locator('input[aria-label="A: code or theme"]').fill('1');
    await panel.locator('input[aria-label="B: code or theme"]').fill('2.2');
    await panel.locator('input[aria-label="Within turns"]').fill('2');
    await panel.getByRole('button', { name: 'Count' }).click();
    const result = panel.locator('.sequence-result');
    await expect
      .poll(async () => result.locator('.summary').textContent())
      .toBe(
        'Overall: 9 of 29 passages coded 1 Alliansebrudd are followed by 2.2 Utforskende strategier within 2 turns (31 %).',
      );
    const cells = await result
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          Array.from(
            (
              tr as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string }> }
            ).querySelectorAll('th, td'),
          ).map((c) => c.textContent),
        ),
      );
    expect(cells).toEqual(
      expected.transcripts.map((t) => [
        t.path,
        String(t.occurrences),
        String(t.followed),
        `${Math.round((t.followed / t.occurrences) * 100)} %`,
      ]),
    );
    expect(cells.map((row) => row.slice(1, 3))).toEqual([
      ['9', '4'],
      ['11', '3'],
      ['9', '2'],
    ]);
    await result.scrollIntoViewIfNeeded();
    await editor.screenshot('agreement-7-sequence');
  });

  it('shows where the coders’ texts differ, and opens both copies at that line', async () => {
    const { page } = editor;
    // Observer B changes a word of the transcript: agreement on different texts would be nonsense.
    const file = join(editor.workspace, 'coder-b/sesjoner/k2-sesjon-02.md');
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')[54]).toMatch(/^\*\*K:\*\* Et glass vin, kanskje to\./);
    await writeFile(file, text.replace('Et glass vin, kanskje to.', 'Et glass vin, kanskje tre.'));

    await runCommand(page, 'View: Close All Editor Groups');
    await compareCoders(page);
    const view = visibleWebview(page);
    await view.locator('h1').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await view.locator('h1').textContent()).toBe('The coders’ transcripts differ');
    const mismatch = view.locator('li.quote');
    expect(await mismatch.count()).toBe(1);
    expect(await mismatch.locator('strong').textContent()).toBe('sesjoner/k2-sesjon-02.md, line 55');
    expect(await mismatch.locator('.quote-codes').allTextContents()).toEqual([
      expect.stringMatching(/^coder-a: \*\*K:\*\* Et glass vin, kanskje to\. /),
      expect.stringMatching(/^coder-b: \*\*K:\*\* Et glass vin, kanskje tre\. /),
    ]);
    await editor.screenshot('agreement-8-texts-differ');

    await mismatch.click();
    await expect
      .poll(async () => page.locator('.tab.active[data-resource-name="k2-sesjon-02.md"]').count())
      .toBe(2);
    for (const [group, coder] of [
      [2, 'coder-a'],
      [3, 'coder-b'],
    ] as const) {
      await focusEditorGroup(page, group);
      expect(await breadcrumbs(page, group - 1)).toMatch(new RegExp(`^${coder}/sesjoner/k2-sesjon-02\\.md`));
      await expect
        .poll(async () => (await statusBarItem(page, /^Ln \d+, Col \d+/).textContent())?.trim())
        .toBe('Ln 55, Col 1');
    }
    await editor.screenshot('agreement-9-texts-differ-opened');
  });

  it('compares coder-b’s copy on two git branches and opens each branch’s version, read-only', async () => {
    const { page } = editor;
    // The workspace becomes a repository: main as it is, and a branch where coder B takes coder A's
    // coding of turn 39. The working tree is back on main, as it was, before the editor is asked.
    const git = (...args: string[]) => gitIn(editor.workspace, ...args);
    const file = join(editor.workspace, 'coder-b/sesjoner/k1-sesjon-03.md');
    const original = await readFile(file, 'utf8');
    const coderB = 'Jeg vet ikke. [Det er ikke noe spesielt med det.]{#benekter-følelse}';
    const coderA = '[Jeg vet ikke. Det er ikke noe spesielt med det.]{#minimal-respons}';
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'Koding');
    git('checkout', '-q', '-b', 'samkjort');
    await writeFile(file, original.replace(coderB, coderA));
    git('commit', '-q', '-am', 'Samkjøring av tur 39');
    git('checkout', '-q', 'main');
    expect(await readFile(file, 'utf8')).toBe(original);

    await runCommand(page, 'View: Close All Editor Groups');
    await startComparison(page);
    await checkRows(page, ['coder-b', 'Compare git branches…']);
    await page.keyboard.press('Enter');
    await waitForPick(page, 'choose two or more branches or tags of coder-b');
    expect(await pickLabels(page)).toEqual(['main', 'samkjort', 'Another commit…']);
    await checkRows(page, ['main', 'samkjort']);
    await editor.screenshot('agreement-10-pick-branches');
    await page.keyboard.press('Enter');
    await byTurn(page);

    const view = visibleWebview(page);
    await view.locator('h1', { hasText: 'Agreement between' }).waitFor({ state: 'visible', timeout: 30_000 });
    expect(await view.locator('h1').textContent()).toBe('Agreement between main, samkjort');
    expect(await view.locator('.summary').textContent()).toMatch(/^Unit: turn\. 3 transcripts, \d+ units, /);
    expect(await view.locator('h2').textContent()).toBe('Disagreements (1)');
    const item = view.locator('ol.quotes > li.disagreement');
    expect(await item.locator('strong').textContent()).toBe('sesjoner/k1-sesjon-03.md:39 (K)');
    expect(await item.locator('.quote-codes').allTextContents()).toEqual([
      'main: #benekter-følelse',
      'samkjort: #minimal-respons',
    ]);
    await editor.screenshot('agreement-11-branches');

    // Each branch's version of the transcript, titled with its branch, the turn selected.
    await item.click();
    const tab = (branch: string) =>
      page.locator('.editor-group-container .tab.active', { hasText: `k1-sesjon-03.md (${branch})` });
    await tab('main').waitFor({ state: 'visible' });
    await tab('samkjort').waitFor({ state: 'visible' });
    for (const [group, branch, turn] of [
      [2, 'main', coderB],
      [3, 'samkjort', coderA],
    ] as const) {
      await focusEditorGroup(page, group);
      await expect
        .poll(async () => (await statusBarItem(page, /^Ln \d+, Col \d+/).textContent())?.trim())
        .toMatch(/^Ln 39, Col \d+ \(\d+ selected\)$/);
      expect(await selectedText(page), branch).toBe(turn);
    }
    await editor.screenshot('agreement-12-branch-versions');

    // The version of a branch is read-only, and the file on disk and the repository stay as they were.
    await focusEditor(page);
    await page.keyboard.type('x');
    await page
      .locator('.monaco-editor-overlaymessage', { hasText: 'Cannot edit in read-only editor' })
      .waitFor({ state: 'visible' });
    expect(await selectedText(page)).toBe(coderA);
    expect(await readFile(file, 'utf8')).toBe(original);
    expect(git('status', '--porcelain')).toBe('');
    expect(git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
  });

  it('reports no uncaught errors in the page', () => {
    if (editor.problems.length > 0) {
      console.info(`page problems (all):\n${editor.problems.map((p) => `[${p.kind}] ${p.text}`).join('\n')}`);
    }
    editor.expectNoErrors();
  });
});
