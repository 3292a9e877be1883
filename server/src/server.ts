import { watch } from 'node:fs';
import {
  CodeActionKind,
  createConnection,
  type Diagnostic,
  DidChangeWatchedFilesNotification,
  type InitializeParams,
  type InitializeResult,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { projectFindings } from './core/analyses/findings';
import { report } from './core/analyses/report';
import { codableSelection, codeActions, codeSelectionEdits } from './language/codeActions';
import { codeLenses } from './language/codeLens';
import { completeCodes } from './language/completion';
import { documentDiagnostics } from './language/diagnostics';
import { type FileEdits, readNewCodeName } from './language/edits';
import { foldingRanges } from './language/folding';
import { hover } from './language/hover';
import { definition, documentHighlights, references } from './language/navigation';
import { matrixResult, projectInfo, quotePage, themeTreeResult } from './language/panel';
import { prepareRename, type RenameResult, rename, renameCode } from './language/rename';
import { semanticTokens, semanticTokensLegend } from './language/semanticTokens';
import { documentSymbols, workspaceSymbols } from './language/symbols';
import { filePath } from './node/loadProject';
import { type Project, Workspace } from './node/workspace';
import {
  type CheckResult,
  type IndexChangedParams,
  Notifications,
  type ProjectParams,
  type QuotesParams,
  type ReportParams,
  Requests,
  ServerCommands,
} from './protocol';

/** Edits arriving within this time are answered with one round of diagnostics. */
const DIAGNOSTICS_DELAY_MS = 50;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const pendingChanges = new Map<Project, Set<string>>();
const published = new Set<string>();
let flushTimer: NodeJS.Timeout | undefined;
let pullDiagnostics = false;
let changeAnnotations = false;
let dynamicWatchers = false;
let progressSupport = false;
let folderEvents = false;
let workspaceFolders: string[] = [];

const workspace = new Workspace((project, uris) => {
  const pending = pendingChanges.get(project) ?? new Set<string>();
  pendingChanges.set(project, pending);
  for (const uri of uris) pending.add(uri);
  if (!flushTimer) flushTimer = setTimeout(flushChanges, DIAGNOSTICS_DELAY_MS);
});

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const capabilities = params.capabilities;
  pullDiagnostics = capabilities.textDocument?.diagnostic !== undefined;
  changeAnnotations = capabilities.workspace?.workspaceEdit?.changeAnnotationSupport !== undefined;
  dynamicWatchers = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  progressSupport = capabilities.window?.workDoneProgress === true;
  folderEvents = capabilities.workspace?.workspaceFolders === true;
  workspaceFolders =
    params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['#', '{', ' ', '<'] },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      foldingRangeProvider: true,
      codeLensProvider: { resolveProvider: false },
      semanticTokensProvider: { legend: semanticTokensLegend, full: true },
      executeCommandProvider: { commands: Object.values(ServerCommands) },
      ...(pullDiagnostics
        ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: true } }
        : {}),
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: {
      name: 'kodkarta',
      version: typeof KODKARTA_VERSION === 'string' ? KODKARTA_VERSION : 'development',
    },
  };
});

connection.onInitialized(async () => {
  if (dynamicWatchers) {
    await connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.md' }],
    });
  } else {
    for (const folder of workspaceFolders) watchFolder(folder);
  }
  if (folderEvents) {
    connection.workspace.onDidChangeWorkspaceFolders(async (event) => {
      for (const folder of event.removed) workspace.removeFolder(folder.uri);
      for (const folder of event.added) await addFolder(folder.uri);
    });
  }
  await Promise.all(workspaceFolders.map(addFolder));
});

async function addFolder(uri: string): Promise<void> {
  try {
    await workspace.addFolder(uri, progressSupport ? indexingProgress : undefined);
  } catch (error) {
    connection.console.error(`Kodkarta could not read ${uri}: ${String(error)}`);
  }
}

