import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  type CheckResult,
  ClientCommands,
  type ExportResponse,
  type ImportResponse,
  Requests,
  ServerCommands,
  type ThemeNode,
  type ThemeTreeResult,
} from '../../server/src/protocol';
import { compareCoders, registerGitDocuments } from './comparePanel';
import type { ThemePanel } from './panel';
import { request } from './requests';

interface CodePick extends vscode.QuickPickItem {
  code: string;
}

export function registerCommands(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  panel: ThemePanel,
): void {
  const register = (id: string, run: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));

  register('kodkarta.openPanel', () => panel.show());

  register(ClientCommands.codeSelection, async (uri?: string, range?: vscode.Range) => {
    const editor = vscode.window.activeTextEditor;
    const target = uri ?? editor?.document.uri.toString();
    const selection = range ?? editor?.selection;
    if (
      !target ||
      !selection ||
      (selection.start.line === selection.end.line && selection.start.character === selection.end.character)
    ) {
      void vscode.window.showInformationMessage('Kodkarta: select the passage to code first.');
      return;
    }
    const code = await pickCode(client, target, 'Code the selection as… (type a new name to create a code)');
    if (!code) return;
    await client.sendRequest('workspace/executeCommand', {
      command: ServerCommands.codeSelection,
      arguments: [
        target,
        client.code2ProtocolConverter.asRange(new vscode.Range(selection.start, selection.end)),
        code,
      ],
    });
  });

  register(
    ClientCommands.showQuotes,
    async (target?: { project?: string; theme?: string; code?: string }) => {
      if (target?.theme || target?.code) {
        await panel.show(target);
        return;
      }
      const document = vscode.window.activeTextEditor?.document.uri.toString();
      const code = await pickCode(client, document, 'Show the quotes of code…', false);
      if (code) await panel.show({ code });
    },
  );

  register(ClientCommands.mergeCodeInto, async (project: string, from: string) => {
    const into = await pickCode(client, undefined, `Merge #${from} into…`, true, project, from);
    if (!into) return;
    await client.sendRequest('workspace/executeCommand', {
      command: ServerCommands.mergeCode,
      arguments: [project, from, into],
    });
  });

  register('kodkarta.checkProject', async () => {
    const document = vscode.window.activeTextEditor?.document.uri.toString();
    const result = await client.sendRequest<CheckResult | null>(Requests.check, document ? { document } : {});
    if (!result) {
      void vscode.window.showWarningMessage(
        'Kodkarta: no project here. A project is a folder that holds codebook.md.',
      );
      return;
    }
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const summary = `${result.errors} errors, ${result.warnings} warnings, ${result.notes} notes in ${result.files} files`;
    void vscode.window.showInformationMessage(`Kodkarta: ${summary}.`);
  });

  register('kodkarta.export', async () => {
    const formats = [
      {
        label: 'Results report (Markdown)',
        description: 'theme table, then quotes with attribution',
        format: 'md',
      },
      { label: 'Results report (HTML)', description: 'the same as a standalone page', format: 'html' },
      { label: 'Codings (CSV)', description: 'one row per coding, for spreadsheets', format: 'csv' },
      {
        label: 'Codebook (REFI-QDA .qdc)',
        description: 'for NVivo, ATLAS.ti, MAXQDA, QualCoder',
        format: 'qdc',
      },
      {
        label: 'Project (REFI-QDA .qdpx)',
        description: 'transcripts, codings, cases and notes',
        format: 'qdpx',
      },
    ] as const;
    const choice = await vscode.window.showQuickPick(formats, { title: 'Kodkarta: Export…' });
    if (!choice) return;
    const document = vscode.window.activeTextEditor?.document.uri.toString();
    const result = await request<ExportResponse>(client, Requests.export, {
      format: choice.format,
      ...(document ? { document } : {}),
    });
    if (!result) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, result.fileName) } : {}),
      filters: { [choice.label]: [choice.format] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(result.base64, 'base64'));
    if (choice.format === 'md' || choice.format === 'csv') await vscode.window.showTextDocument(target);
    showWarnings(`Exported ${vscode.workspace.asRelativePath(target)}`, result.warnings);
  });

  register('kodkarta.import', async () => {
    const [file] =
      (await vscode.window.showOpenDialog({
        title: 'Import a REFI-QDA project or codebook',
        canSelectMany: false,
        filters: { 'REFI-QDA': ['qdpx', 'qde', 'qdc'] },
      })) ?? [];
    if (!file) return;
    // Until the import is done or given up: a folder with files of the same names is refused unless
    // the user chooses to overwrite them; the safe answer, another folder, is the default button.
    let result: ImportResponse | undefined;
    let into: vscode.Uri | undefined;
    while (!result) {
      [into] =
        (await vscode.window.showOpenDialog({
          title: 'Folder for the new Kodkarta project',
          canSelectFolders: true,
          canSelectFiles: false,
          openLabel: 'Import here',
        })) ?? [];
      if (!into) return;
      const params = { file: file.toString(), into: into.toString() };
      const first = await client.sendRequest<ImportResponse>(Requests.import, params).then(
        (response) => ({ response }),
        (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
      );
      if ('response' in first) {
        result = first.response;
        break;
      }
      // A refused import wrote nothing. The Overwrite button, not the command line's --force that
      // the server's message suggests.
      const existing = /already exist/i.test(first.error);
      const anotherFolder = 'Choose Another Folder…';
      const answer = await vscode.window.showWarningMessage(
        `Kodkarta: ${first.error.replace(/; use --force to overwrite$/, '')}`,
        { modal: true },
        ...(existing ? [anotherFolder, 'Overwrite'] : []),
      );
      if (answer === anotherFolder) continue;
      if (answer !== 'Overwrite') return;
      result = await request<ImportResponse>(client, Requests.import, { ...params, force: true });
      if (!result) return;
    }
    const codebook = result.files.find((f) => f.endsWith('/codebook.md'));
    if (codebook) await vscode.window.showTextDocument(vscode.Uri.parse(codebook));
    showWarnings(`Imported ${result.files.length} files into ${into?.fsPath}`, result.warnings);
  });

  register('kodkarta.walkthrough.createCodebook', () => createStarterFile('codebook.md', starterCodebook));
  register('kodkarta.walkthrough.createTranscript', () =>
    createStarterFile('transcripts/participant-1.md', starterTranscript),
  );

  register('kodkarta.compareCoders', () => compareCoders(context, client));
  context.subscriptions.push(registerGitDocuments(client));

  register('kodkarta.restartServer', async () => {
    await client.restart();
    void vscode.window.showInformationMessage('Kodkarta: the language server was restarted.');
  });
}

