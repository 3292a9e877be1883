import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CodeAction,
  CodeActionRequest,
  type CompletionList,
  CompletionRequest,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  FileChangeType,
  HoverRequest,
  type Location,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  type TextEdit,
  WorkspaceDiagnosticRequest,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { Requests, type ThemeTreeResult } from '../../server/src/protocol';
import { startServer, type TestClient } from '../helpers/lspClient';
import { temporaryDirs } from '../helpers/project';
import { applyEdits } from '../helpers/workspace';

const example = resolve(__dirname, '../../examples/alliance-study');
const temporary = temporaryDirs('kodkarta-stdio-');

function editsOf(edit: WorkspaceEdit): Map<string, TextEdit[]> {
  const map = new Map<string, TextEdit[]>(Object.entries(edit.changes ?? {}));
  for (const change of edit.documentChanges ?? []) {
    if ('textDocument' in change) map.set(change.textDocument.uri, change.edits as TextEdit[]);
  }
  return map;
}

describe('the language server over stdio', () => {
  let dir: string;
  let client: TestClient;
  const uriOf = (path: string) => URI.file(join(dir, path)).toString();

  beforeAll(async () => {
    dir = temporary.copyOf(example);
    client = await startServer(URI.file(dir).toString());
  });
  afterAll(async () => {
    await client?.stop();
  });

  async function open(path: string, text?: string): Promise<string> {
    const uri = uriOf(path);
    const content = text ?? (await readFile(join(dir, path), 'utf8'));
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'markdown', version: 1, text: content },
    });
    return uri;
  }

  it('answers the theme tree of the example study once it has indexed it', async () => {
    let answer: ThemeTreeResult | null = null;
    for (let i = 0; i < 100 && (!answer || answer.project.indexing); i++) {
      answer = await client.connection.sendRequest<ThemeTreeResult | null>(Requests.themeTree, {});
      if (!answer || answer.project.indexing) await new Promise((r) => setTimeout(r, 50));
    }
    expect(answer?.themes.map((t) => t.number)).toEqual(['1', '2', '3']);
    expect(answer?.project.transcripts).toBe(7);
    expect(answer?.themes[0]?.children).toHaveLength(7);
  });

  it('pushes a diagnostic for a misspelt code typed into an open transcript', async () => {
    const path = 'intervjuer/respondent-1.md';
    const original = await readFile(join(dir, path), 'utf8');
    const uri = await open(path, original);
    const typo = `${original}\n**R1:** [Det här är nytt]{#förtroendee}\n`;
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: typo }],
    });
    const diagnostics = await client.waitFor(() => {
      const found = client.pushed.get(uri)?.filter((d) => d.code === 'misspelt-code');
      return found && found.length > 0 ? found : undefined;
    });
    expect(diagnostics[0]?.message).toContain('#förtroende');
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text: original }],
    });
    await client.waitFor(() => ((client.pushed.get(uri) ?? []).length === 0 ? true : undefined));
  });

  it('completes {#för with #förtroende', async () => {
    const text = '---\nparticipant: R9\n---\n\n**R9:** [Jag litar på henne]{#för\n';
    const uri = await open('intervjuer/ny.md', text);
    const list = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 4, character: text.split('\n')[4]?.length ?? 0 },
    })) as CompletionList;
    const labels = list.items.map((item) => item.label);
    expect(labels).toContain('#förtroende');
    const item = list.items.find((i) => i.label === '#förtroende');
    expect(item?.detail).toContain('1.2 Förtroende');
  });

  it('hovers, goes to the definition and finds every reference of a code', async () => {
    const path = 'intervjuer/respondent-2.md';
    const text = await readFile(join(dir, path), 'utf8');
    const uri = await open(path, text);
    const offset = text.indexOf('{#kontrakt') + 3;
    const before = text.slice(0, offset).split('\n');
    const position = { line: before.length - 1, character: before[before.length - 1]?.length ?? 0 };
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    expect(JSON.stringify(hover?.contents)).toContain('Kontraktet reglerar');
    const definition = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri },
      position,
    })) as Location[];
    expect(definition).toHaveLength(1);
    expect(definition[0]?.uri).toBe(uriOf('codebook.md'));
    const references = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri },
      position,
      context: { includeDeclaration: true },
    })) as Location[];
    const files = new Set(references.map((r) => r.uri));
    expect(files.has(uriOf('codebook.md'))).toBe(true);
    expect(files.size).toBeGreaterThanOrEqual(8);
  });

  it('renames a code across every file and touches nothing outside tags', async () => {
    const path = 'intervjuer/respondent-3.md';
    const text = await readFile(join(dir, path), 'utf8');
    const uri = await open(path, text);
    const offset = text.indexOf('{#ramar>}') + 3;
    const before = text.slice(0, offset).split('\n');
    const position = { line: before.length - 1, character: before[before.length - 1]?.length ?? 0 };
    const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, {
      textDocument: { uri },
      position,
    });
    expect(prepared && 'placeholder' in prepared ? prepared.placeholder : undefined).toBe('ramar');
    const edit = await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri },
      position,
      newName: 'ramen',
    });
    expect(edit).toBeTruthy();
    const changes = editsOf(edit as WorkspaceEdit);
    expect(changes.size).toBe(8);
    for (const [fileUri, edits] of changes) {
      const file = URI.parse(fileUri).fsPath;
      const original = await readFile(file, 'utf8');
      const renamed = applyEdits(original, edits);
      expect(renamed).not.toContain('#ramar');
      expect(renamed.replaceAll('#ramen', '#ramar')).toBe(original);
    }
  });

  it('offers to add an unknown code to the codebook', async () => {
    const text = '---\nparticipant: R9\n---\n\n**R9:** [Jag litar på henne]{#tillit}\n';
    const uri = await open('intervjuer/ny.md', text);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 5 },
      contentChanges: [{ text }],
    });
    const diagnostic = await client.waitFor(() =>
      client.pushed.get(uri)?.find((d) => d.code === 'unknown-code'),
    );
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    })) as CodeAction[];
    const add = actions.find((a) => a.title.includes('under 1.2 '));
    expect(add?.title).toBe(
      'Add #tillit to the codebook under 1.2 Förtroende är en förutsättning för delgivande',
    );
    const codebookUri = uriOf('codebook.md');
    const codebook = await readFile(join(dir, 'codebook.md'), 'utf8');
    const updated = applyEdits(codebook, editsOf(add?.edit ?? {}).get(codebookUri) ?? []);
    expect(updated).toContain(
      '- #delgivande: Att våga berätta om svåra känslor, misstag eller det som ännu inte är formulerat.\n- #tillit:\n',
    );
  });

  it('follows files created on disk', async () => {
    const path = join(dir, 'intervjuer', 'respondent-8.md');
    await writeFile(path, '---\nparticipant: R8\n---\n\n**R8:** [Ny fil]{#helt-ny-kod}\n');
    const uri = URI.file(path).toString();
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri, type: FileChangeType.Created }],
    });
    const diagnostics = await client.waitFor(() => client.pushed.get(uri));
    expect(diagnostics.map((d) => d.code)).toContain('unknown-code');
  });

  it('watches the disk itself for a client that cannot', async () => {
    // This client registers no watcher and sends no notification: the server's own watcher sees the file.
    const path = join(dir, 'intervjuer', 'respondent-9.md');
    await writeFile(path, '---\nparticipant: R9\n---\n\n**R9:** [Utan anmälan]{#ännu-en-ny-kod}\n');
    const uri = URI.file(path).toString();
    const diagnostics = await client.waitFor(() => client.pushed.get(uri));
    expect(diagnostics.map((d) => d.code)).toContain('unknown-code');
  });
});

