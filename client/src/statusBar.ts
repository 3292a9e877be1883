import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { type ProjectInfo, Requests } from '../../server/src/protocol';

/** "34 codes · 310 segments · 7 participants" for the project of the active editor; a click opens the panel. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'kodkarta.status',
    vscode.StatusBarAlignment.Left,
    10,
  );

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'Kodkarta';
    this.item.command = 'kodkarta.openPanel';
  }

  async refresh(): Promise<void> {
    if (!vscode.workspace.getConfiguration('kodkarta').get<boolean>('statusBar.enabled', true)) {
      this.item.hide();
      return;
    }
    if (!this.client.isRunning()) return;
    const projects = await this.client.sendRequest<ProjectInfo[]>(Requests.projects).catch(() => []);
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    const project =
      projects.find((p) => active?.startsWith(`${p.uri}/`)) ??
      (projects.length === 1 ? projects[0] : undefined);
    if (!project) {
      this.item.hide();
      return;
    }
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    this.item.text = `$(symbol-key) ${plural(project.codes, 'code')} · ${plural(project.segments, 'segment')} · ${plural(project.participants, 'participant')}`;
    this.item.tooltip = `${project.title}: ${plural(project.transcripts, 'transcript')}${project.indexing ? ' (indexing…)' : ''}. Click to open the theme panel.`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
