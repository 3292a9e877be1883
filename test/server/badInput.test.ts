import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CompletionList,
  CompletionRequest,
  type Diagnostic,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  FileChangeType,
  FoldingRangeRequest,
  HoverRequest,
  SemanticTokensRequest,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { Requests, type ThemeNode, type ThemeTreeResult } from '../../server/src/protocol';
import { startServer, type TestClient } from '../helpers/lspClient';

/**
 * The server meets a workspace full of files no one meant to write: it must report what it cannot read,
 * keep positions right, index what it can in reasonable time, and stay alive and answering throughout.
 */

const example = resolve(__dirname, '../../examples/alliance-study');
const INDEXING_TIMEOUT_MS = 20_000;
const BIG_FILE_BYTES = 50 * 1024 * 1024;
const NESTING = 10_000;

/** Transcripts of the example study, and the tests' own transcripts that the server reads as transcripts. */
const EXAMPLE_TRANSCRIPTS = 7;

const bomCrlf = [
  '---',
  'participant: R30',
  '---',
  '',
  '**R30:** Först lite text, [sen några ord]{#okändkod} och mer.',
  '**R30:** [Här tar taggen aldrig slut]{#förtroende',
  '',
].join('\r\n');

const bigParagraph = `**R40:** Det här är en lång intervju. [Jag litar på henne när vi ses varje vecka.]{#förtroende} ${'Och sen pratade vi vidare om annat, om vardagen och om arbetet. '.repeat(14)}\n\n`;
const bigRepeats = Math.ceil(BIG_FILE_BYTES / Buffer.byteLength(bigParagraph));
const bigEnding = '**R40:** Och till sist [det allra sista]{#sistakoden}.\n';

const deleted =
  '---\nparticipant: R50\n---\n\n**R50:** [Ett]{#förtroende} och [två]{#förtroende} och [tre]{#raderadkod}.\n';

function findTheme(themes: ThemeNode[], number: string): ThemeNode | undefined {
  for (const theme of themes) {
    if (theme.number === number) return theme;
    const found = findTheme(theme.children, number);
    if (found) return found;
  }
  return undefined;
}

