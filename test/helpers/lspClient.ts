import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import {
  type ClientCapabilities,
  createProtocolConnection,
  type Diagnostic,
  InitializeRequest,
  InitializedNotification,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

export const serverBundle = resolve(__dirname, '../../dist/server.js');

export interface TestClient {
  connection: ProtocolConnection;
  process: ChildProcess;
  /** Diagnostics pushed by the server, latest per URI. */
  pushed: Map<string, Diagnostic[]>;
  /** Resolves once `predicate` holds for the pushed diagnostics (polls every 20 ms). */
  waitFor<T>(check: () => T | undefined, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Starts `node dist/server.js --stdio` and initialises it as an LSP client would. `pull` decides whether
 * the client announces pull diagnostics, so both ways of delivering diagnostics can be tested.
 */
export async function startServer(
  workspaceUri: string,
  options: { pull?: boolean; capabilities?: ClientCapabilities } = {},
): Promise<TestClient> {
  const child = spawn(process.execPath, [serverBundle, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout = child.stdout;
  const stdin = child.stdin;
  if (!stdout || !stdin) throw new Error('server has no stdio');
  const connection = createProtocolConnection(new StreamMessageReader(stdout), new StreamMessageWriter(stdin));
  const pushed = new Map<string, Diagnostic[]>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
    pushed.set(params.uri, params.diagnostics);
  });
  connection.onRequest('workspace/applyEdit', () => ({ applied: true }));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
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
  await connection.sendNotification(InitializedNotification.type, {});

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
  return { connection, process: child, pushed, waitFor, stop };
}