/**
 * A quick pick of the project's codes, most used first, with their themes. Typing a name that is not
 * in the list offers it as a new code, so coding is never limited to the codebook.
 */
async function pickCode(
  client: LanguageClient,
  document: string | undefined,
  title: string,
  allowNew = true,
  project?: string,
  exclude?: string,
): Promise<string | undefined> {
  const params = project ? { project } : document ? { document } : {};
  const tree = await client.sendRequest<ThemeTreeResult | null>(Requests.themeTree, params);
  const items: CodePick[] = [];
  const visit = (themes: ThemeNode[]) => {
    for (const theme of themes) {
      for (const code of theme.codes) {
        items.push({
          label: `#${code.name}`,
          description: `${theme.number} ${theme.name}`,
          detail: `${code.segments} segments · ${code.participants} participants${code.definition ? ` — ${code.definition}` : ''}`,
          code: code.name,
        });
      }
      visit(theme.children);
    }
  };
  visit(tree?.themes ?? []);
  for (const code of tree?.unlistedCodes ?? []) {
    items.push({
      label: `#${code.name}`,
      description: 'not in the codebook',
      detail: `${code.segments} segments`,
      code: code.name,
    });
  }
  const choices = items.filter((item) => item.code !== exclude);
  const quickPick = vscode.window.createQuickPick<CodePick>();
  quickPick.title = title;
  quickPick.placeholder = 'Type to filter codes';
  quickPick.matchOnDescription = true;
  quickPick.items = choices;
  if (allowNew) {
    quickPick.onDidChangeValue((value) => {
      const name = value.trim().replace(/^#/, '').normalize('NFC');
      const exists = choices.some((item) => item.code === name);
      quickPick.items =
        name && !exists && /^[\p{L}\p{N}\p{M}_\-/]+$/u.test(name)
          ? [{ label: `#${name}`, description: 'new code', code: name, alwaysShow: true }, ...choices]
          : choices;
    });
  }
  return new Promise((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]?.code);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}

const starterCodebook = `---
title: My study
min_participants: 2
transcripts: transcripts/*.md
---

# 1 A main theme

What belongs to this theme, and what does not.

## 1.1 A subtheme

- #first-code: What the code means.
- #second-code: Another code.
`;

const starterTranscript = `---
participant: P1
label: Participant 1
attributes:
  profession: psychologist
---

**I:** How do you agree on the frame with a new patient?

**P1:** We go through the times and the fee in the first session [paus] and then it holds us both.
`;

/** Creates a file of the walkthrough in the first workspace folder, never overwriting one that exists. */
async function createStarterFile(path: string, text: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    void vscode.window.showWarningMessage('Kodkarta: open a folder first (File > Open Folder…).');
    return;
  }
  const target = vscode.Uri.joinPath(folder, path);
  const exists = await vscode.workspace.fs.stat(target).then(
    () => true,
    () => false,
  );
  if (!exists) await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(target);
}

/** What an export or import could not carry over is shown, never dropped silently. */
function showWarnings(done: string, warnings: string[]): void {
  if (warnings.length === 0) {
    void vscode.window.showInformationMessage(`Kodkarta: ${done}.`);
    return;
  }
  const channel = vscode.window.createOutputChannel('Kodkarta: interchange');
  channel.appendLine(`${done}. What could not be carried over:`);
  for (const warning of warnings) channel.appendLine(`- ${warning}`);
  void vscode.window
    .showWarningMessage(
      `Kodkarta: ${done}, with ${warnings.length} notes on what could not be carried over.`,
      'Show',
    )
    .then((answer) => {
      if (answer === 'Show') channel.show();
    });
}
