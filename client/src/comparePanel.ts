import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  type AgreementResult,
  type FromComparison,
  type ProjectInfo,
  Requests,
  type ToComparison,
} from '../../server/src/protocol';
import { request } from './requests';
import { webviewHtml } from './webviewHtml';

/**
 * Kodkarta: Compare Coders…: two or more coders' copies of a project, their agreement per code and
 * overall, and every unit they disagree on, with a click that opens each coder's version side by side.
 */
export async function compareCoders(context: vscode.ExtensionContext, client: LanguageClient): Promise<void> {
  const folders = await pickCoderFolders(client);
  if (!folders) return;
  const units = [
    { label: 'Speaker turns', description: 'default when transcripts have turns', unit: 'turn' },
    { label: 'Paragraphs', unit: 'paragraph' },
    { label: 'Characters', description: 'also compares where passages begin and end', unit: 'character' },
  ] as const;
  const unit = await vscode.window.showQuickPick(units, { title: 'Compare by…' });
  if (!unit) return;
  const result = await request<AgreementResult>(client, Requests.agreement, {
    coders: folders.map((folder) => folder.toString()),
    unit: unit.unit,
  });
  if (!result) return;
  show(context, result, folders);
}

/**
 * The coders' copies: picked among the projects of the workspace (the usual case: the copies sit side by
 * side, or are added as workspace folders), or chosen with a folder dialog.
 */
async function pickCoderFolders(client: LanguageClient): Promise<vscode.Uri[] | undefined> {
  const projects = (await request<ProjectInfo[]>(client, Requests.projects, {})) ?? [];
  const other = { label: '$(folder-opened) Other folders…', uri: undefined };
  const items = [
    ...projects.map((p) => ({
      label: vscode.workspace.asRelativePath(vscode.Uri.parse(p.uri)),
      description: p.title,
      uri: p.uri,
    })),
    other,
  ];
  const picked = await vscode.window.showQuickPick<{
    label: string;
    description?: string;
    uri: string | undefined;
  }>(items, {
    title: 'Kodkarta: Compare Coders… choose two or more coders’ copies of the project',
    canPickMany: true,
  });
  if (!picked || picked.length === 0) return undefined;
  const folders = picked.flatMap((item) => (item.uri ? [vscode.Uri.parse(item.uri)] : []));
  if (picked.includes(other)) {
    const chosen = await vscode.window.showOpenDialog({
      title: 'Choose coders’ copies of the project (folders that hold a codebook.md)',
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: true,
      openLabel: 'Compare',
    });
    folders.push(...(chosen ?? []));
  }
  if (folders.length < 2) {
    void vscode.window.showWarningMessage('Kodkarta: choose at least two coders’ copies to compare.');
    return undefined;
  }
  return folders;
}

function show(
  context: vscode.ExtensionContext,
  result: AgreementResult,
  folders: readonly vscode.Uri[],
): void {
  const root = vscode.Uri.joinPath(context.extensionUri, 'dist');
  const panel = vscode.window.createWebviewPanel(
    'kodkarta.compareCoders',
    'Kodkarta: Coders',
    vscode.ViewColumn.Active,
    {
      enableScripts: true,
      localResourceRoots: [root],
    },
  );
  const webview = panel.webview;
  webview.html = webviewHtml(webview, context.extensionUri, {
    script: 'compare.js',
    title: 'Kodkarta: Coders',
    label: 'Coder comparison',
  });
  const coders = folders.map((folder) => vscode.workspace.asRelativePath(folder));
  webview.onDidReceiveMessage(async (message: FromComparison) => {
    if (message.type === 'ready') {
      const reply: ToComparison = { type: 'result', result, coders };
      void webview.postMessage(reply);
      return;
    }
    // Each coder's version in a column of its own, the unit selected, in the columns after the
    // comparison's: opened over it, the list would vanish after the first click.
    const first = (panel.viewColumn ?? vscode.ViewColumn.One) + 1;
    for (const [i, place] of message.places.entries()) {
      const range = place.range
        ? new vscode.Range(
            place.range.start.line,
            place.range.start.character,
            place.range.end.line,
            place.range.end.character,
          )
        : undefined;
      await vscode.window.showTextDocument(vscode.Uri.parse(place.uri), {
        viewColumn: first + i,
        preview: false,
        ...(range ? { selection: range } : {}),
      });
    }
  });
}
