import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  type AgreementParams,
  type AgreementResult,
  type FromComparison,
  type GitRef,
  type ProjectInfo,
  Requests,
  type ToComparison,
} from '../../server/src/protocol';
import { request } from './requests';
import { webviewHtml } from './webviewHtml';

/**
 * Kodkarta: Compare Coders…: two or more coders' copies of a project (folders, or the project on git
 * branches), their agreement per code and overall, and every unit they disagree on, with a click that
 * opens each coder's version side by side.
 */
export async function compareCoders(context: vscode.ExtensionContext, client: LanguageClient): Promise<void> {
  const copies = await pickCopies(client);
  if (!copies) return;
  const units = [
    { label: 'Speaker turns', description: 'default when transcripts have turns', unit: 'turn' },
    { label: 'Paragraphs', unit: 'paragraph' },
    { label: 'Characters', description: 'also compares where passages begin and end', unit: 'character' },
  ] as const;
  const unit = await vscode.window.showQuickPick(units, { title: 'Compare by…' });
  if (!unit) return;
  const params: AgreementParams = { ...copies.params, unit: unit.unit };
  const result = await request<AgreementResult>(client, Requests.agreement, params);
  if (!result) return;
  show(context, result, copies.names);
}

/** What to compare: the request's coders (folders) or refs, and the names the view gives them. */
interface Copies {
  params: AgreementParams;
  names: string[];
}

interface CopyItem extends vscode.QuickPickItem {
  uri?: string;
}

/**
 * The coders' copies: picked among the projects of the workspace (the usual case: the copies sit side by
 * side, or are added as workspace folders), chosen with a folder dialog, or one project on git branches.
 */
async function pickCopies(client: LanguageClient): Promise<Copies | undefined> {
  const projects = (await request<ProjectInfo[]>(client, Requests.projects, {})) ?? [];
  const other: CopyItem = { label: '$(folder-opened) Other folders…' };
  const git: CopyItem = {
    label: '$(git-branch) Compare git branches…',
    description: 'one project on two or more branches, tags or commits',
  };
  const items: CopyItem[] = [
    ...projects.map((p) => ({ label: projectLabel(p.uri), description: p.title, uri: p.uri })),
    other,
    git,
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Kodkarta: Compare Coders… choose two or more coders’ copies of the project',
    canPickMany: true,
  });
  if (!picked || picked.length === 0) return undefined;
  const checked = picked.flatMap((item) => (item.uri ? [item.uri] : []));
  if (picked.includes(git)) return pickRefs(client, projects, checked);
  const folders = checked.map((uri) => vscode.Uri.parse(uri));
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
  return {
    params: { coders: folders.map((folder) => folder.toString()) },
    names: folders.map((folder) => vscode.workspace.asRelativePath(folder)),
  };
}

/**
 * One project at two or more git refs: the project checked beside "Compare git branches…" (or the only
 * one), then its repository's branches and tags, or any commit typed in.
 */
async function pickRefs(
  client: LanguageClient,
  projects: readonly ProjectInfo[],
  checked: readonly string[],
): Promise<Copies | undefined> {
  const project =
    checked.length === 1
      ? checked[0]
      : projects.length === 1
        ? projects[0]?.uri
        : await pickProject(projects);
  if (!project) return undefined;
  const refs = await request<GitRef[]>(client, Requests.gitRefs, { project });
  if (!refs) return undefined;
  const kinds = { branch: 'branch', remote: 'remote branch', tag: 'tag' } as const;
  const typed: vscode.QuickPickItem = {
    label: '$(git-commit) Another commit…',
    description: 'a commit hash, or a ref such as koder-a~1',
  };
  const items = refs.map((ref) => ({
    label: ref.name,
    description: `${kinds[ref.kind]} · ${ref.commit.slice(0, 7)}${ref.head ? ' · checked out' : ''}`,
    detail: ref.subject,
    ref: ref.name,
  }));
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { ref?: string }>(
    [...items, typed],
    {
      title: `Kodkarta: Compare Coders… choose two or more branches or tags of ${projectLabel(project)}`,
      canPickMany: true,
      matchOnDescription: true,
    },
  );
  if (!picked || picked.length === 0) return undefined;
  const chosen = picked.flatMap((item) => (item.ref ? [item.ref] : []));
  if (picked.includes(typed)) {
    const commit = await vscode.window.showInputBox({
      title: 'Kodkarta: Compare Coders… another commit',
      prompt: 'A commit hash, or a ref such as koder-a~1, HEAD or origin/koder-b',
    });
    if (commit?.trim()) chosen.push(commit.trim());
  }
  if (chosen.length < 2) {
    void vscode.window.showWarningMessage(
      'Kodkarta: choose at least two branches, tags or commits to compare.',
    );
    return undefined;
  }
  return { params: { refs: chosen, project }, names: chosen };
}

async function pickProject(projects: readonly ProjectInfo[]): Promise<string | undefined> {
  if (projects.length === 0) {
    void vscode.window.showWarningMessage(
      'Kodkarta: no project in the workspace (a folder with a codebook.md).',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    projects.map((p) => ({ label: projectLabel(p.uri), description: p.title, uri: p.uri })),
    { title: 'Kodkarta: Compare Coders… which project’s branches?' },
  );
  return picked?.uri;
}

function projectLabel(uri: string): string {
  return vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
}

/** Documents of this scheme are a file as it is at a commit: read through the server, read-only. */
const gitScheme = 'kodkarta-git';

/** What a `kodkarta-git:` URI carries besides the file's path. */
interface GitQuery {
  /** The ref as the comparison names it, for the editor's title (package.json's label formatter). */
  ref: string;
  commit: string;
}

export function registerGitDocuments(client: LanguageClient): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(gitScheme, {
    provideTextDocumentContent: (uri) => {
      const { commit } = JSON.parse(uri.query) as GitQuery;
      return client.sendRequest<string>(Requests.gitFile, {
        uri: uri.with({ scheme: 'file', query: '' }).toString(),
        commit,
      });
    },
  });
}

/** The working tree's file as it is at the commit. */
function gitUri(file: vscode.Uri, ref: string, commit: string): vscode.Uri {
  // The title shows the basename of the formatted label: a slash in the ref would cut it short.
  const query: GitQuery = { ref: ref.replaceAll('/', '∕'), commit };
  return file.with({ scheme: gitScheme, query: JSON.stringify(query) });
}

function show(context: vscode.ExtensionContext, result: AgreementResult, coders: string[]): void {
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
      // A coder compared at a git ref gets that version of the file, read-only.
      const coder = result.coders.find((c) => c.name === place.coder);
      const file = vscode.Uri.parse(place.uri);
      await vscode.window.showTextDocument(coder?.ref ? gitUri(file, coder.name, coder.ref) : file, {
        viewColumn: first + i,
        preview: false,
        ...(range ? { selection: range } : {}),
      });
    }
  });
}