function indexingProgress() {
  const progress = connection.window.createWorkDoneProgress();
  void progress.then((p) => p.begin('Kodkarta: indexing transcripts', 0, undefined, false));
  return {
    report: (done: number, total: number) =>
      void progress.then((p) => p.report(Math.round((done / total) * 100), `${done} of ${total} files`)),
    done: () => void progress.then((p) => p.done()),
  };
}

/** Clients that cannot watch files for us (e.g. Neovim 0.7) get the server's own watcher. */
function watchFolder(folderUri: string): void {
  const timers = new Map<string, NodeJS.Timeout>();
  try {
    const watcher = watch(filePath(folderUri), { recursive: true }, (_event, name) => {
      if (!name?.toString().endsWith('.md')) return;
      const uri = `${folderUri.replace(/\/+$/, '')}/${name
        .toString()
        .split('/')
        .map((part) => encodeURIComponent(part))
        .join('/')}`;
      clearTimeout(timers.get(uri));
      timers.set(
        uri,
        setTimeout(() => {
          timers.delete(uri);
          void workspace.fileChanged(uri);
        }, 100),
      );
    });
    watcher.on('error', (error) =>
      connection.console.warn(`Kodkarta stopped watching ${folderUri}: ${String(error)}`),
    );
  } catch (error) {
    connection.console.warn(`Kodkarta cannot watch ${folderUri} for changes: ${String(error)}`);
  }
}

connection.onDidChangeWatchedFiles(async (params) => {
  for (const change of params.changes) await workspace.fileChanged(change.uri);
});

documents.onDidChangeContent((event) => workspace.openOrChange(event.document.uri, event.document.getText()));
documents.onDidClose((event) => void workspace.close(event.document.uri));

function flushChanges(): void {
  flushTimer = undefined;
  const changes = [...pendingChanges];
  pendingChanges.clear();
  for (const [project, uris] of changes) {
    if (project.indexing) continue;
    const notice: IndexChangedParams = { project: project.index.rootUri, version: project.index.version };
    void connection.sendNotification(Notifications.indexChanged, notice);
    if (!pullDiagnostics) publishDiagnostics(project, uris);
  }
  if (pullDiagnostics && changes.length > 0) connection.languages.diagnostics.refresh();
}

/** Push diagnostics: the changed files and the codebook, or every file when the codebook changed. */
function publishDiagnostics(project: Project, changed: Set<string>): void {
  const index = project.index;
  const codebookUri = index.codebook?.uri;
  const uris = new Set(changed);
  if (codebookUri) uris.add(codebookUri);
  if (codebookUri && changed.has(codebookUri)) for (const t of index.transcripts()) uris.add(t.uri);
  if (!workspace.projects.includes(project)) {
    for (const uri of published) if (index.relativePath(uri) !== undefined) sendDiagnostics(uri, []);
    return;
  }
  for (const uri of uris) sendDiagnostics(uri, diagnosticsFor(project, uri));
}

function sendDiagnostics(uri: string, diagnostics: Diagnostic[]): void {
  if (diagnostics.length === 0 && !published.has(uri)) return;
  if (diagnostics.length === 0) published.delete(uri);
  else published.add(uri);
  void connection.sendDiagnostics({ uri, diagnostics });
}

function diagnosticsFor(project: Project, uri: string): Diagnostic[] {
  if (project.indexing && uri === project.index.codebook?.uri) return [];
  return documentDiagnostics(project.index, uri, project.fileFindings.get(uri));
}

connection.languages.diagnostics.on((params) => {
  const project = workspace.projectFor(params.textDocument.uri);
  return { kind: 'full', items: project ? diagnosticsFor(project, params.textDocument.uri) : [] };
});

/**
 * Diagnostics of the files that are not open. The result id is the project's index version, so a client
 * that asks again (VS Code does every few seconds) gets "unchanged" until something really changed.
 */
