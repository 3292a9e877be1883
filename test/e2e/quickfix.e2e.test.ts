// The quick fix for an unknown code in a real VS Code, on a copy of the example study: type a code the
// codebook does not list, apply "Add #… to the codebook under 1.2 …" from Ctrl+., and see the entry in
// codebook.md (in its editor, then on disk after saving) and the warning go away.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applyQuickFix,
  computedColour,
  type Editor,
  goToEnd,
  quickOpen,
  saveAndRead,
  startEditor,
  statusBarItem,
  typeText,
  visibleText,
  waitForNoSquiggleOnLine,
  waitForSquiggleOnLine,
} from './harness';

const transcript = 'intervjuer/respondent-3.md';
const passage = '**R3:** [Jag litar på att hon säger som det är.]{#ärlighet}';
const theme12 = '1.2 Förtroende är en förutsättning för delgivande';

/** The colour of a `#code` token in the editor. */
function codeColour(view: Locator, code: string): Promise<string> {
  return computedColour(
    view.locator('.view-line span > span', { hasText: new RegExp(`^#${code}$`) }).first(),
  );
}

describe('quick fix: add an unknown code to the codebook', () => {
  let editor: Editor;
  let codebookBefore: string;
  let unknownColour = '';

  beforeAll(async () => {
    editor = await startEditor({ viewport: { width: 1280, height: 800 } });
    codebookBefore = await readFile(join(editor.workspace, 'codebook.md'), 'utf8');
  });

  afterAll(async () => {
    await editor?.close();
  });

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      if (!editor) return;
      await editor.screenshot(`quickfix-FAILED-${task.name.replace(/\W+/g, '-')}`).catch(() => {});
      console.error(
        `--- page problems ---\n${editor.problems.map((p) => `[${p.kind}] ${p.text}`).join('\n')}`,
      );
      console.error(`--- logs (tail) ---\n${editor.logs().slice(-8000)}`);
    });
  });

  it('warns about a code the codebook does not list', async () => {
    const { page } = editor;
    const view = await quickOpen(page, transcript);
    await goToEnd(page);
    await typeText(page, `\n\n${passage.slice(0, -1)}`);
    await page.keyboard.press('Escape'); // the suggest widget, which would take the closing brace
    await typeText(page, '}');
    await page.keyboard.press('Escape'); // word suggestions may pop up after the brace
    expect((await visibleText(view)).replace(/\n/g, '')).toContain(passage);
    await waitForSquiggleOnLine(view, 'ärlighet', 'warning', 30_000);
    expect(await page.locator('#status\\.problems').getAttribute('aria-label')).not.toBe('No Problems');
    // Semantic tokens mark it as unknown: a colour of its own, unlike #reparation (a theme 1 code).
    await expect
      .poll(async () => codeColour(view, 'ärlighet'))
      .not.toBe(await codeColour(view, 'reparation'));
    unknownColour = await codeColour(view, 'ärlighet');
    await expect
      .poll(async () => (await statusBarItem(page, / codes · /).textContent())?.trim())
      .toBe('35 codes · 311 segments · 7 participants');
    await editor.screenshot('quickfix-1-unknown-code');
  });

  it('offers every theme and adds the code under the chosen one', async () => {
    const { page } = editor;
    await page.keyboard.press('ArrowLeft'); // from after the closing brace into the code
    await page.keyboard.press('ArrowLeft');
    await editor.screenshot('quickfix-2-before-menu');
    const { offered, titles } = await applyQuickFix(page, `under ${theme12}`);
    console.info(`quick fixes offered: ${offered}; rendered: ${titles.join(' | ')}`);
    // One per theme (24), then the refactorings for the tag under the cursor.
    expect(offered).toBeGreaterThanOrEqual(24);
    expect(titles.slice(0, 4)).toEqual([
      'Add #ärlighet to the codebook under 1 Gemensamt för den terapeutiska alliansen och handledningsalliansen',
      'Add #ärlighet to the codebook under 1.1 Kontraktet reglerar situationen och relationen',
      `Add #ärlighet to the codebook under ${theme12}`,
      'Add #ärlighet to the codebook under 1.3 Det är ett gemensamt arbete',
    ]);
    expect(titles).toContain('Add #ärlighet to the codebook under 2.1.1 Att dra patienten till sig');

    // The edit lands in codebook.md, opened and unsaved, right after 1.2's last code.
    const codebookTab = page.locator('.tabs-container .tab', { hasText: 'codebook.md' });
    await codebookTab.waitFor({ state: 'visible' });
    expect(await codebookTab.getAttribute('class')).toContain('dirty');
    expect(await readFile(join(editor.workspace, 'codebook.md'), 'utf8')).toBe(codebookBefore);
    const codebook = await quickOpen(page, 'codebook.md');
    const delgivande =
      '- #delgivande: Att våga berätta om svåra känslor, misstag eller det som ännu inte är formulerat.';
    expect((await visibleText(codebook)).split('\n')).toEqual(
      expect.arrayContaining([delgivande, '- #ärlighet:', '## 1.3 Det är ett gemensamt arbete']),
    );
    await editor.screenshot('quickfix-3-codebook');
    const onDisk = await saveAndRead(page, join(editor.workspace, 'codebook.md'), '- #ärlighet:');
    expect(onDisk).toBe(codebookBefore.replace(`${delgivande}\n`, `${delgivande}\n- #ärlighet:\n`));
  });

  it('clears the warning and colours the code as a theme 1 code', async () => {
    const { page } = editor;
    const view = await quickOpen(page, transcript);
    await waitForNoSquiggleOnLine(view, 'ärlighet', 'warning', 15_000);
    await expect
      .poll(async () => page.locator('#status\\.problems').getAttribute('aria-label'))
      .toBe('No Problems');
    // Semantic colouring follows the codebook: #ärlighet loses the unknown code's colour and gets that of
    // theme 1's codes (#reparation), not theme 3's (#skam).
    await expect
      .poll(async () => codeColour(view, 'ärlighet'), { timeout: 10_000 })
      .toBe(await codeColour(view, 'reparation'));
    expect(await codeColour(view, 'ärlighet')).not.toBe(unknownColour);
    expect(await codeColour(view, 'ärlighet')).not.toBe(await codeColour(view, 'skam'));
    await editor.screenshot('quickfix-4-warning-gone');
    await editor.screenshot(
      'quickfix-4-warning-gone-line',
      view.locator('.view-line', { hasText: 'ärlighet' }).first(),
    );
  });

  it('reports no uncaught errors in the page', () => {
    if (editor.problems.length > 0) {
      console.info(`page problems (all):\n${editor.problems.map((p) => `[${p.kind}] ${p.text}`).join('\n')}`);
    }
    editor.expectNoErrors();
  });
});
