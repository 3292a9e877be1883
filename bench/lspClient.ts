import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol/node';
import { serverExecArgv } from '../server/src/launch';

/**
 * The real language server (`dist/server.js --stdio`) driven the way an editor drives it, with the hooks
 * the benchmarks need: when indexing ended (work done progress), every diagnostics push as it arrives,
 * the server's log, and the process for memory and CPU figures.
 */
export interface BenchServer {
  connection: ProtocolConnection;
  process: ChildProcess;
  /** When the server was spawned (performance.now()). */
  spawnedAt: number;
  /** Resolves when the first indexing progress ends, with the time it ended. */
  indexed: Promise<number>;
  logs: string[];
  /** Calls `listener` with every diagnostics push; returns a function that stops it. */
  onDiagnostics(listener: (params: PublishDiagnosticsParams) => void): () => void;
  stop(): Promise<void>;
}

export async function startServer(
  serverPath: string,
  workspaceUri: string,
  options: { storagePath?: string } = {},
): Promise<BenchServer> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...serverExecArgv, serverPath, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  if (!child.stdout || !child.stdin) throw new Error('server has no stdio');
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const listeners = new Set<(params: PublishDiagnosticsParams) => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    for (const listener of listeners) listener(params);
  });
  const logs: string[] = [];
  connection.onNotification(LogMessageNotification.type, (params) => {
    logs.push(params.message);
  });
  connection.onRequest('workspace/applyEdit', () => ({ applied: true }));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  let resolveIndexed: (at: number) => void = () => {};
  const indexed = new Promise<number>((resolve) => {
    resolveIndexed = resolve;
  });
  connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    connection.onProgress(WorkDoneProgress.type, token, (value) => {
      if (value.kind === 'end') resolveIndexed(performance.now());
    });
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: workspaceUri,
    workspaceFolders: [{ uri: workspaceUri, name: 'bench' }],
    capabilities: {
      window: { workDoneProgress: true },
      // What VS Code announces for completion: one edit range for all items, documentation resolved later.
      textDocument: {
        completion: {
          completionItem: {
            snippetSupport: false,
            resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
          },
          completionList: {
            itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'],
          },
        },
      },
      // As VS Code: file changes come from the editor's watcher, registered by the server.
      workspace: {
        workspaceEdit: { documentChanges: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
      },
    },
    initializationOptions: options.storagePath ? { storagePath: options.storagePath } : {},
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    process: child,
    spawnedAt,
    indexed,
    logs,
    onDiagnostics(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
        await connection.sendNotification('exit');
      } catch {
        // Gone already: killing it below is enough.
      }
      await new Promise((r) => setTimeout(r, 50));
      connection.dispose();
      child.kill();
    },
  };
}

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
export function processMemory(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** CPU time a process has used so far (user + system), in ms (Linux /proc). */
export function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of the whole line; after "pid (comm) " they are 12th and 13th.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100;
  } catch {
    return undefined;
  }
}
