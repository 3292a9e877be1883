import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import {
  type ClientCapabilities,
  createProtocolConnection,
  type Diagnostic,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  type LogMessageParams,
  type ProgressToken,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentItem,
  WorkDoneProgress,
  type WorkDoneProgressBegin,
  WorkDoneProgressCreateRequest,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';

export const serverBundle = resolve(__dirname, '../../dist/server.js');

export interface TestClient {
  connection: ProtocolConnection;
  process: ChildProcess;
  /** Diagnostics pushed by the server, latest per URI. */
  pushed: Map<string, Diagnostic[]>;
  /** Each token the server created with `window/workDoneProgress/create`, with the `$/progress` values sent for it. */
  progress: {
    token: ProgressToken;
    values: (WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd)[];
  }[];
  /** `window/logMessage` notifications, in order: where the server reports errors it survived. */
  logs: LogMessageParams[];
  /** Resolves once `predicate` holds for the pushed diagnostics (polls every 20 ms). */
  waitFor<T>(check: () => T | undefined, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Starts `node dist/server.js --stdio` and initialises it as an LSP client would. `pull` decides whether
 * the client announces pull diagnostics, so both ways of delivering diagnostics can be tested. `open`
 * documents are opened together with `initialized`, before the server has found any project.
 */
export async function startServer(
  workspaceUri: string,
  options: { pull?: boolean; capabilities?: ClientCapabilities; open?: TextDocumentItem[] } = {},
): Promise<TestClient> {
  const child = spawn(process.execPath, [serverBundle, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout = child.stdout;
  const stdin = child.stdin;
  if (!stdout || !stdin) throw new Error('server has no stdio');
  const connection = createProtocolConnection(
    new StreamMessageReader(stdout),
    new StreamMessageWriter(stdin),
  );
  const pushed = new Map<string, Diagnostic[]>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
    pushed.set(params.uri, params.diagnostics);
  });
  connection.onRequest('workspace/applyEdit', () => ({ applied: true }));
  connection.onRequest('client/registerCapability', () => null);
  const progress: TestClient['progress'] = [];
  connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    const values: TestClient['progress'][number]['values'] = [];
    progress.push({ token, values });
    connection.onProgress(WorkDoneProgress.type, token, (value) => {
      values.push(value);
    });
  });
  const logs: LogMessageParams[] = [];
  connection.onNotification(LogMessageNotification.type, (params) => {
    logs.push(params);
  });
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.listen();
  const capabilities: ClientCapabilities = options.capabilities ?? {
    textDocument: {
      ...(options.pull ? { diagnostic: { dynamicRegistration: false } } : {}),
      rename: { prepareSupport: true },
      completion: { completionItem: { snippetSupport: false } },
    },
    workspace: { workspaceEdit: { documentChanges: true } },
  };
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: workspaceUri,
    workspaceFolders: [{ uri: workspaceUri, name: 'test' }],
    capabilities,
  });
  // Documents open at startup go out in the same breath as `initialized`, as Neovim sends them.
  await Promise.all([
    connection.sendNotification(InitializedNotification.type, {}),
    ...(options.open ?? []).map((textDocument) =>
      connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument }),
    ),
  ]);

  const waitFor = async <T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out waiting for the server');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const stop = async () => {
    try {
      await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 1000))]);
      await connection.sendNotification('exit');
    } catch {
      // The server may already be gone; killing it below is enough.
    }
    connection.dispose();
    child.kill();
  };
  return { connection, process: child, pushed, progress, logs, waitFor, stop };
}