describe('pull diagnostics', () => {
  it('answers textDocument/diagnostic for clients that pull', async () => {
    const dir = temporary.empty();
    await writeFile(join(dir, 'codebook.md'), '# 1 Tema\n\n- #kod: En kod.\n');
    await writeFile(join(dir, 'r1.md'), '---\nparticipant: R1\n---\n\n[text]{#kdo} [trasig]{kod}\n');
    const client = await startServer(URI.file(dir).toString(), { pull: true });
    try {
      const uri = URI.file(join(dir, 'r1.md')).toString();
      let items: { code?: string | number }[] = [];
      for (let i = 0; i < 100 && items.length < 2; i++) {
        const result = await client.connection.sendRequest(DocumentDiagnosticRequest.type, {
          textDocument: { uri },
        });
        items = 'items' in result ? result.items : [];
        if (items.length < 2) await new Promise((r) => setTimeout(r, 50));
      }
      expect(items.map((d) => d.code).sort()).toEqual(['malformed-tag', 'misspelt-code']);
      expect(client.pushed.size).toBe(0);

      // Workspace diagnostics: everything once, then "unchanged" until something changes.
      const first = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, {
        previousResultIds: [],
      });
      const report = first.items.find((item) => item.uri === uri);
      expect(report?.kind).toBe('full');
      const again = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, {
        previousResultIds: first.items.map((item) => ({ uri: item.uri, value: item.resultId ?? '' })),
      });
      expect(again.items.map((item) => item.kind)).toEqual(first.items.map(() => 'unchanged'));
    } finally {
      await client.stop();
    }
  });
});

describe('documents opened before the project is indexed', () => {
  it('count with their open text and get their diagnostics, as Neovim opens a file right away', async () => {
    const dir = temporary.empty();
    await writeFile(join(dir, 'codebook.md'), '# 1 Tema\n\n- #kod: En kod.\n');
    await writeFile(join(dir, 'r1.md'), '---\nparticipant: R1\n---\n\n[text]{#kod}\n');
    const uri = URI.file(join(dir, 'r1.md')).toString();
    const text = '---\nparticipant: R1\n---\n\n[text]{#okänd}\n';
    const codebook = URI.file(join(dir, 'codebook.md')).toString();
    // A new file, not saved yet: it exists only in the editor.
    const unsaved = URI.file(join(dir, 'r2.md')).toString();
    const client = await startServer(URI.file(dir).toString(), {
      open: [
        { uri, languageId: 'markdown', version: 1, text },
        { uri: unsaved, languageId: 'markdown', version: 1, text: '[ny]{#ny-kod}\n' },
        // The codebook as edited in the editor lists #ny-kod; on disk it does not.
        {
          uri: codebook,
          languageId: 'markdown',
          version: 1,
          text: '# 1 Tema\n\n- #kod: En kod.\n- #ny-kod: Ny.\n',
        },
      ],
    });
    try {
      const diagnostics = await client.waitFor(() => client.pushed.get(uri));
      expect(diagnostics.map((d) => d.code)).toEqual(['unknown-code']);
      const fresh = await client.waitFor(() => client.pushed.get(unsaved));
      expect(fresh.map((d) => d.code)).toEqual(['missing-participant']);
    } finally {
      await client.stop();
    }
  });
});
