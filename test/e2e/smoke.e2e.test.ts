// Smoke test in a real VS Code (code-server + Chromium): the example study opens, the transcript is
// shown, and, with the client built, the extension colours tags, reports an unknown code and completes
// codes. The tests share one editor and run in order: each builds on the previous one's state.

import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  activeEditor,
  clientIsBuilt,
  computedColour,
  type Editor,
  goToEnd,
  hoverSquiggleOnLine,
  quickOpen,
  saveAndRead,
  sleep,
  startEditor,
  suggestionLabels,
  suggestWidget,
  typeText,
  visibleText,
} from './harness';

const transcript = 'intervjuer/respondent-1.md';
const withClient = clientIsBuilt();

describe('smoke: example study in code-server', () => {
  let editor: Editor;
  /** The colour of `#kontrakt` (a theme 1 code), measured by the colour test. */
  let theme1CodeColour = '';

  beforeAll(async () => {
    editor = await startEditor({ installExtension: withClient });
    if (editor.extension?.missing.length) {
      console.warn(`package.json contributes missing files: ${editor.extension.missing.join(', ')}`);
    }
  });

  afterAll(async () => {
    await editor?.close();
  });

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      if (!editor) return;
      await editor.screenshot(`smoke-FAILED-${task.name.replace(/\W+/g, '-')}`).catch(() => {});
      console.error(
        `--- page problems ---\n${editor.problems.map((p) => `[${p.kind}] ${p.text}`).join('\n')}`,
      );
      console.error(`--- logs (tail) ---\n${editor.logs().slice(-8000)}`);
    });
  });

  it('opens the transcript and shows its text', async () => {
    const view = await quickOpen(editor.page, transcript);
    await view.locator('.view-line', { hasText: 'Intervju 1' }).waitFor();
    const text = await visibleText(view);
    expect(text).toContain('participant: R1');
    expect(text).toContain('# Intervju 1');
    expect(text).toContain('**I:** Kan du börja med att berätta lite om hur ditt arbete ser ut i dag?');
    expect(text).toContain('{#kontrakt}');
    await editor.screenshot('smoke-1-transcript');
  });

  it.runIf(withClient)('colours the tags with the injection grammar', async () => {
    const view = activeEditor(editor.page);
    // Markdown wraps long lines: pick the rendered row that holds the tag.
    const line = view.locator('.view-line', { hasText: '{#kontrakt}' }).first();
    await line.waitFor();
    // Monaco renders each run of equally styled tokens as one span; tokenisation runs after the
    // first paint, so wait until the tag's braces and code have spans of their own.
    const open = line.locator('span > span', { hasText: /^\{$/ }).first();
    const code = line.locator('span > span', { hasText: /^#kontrakt$/ }).first();
    const close = line.locator('span > span', { hasText: /^\}$/ }).first();
    await open.waitFor({ timeout: 15_000 });
    await code.waitFor({ timeout: 15_000 });
    await close.waitFor({ timeout: 15_000 });
    // Plain text of the same passage, for comparison: passage text keeps the text colour.
    const plain = view
      .locator('.view-line span > span', { hasText: 'Det går jag igenom ganska noga' })
      .first();
    const colours = {
      plain: await computedColour(plain),
      open: await computedColour(open),
      code: await computedColour(code),
      close: await computedColour(close),
    };
    console.info(`colours: ${JSON.stringify(colours)}`);
    // The braces get their colour only from the grammar (punctuation.definition.tag.*.kodkarta);
    // the code from the grammar (entity.name.tag.code) and, once the server answers, semantic tokens.
    expect(colours.open).not.toBe(colours.plain);
    expect(colours.close).toBe(colours.open);
    expect(colours.code).not.toBe(colours.plain);
    theme1CodeColour = colours.code;
    await editor.screenshot('smoke-2-tags-coloured', line);
  });

  it.runIf(withClient)('warns about an unknown code typed at the end', async () => {
    const { page } = editor;
    await goToEnd(page);
    await typeText(page, '\n\n[ny passage]{#helt-ny-kod}');
    await page.keyboard.press('Escape');
    const view = activeEditor(page);
    expect(await visibleText(view)).toContain('[ny passage]{#helt-ny-kod}');
    // The squiggle is Kodkarta's: hovering it shows the finding.
    const hover = await hoverSquiggleOnLine(page, view, 'helt-ny-kod', 'helt-ny-kod');
    const hoverText = (await hover.textContent()) ?? '';
    console.info(`hover: ${hoverText}`);
    expect(hoverText).toMatch(/unknown-code/);
    await editor.screenshot('smoke-3-unknown-code-warning');
    await page.keyboard.press('Escape');
  });

  it.runIf(withClient)('completes a code from the codebook', async () => {
    const { page } = editor;
    await goToEnd(page);
    await typeText(page, '\n\n[test]{#för');
    const widget = await suggestWidget(page);
    const labels = await suggestionLabels(page);
    console.info(`suggestions: ${labels.join(', ')}`);
    expect(labels).toContain('#förtroende');
    await editor.screenshot('smoke-4-completion');
    // Move the selection to #förtroende (#förfogande matches "för" too) and accept it.
    for (let i = 0; i < labels.length; i++) {
      const focused = (await widget.locator('.monaco-list-row.focused .label-name').textContent()) ?? '';
      if (focused.replace(/\u00a0/g, ' ').trim() === '#förtroende') break;
      await page.keyboard.press('ArrowDown');
      await sleep(50);
    }
    expect((await widget.locator('.monaco-list-row.focused .label-name').textContent())?.trim()).toBe(
      '#förtroende',
    );
    // The theme path is not in the list: VS Code asks for it (completionItem/resolve) on selection.
    await widget
      .locator('.monaco-list-row.focused .details-label', { hasText: 'Gemensamt' })
      .waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });
    const view = activeEditor(page);
    await view.locator('.view-line', { hasText: '[test]' }).waitFor();
    const lines = (await visibleText(view)).split('\n');
    expect(lines.find((l) => l.includes('[test]'))?.trim()).toBe('[test]{#förtroende}');
    // The inserted code gets the colour #kontrakt had: both are theme 1's codes.
    const line = view.locator('.view-line', { hasText: '[test]' }).first();
    const inserted = line.locator('span > span', { hasText: /^#förtroende$/ }).first();
    await expect.poll(async () => computedColour(inserted), { timeout: 10_000 }).toBe(theme1CodeColour);
    await editor.screenshot('smoke-5-completed');
    await editor.screenshot('smoke-5-completed-line', line);
    const onDisk = await saveAndRead(page, join(editor.workspace, transcript), '[test]{#förtroende}');
    expect(onDisk.trimEnd().split('\n').slice(-3)).toEqual([
      '[ny passage]{#helt-ny-kod}',
      '',
      '[test]{#förtroende}',
    ]);
  });

  it('reports no uncaught errors in the page', () => {
    if (editor.problems.length > 0) {
      console.info(`page problems (all):\n${editor.problems.map((p) => `[${p.kind}] ${p.text}`).join('\n')}`);
    }
    editor.expectNoErrors();
  });
});
