import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  type Codeline,
  type FromPanel,
  type MatrixResult,
  type PanelState,
  type PanelUpdate,
  type ProjectInfo,
  type QuotePage,
  Requests,
  type SequenceResult,
  type ThemeTreeResult,
  type ToPanel,
} from '../../server/src/protocol';
import { webviewHtml } from './webviewHtml';

/**
 * The theme panel's host side: it creates the webview with a strict content security policy, answers
 * the panel's requests from the language server, forwards index changes, and opens quotes in the editor.
 */
export class ThemePanel implements vscode.Disposable {
  static readonly viewType = 'kodkarta.themePanel';
  private panel: vscode.WebviewPanel | undefined;
  private pendingFocus: { project?: string; theme?: string; code?: string } | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
  ) {}

  async show(focus?: { project?: string; theme?: string; code?: string }): Promise<void> {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        ThemePanel.viewType,
        'Kodkarta: Themes',
        vscode.ViewColumn.Beside,
        {
          enableScripts: true,
          retainContextWhenHidden: true,
          localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist')],
        },
      );
      this.attach(panel, undefined);
    } else {
      this.panel.reveal(undefined, true);
    }
    if (focus) this.focus(focus);
  }

  /** Restores the panel after a reload with the state the webview saved. */
  serializer(): vscode.WebviewPanelSerializer<PanelState> {
    return {
      deserializeWebviewPanel: async (panel, state) => {
        panel.webview.options = {
          enableScripts: true,
          localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist')],
        };
        this.attach(panel, state);
      },
    };
  }

  indexChanged(project: string): void {
    this.post({ type: 'indexChanged', project });
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private focus(focus: { project?: string; theme?: string; code?: string }): void {
    if (this.ready) this.post({ type: 'focus', ...focus });
    else this.pendingFocus = focus;
  }

  private ready = false;

  private attach(panel: vscode.WebviewPanel, state: PanelState | undefined): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.html = webviewHtml(panel.webview, this.context.extensionUri, {
      script: 'webview.js',
      title: 'Kodkarta: Themes',
      label: 'Kodkarta theme panel',
      state: state ?? null,
    });
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    panel.webview.onDidReceiveMessage((message: FromPanel) => void this.handle(message));
  }

  private async handle(message: FromPanel): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        const projects = await this.request<ProjectInfo[]>(Requests.projects, {});
        this.post({ type: 'projects', projects: projects ?? [] });
        if (this.pendingFocus) {
          this.post({ type: 'focus', ...this.pendingFocus });
          this.pendingFocus = undefined;
        }
        return;
      }
      case 'loadThemeTree': {
        const result = await this.request<ThemeTreeResult | null>(Requests.themeTree, {
          project: message.project,
        });
        this.post({ type: 'themeTree', result: result ?? null });
        return;
      }
      case 'loadQuotes': {
        const page = await this.request<QuotePage>(Requests.quotes, {
          project: message.project,
          query: message.query,
        });
        this.post({
          type: 'quotes',
          requestId: message.requestId,
          page: page ?? { total: 0, offset: 0, items: [] },
        });
        return;
      }
      case 'loadMatrix': {
        const result = await this.request<MatrixResult | null>(Requests.matrix, { project: message.project });
        this.post({ type: 'matrix', result: result ?? null });
        return;
      }
      case 'loadUpdate': {
        const update = await this.request<PanelUpdate | null>(Requests.panelUpdate, {
          project: message.project,
          since: message.since,
        });
        this.post({ type: 'panelUpdate', update: update ?? null });
        return;
      }
      case 'loadCodeline': {
        const result = await this.request<Codeline | null>(Requests.codeline, { project: message.project });
        this.post({ type: 'codeline', result: result ?? null });
        return;
      }
      case 'querySequence': {
        const { a, b, within } = message;
        const result = await this.request<SequenceResult | null>(Requests.sequence, {
          project: message.project,
          a,
          b,
          within,
        });
        this.post({ type: 'sequence', result: result ?? null });
        return;
      }
      case 'openQuote': {
        const range = new vscode.Range(
          message.range.start.line,
          message.range.start.character,
          message.range.end.line,
          message.range.end.character,
        );
        const editor = await vscode.window.showTextDocument(vscode.Uri.parse(message.uri), {
          viewColumn: vscode.ViewColumn.One,
          selection: range,
        });
        editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        return;
      }
    }
  }

  private async request<T>(method: string, params: object): Promise<T | undefined> {
    try {
      return await this.client.sendRequest<T>(method, params);
    } catch (error) {
      this.client.outputChannel.appendLine(`Kodkarta panel: ${method} failed: ${String(error)}`);
      return undefined;
    }
  }

  private post(message: ToPanel): void {
    void this.panel?.webview.postMessage(message);
  }
}
