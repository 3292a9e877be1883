import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { serverExecArgv } from '../../server/src/launch';
import { type IndexChangedParams, Notifications } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { ThemePanel } from './panel';
import { StatusBar } from './statusBar';

let client: LanguageClient | undefined;

/**
 * Starts the Kodkarta language server over IPC and connects the commands, the status bar and the theme
 * panel to it. Everything the extension knows comes from the server; the client only presents it.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: serverExecArgv } },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: [...serverExecArgv, '--nolazy', '--inspect=6009'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'markdown' }],
    outputChannelName: 'Kodkarta',
    diagnosticPullOptions: { onChange: true, onSave: true, onFocus: true },
    // Where the server keeps its persisted index: the extension's storage, never the user's folders.
    initializationOptions: {
      storagePath: context.storageUri?.fsPath,
      globalStoragePath: context.globalStorageUri.fsPath,
    },
  };
  client = new LanguageClient('kodkarta', 'Kodkarta', serverOptions, clientOptions);
  const languageClient = client;

  const panel = new ThemePanel(context, languageClient);
  const statusBar = new StatusBar(languageClient);
  context.subscriptions.push(statusBar, panel);
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(ThemePanel.viewType, panel.serializer()),
  );
  registerCommands(context, languageClient, panel);

  context.subscriptions.push(
    languageClient.onNotification(Notifications.indexChanged, (params: IndexChangedParams) => {
      panel.indexChanged(params.project);
      void statusBar.refresh();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void statusBar.refresh()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('kodkarta.statusBar')) void statusBar.refresh();
    }),
  );
  await languageClient.start();
  await statusBar.refresh();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