connection.languages.diagnostics.onWorkspace((params): WorkspaceDiagnosticReport => {
  const previous = new Map(params.previousResultIds.map((r) => [r.uri, r.value]));
  const items = workspace.projects.flatMap((project): WorkspaceDocumentDiagnosticReport[] => {
    if (project.indexing) return [];
    const resultId = String(project.index.version);
    const uris = [project.index.codebook?.uri, ...project.index.transcripts().map((t) => t.uri)];
    return uris.flatMap((uri): WorkspaceDocumentDiagnosticReport[] => {
      if (!uri || documents.get(uri)) return [];
      if (previous.get(uri) === resultId)
        return [{ kind: 'unchanged' as const, uri, version: null, resultId }];
      return [{ kind: 'full' as const, uri, version: null, resultId, items: diagnosticsFor(project, uri) }];
    });
  });
  return { items };
});

/** Runs a feature for the document's project, or answers `fallback` when the file is in none. */
function inProject<T>(uri: string, fallback: T, feature: (project: Project) => T): T {
  const project = workspace.projectFor(uri);
  return project ? feature(project) : fallback;
}

connection.onCompletion((params) =>
  inProject(params.textDocument.uri, null, (p) =>
    completeCodes(p.index, params.textDocument.uri, params.position),
  ),
);
connection.onHover((params) =>
  inProject(
    params.textDocument.uri,
    null,
    (p) => hover(p.index, params.textDocument.uri, params.position) ?? null,
  ),
);
connection.onDefinition((params) =>
  inProject(params.textDocument.uri, [], (p) =>
    definition(p.index, params.textDocument.uri, params.position),
  ),
);
connection.onReferences((params) =>
  inProject(params.textDocument.uri, [], (p) =>
    references(p.index, params.textDocument.uri, params.position, params.context.includeDeclaration),
  ),
);
connection.onDocumentHighlight((params) =>
  inProject(params.textDocument.uri, [], (p) =>
    documentHighlights(p.index, params.textDocument.uri, params.position),
  ),
);
connection.onPrepareRename((params) =>
  inProject(params.textDocument.uri, null, (p) => {
    const result = prepareRename(p.index, params.textDocument.uri, params.position);
    if ('error' in result) throw new ResponseError(0, result.error);
    return result;
  }),
);
connection.onRenameRequest((params) =>
  inProject(params.textDocument.uri, null, (p) => {
    const result = rename(p.index, params.textDocument.uri, params.position, params.newName);
    if ('error' in result) throw new ResponseError(0, result.error);
    return workspaceEdit(result);
  }),
);
connection.onCodeAction((params) =>
  inProject(params.textDocument.uri, [], (p) =>
    codeActions(p.index, {
      uri: params.textDocument.uri,
      range: params.range,
      diagnostics: params.context.diagnostics,
    }),
  ),
);
connection.onDocumentSymbol((params) =>
  inProject(params.textDocument.uri, [], (p) => documentSymbols(p.index, params.textDocument.uri)),
);
connection.onWorkspaceSymbol((params) =>
  workspaceSymbols(
    workspace.projects.map((p) => p.index),
    params.query,
  ),
);
connection.onFoldingRanges((params) =>
  inProject(params.textDocument.uri, [], (p) => foldingRanges(p.index, params.textDocument.uri)),
);
connection.onCodeLens((params) =>
  inProject(params.textDocument.uri, [], (p) => codeLenses(p.index, params.textDocument.uri)),
);
connection.languages.semanticTokens.on((params) =>
  inProject(params.textDocument.uri, { data: [] }, (p) => semanticTokens(p.index, params.textDocument.uri)),
);

