// Transcripts are untrusted text. A transcript whose coded passage, label, note and attributes hold HTML
// (`<script>`, `<img onerror>`) must show that text literally in the theme panel, and nothing in it may
// run: no dialog, no page error, no content security policy violation. Runs on a copy of the example
// study with one extra transcript.

import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clickTreeItem,
  type Editor,
  openThemePanel,
  panelQuotes,
  quickOpen,
  repoRoot,
  sleep,
  startEditor,
  treeCounts,
} from './harness';

const hostilePassage =
  'Jag skrev <script>alert(1)</script> i journalen och <img src=x onerror=alert(1)> i mejlet.';
const hostileLabel = '<img src=x onerror=alert(2)> Respondent 8';
const hostileNote = '<b onmouseover=alert(3)>viktigt</b>';
const hostileTranscript = `---
participant: R8
label: ${hostileLabel}
attributes:
  yrke: "<script>alert(4)</script>"
---

# Intervju 8

**I:** Hur kommer ni överens om ramarna?

**R8:** [${hostilePassage}]{#kontrakt "${hostileNote}"}
`;

describe('theme panel security: transcript text is rendered as text', () => {
  let editor: Editor;
  let panel: FrameLocator;
  let source: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    source = await mkdtemp(join(tmpdir(), 'kodkarta-e2e-hostile-'));
    const study = join(source, 'alliance-study');
    await cp(join(repoRoot, 'examples/alliance-study'), study, { recursive: true });
    await writeFile(join(study, 'intervjuer/respondent-8.md'), hostileTranscript);
    editor = await startEditor({ workspace: study, viewport: { width: 1280, height: 800 } });
    // An alert() from any frame, the webview's included, would show up here.
    editor.page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await editor?.close();
    if (source) await rm(source, { recursive: true, force: true });
  });

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      if (!editor) return;
      await editor.screenshot(`security-FAILED-${task.name.replace(/\W+/g, '-')}`).catch(() => {});
      console.error(
        `--- page problems ---\n${editor.problems.map((p) => `[${p.kind}] ${p.text}`).join('\n')}`,
      );
    });
  });

  it('shows the hostile passage, label and note literally in the quote list', async () => {
    await quickOpen(editor.page, 'intervjuer/respondent-8.md');
    panel = await openThemePanel(editor.page);
    await clickTreeItem(panel, { theme: '1' });
    await clickTreeItem(panel, { theme: '1.1' });
    await expect.poll(async () => treeCounts(panel, { code: 'kontrakt' })).toBe('13 · 8');
    await clickTreeItem(panel, { code: 'kontrakt' });
    await expect.poll(async () => panel.locator('.quote-count').textContent()).toBe('13 quotes');
    const quotes = await panelQuotes(panel);
    expect(quotes).toContainEqual({ text: hostilePassage, attribution: `(${hostileLabel})` });
    const item = panel.locator('ol.quotes > li.quote', { hasText: 'Respondent 8' });
    expect(await item.locator('.note').textContent()).toBe(hostileNote);
    expect(await item.locator('.attribution').getAttribute('title')).toBe('yrke: <script>alert(4)</script>');
    // Not one element came out of the transcript's markup.
    expect(await panel.locator('#app img, #app script, #app b').count()).toBe(0);
    // Scripts: VS Code's acquireVsCodeApi shim and the panel's bundle with the nonce, nothing else.
    const scripts = await panel
      .locator('script')
      .evaluateAll((nodes) =>
        nodes.map(
          (n) => (n as unknown as { id: string; src: string }).id || (n as unknown as { src: string }).src,
        ),
      );
    expect(scripts).toHaveLength(2);
    expect(scripts[0]).toBe('_vscodeApiScript');
    expect(scripts[1]).toMatch(/\/dist\/webview\.js$/);
    await item.scrollIntoViewIfNeeded();
    await item.hover(); // an onmouseover would fire now
    await sleep(500);
    await editor.screenshot('security-1-quote-list');
    await editor.screenshot('security-1-quote', item);
  });

  it('shows the hostile label literally in the matrix and the filters', async () => {
    expect(await panel.locator('select[aria-label="Participant"] option').allTextContents()).toContain(
      `${hostileLabel} (R8)`,
    );
    await panel.getByRole('tab', { name: 'Participants × themes' }).click();
    const rowHeads = panel.locator('table.matrix tbody th[scope="row"]');
    await rowHeads.first().waitFor({ state: 'visible' });
    expect(await rowHeads.allTextContents()).toContain(hostileLabel);
    expect(await panel.locator('#app img, #app script').count()).toBe(0);
    await editor.screenshot('security-2-matrix');
  });

  it('runs with a strict content security policy', async () => {
    const csp =
      (await panel.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
    console.info(`CSP: ${csp}`);
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toHaveLength(1);
    expect(directives.get('script-src')?.[0]).toMatch(/^'nonce-[A-Za-z0-9+/=]{16,}'$/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:\/\/(?!.*vscode-cdn\.net)/);
  });

  it('ran nothing: no dialog, no page error, no CSP violation', async () => {
    await sleep(500);
    expect(dialogs).toEqual([]);
    if (editor.problems.length > 0) {
      console.info(`page problems (all):\n${editor.problems.map((p) => `[${p.kind}] ${p.text}`).join('\n')}`);
    }
    editor.expectNoErrors();
  });

  it('would have noticed markup that slipped through (control)', async () => {
    // The detectors above are only worth something if they fire: put an <img onerror> into the panel
    // the way an innerHTML bug would, and see the CSP refuse it, visibly to this test.
    const before = editor.problems.length;
    await panel.locator('#app').evaluate((app) => {
      (app as unknown as { insertAdjacentHTML(where: string, html: string): void }).insertAdjacentHTML(
        'beforeend',
        '<img src=x onerror=alert(5)>',
      );
    });
    await expect
      .poll(
        () =>
          editor.problems
            .slice(before)
            .map((p) => p.text)
            .join('\n'),
        { timeout: 5_000 },
      )
      .toMatch(/Content Security Policy/);
    expect(dialogs).toEqual([]);
    console.info(
      `control: ${editor.problems
        .slice(before)
        .map((p) => p.text)
        .join('\n')}`,
    );
  });
});