describe('the language server with bad input in the workspace', () => {
  let dir: string;
  let client: TestClient;
  let indexedIn = 0;
  const uriOf = (path: string) => URI.file(join(dir, path)).toString();
  const themeTree = async () => {
    const tree = await client.connection.sendRequest<ThemeTreeResult | null>(Requests.themeTree, {});
    if (!tree) throw new Error('the server knows no project');
    return tree;
  };
  const diagnosticsOf = (path: string, rule: string, timeoutMs?: number) =>
    client.waitFor(() => {
      const found = client.pushed.get(uriOf(path))?.filter((d) => d.code === rule);
      return found && found.length > 0 ? found : undefined;
    }, timeoutMs);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kodkarta-bad-'));
    await cp(example, dir, { recursive: true });
    const file = (path: string) => join(dir, 'intervjuer', path);
    // Latin-1 "för" and "på": the bytes 0xF6 and 0xE5 are not UTF-8.
    await writeFile(
      file('latin1.md'),
      Buffer.concat([
        Buffer.from('---\nparticipant: R10\n---\n\n**R10:** [Jag litar p'),
        Buffer.from([0xe5]),
        Buffer.from(' henne]{#f'),
        Buffer.from([0xf6]),
        Buffer.from('rtroende} och [mer]{#ramar}.\n'),
      ]),
    );
    // A PNG someone named .md.
    await writeFile(
      file('bild.md'),
      Buffer.from([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
      ]),
    );
    await writeFile(file('bom-crlf.md'), `\uFEFF${bomCrlf}`);
    await writeFile(file('tom.md'), '');
    await writeFile(file('bara-front-matter.md'), '---\nparticipant: [R60\n');
    const big = `---\nparticipant: R40\n---\n\n${bigParagraph.repeat(bigRepeats)}${bigEnding}`;
    await writeFile(file('stor.md'), big);
    const nested = `---\nparticipant: R70\n---\n\n**R70:** ${'['.repeat(NESTING)}kärnan${']{#kontrakt}'.repeat(NESTING)}\n`;
    await writeFile(file('nastlad.md'), nested);
    await writeFile(file('raderad.md'), deleted);
    // A second heading with the name of theme 1.1.
    await appendFile(join(dir, 'codebook.md'), '\n# 4 Kontraktet reglerar situationen och relationen\n');

    const started = Date.now();
    client = await startServer(URI.file(dir).toString(), {
      capabilities: {
        window: { workDoneProgress: true },
        textDocument: { completion: { completionItem: { snippetSupport: false } } },
        workspace: { workspaceEdit: { documentChanges: true } },
      },
    });
    // Null until the server has found the project, then indexing until it has read every file.
    for (;;) {
      if (Date.now() - started > INDEXING_TIMEOUT_MS) throw new Error('the server did not finish indexing');
      const tree = await client.connection.sendRequest<ThemeTreeResult | null>(Requests.themeTree, {});
      if (tree && !tree.project.indexing) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    indexedIn = Date.now() - started;
  }, INDEXING_TIMEOUT_MS + 5_000);

  afterAll(async () => {
    await client?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('indexes everything readable in reasonable time and reports progress while doing it', async () => {
    expect(indexedIn).toBeLessThan(INDEXING_TIMEOUT_MS);
    const tree = await themeTree();
    // The binary file is no transcript; every other file is, the broken ones included.
    expect(tree.project.transcripts).toBe(EXAMPLE_TRANSCRIPTS + 7);
    expect(client.progress).toHaveLength(1);
    const kinds = client.progress[0]?.values.map((v) => v.kind);
    expect(kinds?.[0]).toBe('begin');
    expect(kinds).toContain('report');
    expect(kinds?.at(-1)).toBe('end');
  });

  it('reports a file that is not UTF-8 and still counts the rest of it', async () => {
    const [unreadable] = await diagnosticsOf('intervjuer/latin1.md', 'unreadable-file');
    expect(unreadable?.message).toContain('UTF-8');
    const tree = await themeTree();
    expect(findTheme(tree.themes, '1.1')?.participantIds).toContain('R10');
  });

  it('reports a binary file named .md and does not read it as a transcript', async () => {
    const [unreadable] = await diagnosticsOf('intervjuer/bild.md', 'unreadable-file');
    expect(unreadable?.message).toContain('binary');
    expect(client.pushed.get(uriOf('intervjuer/bild.md'))).toHaveLength(1);
  });

  it('keeps positions right in a transcript with a byte order mark and CRLF line breaks', async () => {
    const path = 'intervjuer/bom-crlf.md';
    const [unknown] = await diagnosticsOf(path, 'unknown-code');
    const lines = bomCrlf.split('\r\n');
    const line4 = lines[4] ?? '';
    const column = line4.indexOf('#okändkod');
    expect(unknown?.range).toEqual({
      start: { line: 4, character: column },
      end: { line: 4, character: column + '#okändkod'.length },
    });
    const [malformed] = await diagnosticsOf(path, 'malformed-tag');
    expect(malformed?.range.start.line).toBe(5);
    // The unclosed tag ends where the line does, before the "\r".
    expect(malformed?.range.end).toEqual({ line: 5, character: lines[5]?.length });
    // The front matter was read despite the BOM: no complaint about a missing participant.
    const rules = client.pushed.get(uriOf(path))?.map((d) => d.code);
    expect(rules).not.toContain('missing-participant');
  });

  it('indexes a 50 MB transcript to its last line', async () => {
    const [last] = await diagnosticsOf('intervjuer/stor.md', 'unknown-code');
    expect(last?.message).toContain('#sistakoden');
    expect(last?.range.start.line).toBe(4 + bigRepeats * 2);
    const tree = await themeTree();
    expect(findTheme(tree.themes, '1.2')?.segments).toBeGreaterThanOrEqual(bigRepeats);
    // The outline lists every turn: it must not cost more per segment the longer the transcript is.
    const started = Date.now();
    const symbols = await client.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri: uriOf('intervjuer/stor.md') },
    });
    expect(symbols?.length).toBe(bigRepeats + 1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('handles 10,000 nested coded passages', async () => {
    const tree = await themeTree();
    const contract = findTheme(tree.themes, '1.1')?.codes.find((c) => c.name === 'kontrakt');
    expect(contract?.segments).toBeGreaterThanOrEqual(NESTING);
    const uri = uriOf('intervjuer/nastlad.md');
    const started = Date.now();
    const character = '**R70:** '.length + NESTING + 'kärnan'.length + 4;
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 4, character },
    });
    expect(JSON.stringify(hover?.contents)).toContain('Kontraktet reglerar');
    const symbols = await client.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri },
    });
    expect(symbols).toBeDefined();
    const folding = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    expect(folding).toBeDefined();
    const tokens = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    expect(tokens?.data.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports a duplicate theme heading on the codebook', async () => {
    const [duplicate] = await diagnosticsOf('codebook.md', 'duplicate-theme');
    expect(duplicate?.message).toContain('Kontraktet reglerar situationen och relationen');
  });

  it('keeps an open transcript deleted on disk until it is closed', async () => {
    const path = 'intervjuer/raderad.md';
    const uri = uriOf(path);
    const trust = async () => findTheme((await themeTree()).themes, '1.2')?.segments ?? 0;
    const unlisted = async () => (await themeTree()).unlistedCodes.map((c) => c.name);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'markdown', version: 1, text: deleted },
    });
    const open: Diagnostic[] = await diagnosticsOf(path, 'unknown-code');
    expect(open[0]?.message).toContain('#raderadkod');
    const before = await trust();
    expect(await unlisted()).toContain('raderadkod');

    await rm(join(dir, path));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri, type: FileChangeType.Deleted }],
    });
    // Longer than the server's debounce of its own file watcher and of its diagnostics.
    await new Promise((r) => setTimeout(r, 400));
    expect(client.pushed.get(uri)?.map((d) => d.code)).toContain('unknown-code');
    expect(await trust()).toBe(before);
    expect(await unlisted()).toContain('raderadkod');

    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, {
      textDocument: { uri },
    });
    await client.waitFor(() => (client.pushed.get(uri)?.length === 0 ? true : undefined));
    expect(await trust()).toBe(before - 2);
    expect(await unlisted()).not.toContain('raderadkod');
    expect((await themeTree()).project.transcripts).toBe(EXAMPLE_TRANSCRIPTS + 6);
  });

  it('is still alive, logged no error and answers afterwards', async () => {
    const tree = await themeTree();
    expect(tree.themes.map((t) => t.number)).toEqual(['1', '2', '3', '4']);
    const text = '---\nparticipant: R80\n---\n\n**R80:** [Jag litar på henne]{#för}\n';
    const uri = uriOf('intervjuer/sist.md');
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'markdown', version: 1, text },
    });
    const list = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 4, character: (text.split('\n')[4] ?? '').indexOf('{#för') + '{#för'.length },
    })) as CompletionList;
    expect(list.items.map((item) => item.label)).toContain('#förtroende');
    expect(client.process.exitCode).toBeNull();
    expect(client.process.signalCode).toBeNull();
    expect(client.logs.filter((log) => log.type === 1)).toEqual([]);
  });
});