connection.onExecuteCommand(async (params) => {
  const args = params.arguments ?? [];
  if (params.command === ServerCommands.codeSelection) {
    const [uri, range, code] = args as [
      string,
      { start: { line: number; character: number }; end: { line: number; character: number } },
      string,
    ];
    const transcript = workspace.projectFor(uri)?.index.transcript(uri);
    if (!transcript) throw new ResponseError(0, 'Only passages of a transcript can be coded.');
    const lines = transcript.lines;
    const selection = codableSelection(transcript, {
      start: lines.offsetAt(range.start),
      end: lines.offsetAt(range.end),
    });
    if (!selection) throw new ResponseError(0, 'Select the text to code, outside any tag.');
    const parsed = readNewCodeName(code);
    if ('error' in parsed) throw new ResponseError(0, `Cannot code as #${code}: ${parsed.error}.`);
    const name = parsed.name;
    await connection.workspace.applyEdit({
      label: `Code as #${name}`,
      edit: { changes: { [uri]: codeSelectionEdits(transcript, selection, name) } },
    });
    return;
  }
  if (params.command === ServerCommands.mergeCode) {
    const [projectUri, from, into] = args as [string, string, string];
    const project = workspace.project(projectUri);
    if (!project) throw new ResponseError(0, `No Kodkarta project at ${projectUri}.`);
    const result = renameCode(project.index, from, into);
    if ('error' in result) throw new ResponseError(0, result.error);
    await connection.workspace.applyEdit({
      label: `Merge #${from} into #${into}`,
      edit: workspaceEdit(result),
    });
  }
});

/** A rename's edits; a merge is labelled and, where the client can, needs the user's confirmation. */
function workspaceEdit(result: RenameResult): WorkspaceEdit {
  const merge = result.merge;
  if (!merge) return { changes: Object.fromEntries(result.edits) };
  const description = `#${merge.from} and #${merge.into} become one code: every #${merge.from} is renamed, and its codebook entry becomes an alias of #${merge.into}.`;
  if (!changeAnnotations) {
    void connection.window.showInformationMessage(`Kodkarta: ${description}`);
    return { changes: Object.fromEntries(result.edits) };
  }
  const annotation = 'merge';
  return {
    changeAnnotations: {
      [annotation]: {
        label: `Merge #${merge.from} into #${merge.into}`,
        needsConfirmation: true,
        description,
      },
    },
    documentChanges: [...(result.edits as FileEdits)].map(([uri, edits]) => ({
      textDocument: { uri, version: documents.get(uri)?.version ?? null },
      edits: edits.map((edit) => ({ ...edit, annotationId: annotation })),
    })),
  };
}

function requestedProject(params: ProjectParams | undefined): Project | undefined {
  return params?.document ? workspace.projectFor(params.document) : workspace.project(params?.project);
}

connection.onRequest(Requests.projects, () =>
  workspace.projects.map((p) => projectInfo(p.index, p.indexing)),
);
connection.onRequest(Requests.themeTree, (params: ProjectParams) => {
  const project = requestedProject(params);
  return project ? themeTreeResult(project.index, project.indexing) : null;
});
connection.onRequest(Requests.quotes, (params: QuotesParams) => {
  const project = requestedProject(params);
  return project ? quotePage(project.index, params.query ?? {}) : { total: 0, offset: 0, items: [] };
});
connection.onRequest(Requests.matrix, (params: ProjectParams) => {
  const project = requestedProject(params);
  return project ? matrixResult(project.index) : null;
});
connection.onRequest(Requests.check, (params: ProjectParams): CheckResult | null => {
  const project = requestedProject(params);
  if (!project) return null;
  const findings = [...[...project.fileFindings.values()].flat(), ...projectFindings(project.index)];
  const count = (severity: string) => findings.filter((f) => f.severity === severity).length;
  return {
    errors: count('error'),
    warnings: count('warning'),
    notes: findings.length - count('error') - count('warning'),
    files: new Set(findings.map((f) => f.uri)).size,
  };
});
connection.onRequest(Requests.report, (params: ReportParams) => {
  const project = requestedProject(params);
  return project ? report(project.index, params.format === 'json' ? 'json' : 'md') : null;
});

process.on('uncaughtException', (error) =>
  connection.console.error(`Kodkarta: ${error.stack ?? String(error)}`),
);

documents.listen(connection);
connection.listen();

declare const KODKARTA_VERSION: string | undefined;
