import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  CodeActionKind,
  createConnection,
  type Diagnostic,
  DidChangeWatchedFilesNotification,
  type InitializeParams,
  type InitializeResult,
  ProposedFeatures,
  ResponseError,
  TextDocumentContentChangeEvent,
  TextDocumentSyncKind,
  TextDocuments,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type AgreementResult, codeline, sequence } from './core/agreement';
import { projectFindings } from './core/analyses/findings';
import { InterchangeError } from './core/interchange';
import type { ProjectIndex } from './core/projectIndex';
import type { TextEdit } from './core/transcript';
import { codableSelection, codeActions, codeSelectionEdits } from './language/codeActions';
import { codeLenses } from './language/codeLens';
import { type CompletionOptions, completeCodes, resolveCompletion } from './language/completion';
import { DiagnosticsCache } from './language/diagnostics';
import { type FileEdits, readNewCodeName } from './language/edits';
import { foldingRanges } from './language/folding';
import { hover } from './language/hover';
import { definition, documentHighlights, references } from './language/navigation';
import { matrixResult, panelUpdate, projectInfo, quotePage, themeTreeResult } from './language/panel';
import { prepareRename, type RenameResult, rename, renameCode } from './language/rename';
import { semanticTokens, semanticTokensLegend } from './language/semanticTokens';
import { documentSymbols, workspaceSymbols } from './language/symbols';
import { FolderWatcher } from './node/folderWatcher';
import { readFileAtCommit } from './node/gitProject';
import { filePath, fileUri, ProjectLoadError } from './node/loadProject';
import { Pacer } from './node/pacer';
import { agreementForEditor, exportForEditor, gitRefsForEditor, importForEditor } from './node/studyRequests';
import { type Project, Workspace } from './node/workspace';
import {
  type AgreementParams,
  type CheckResult,
  type CodelineParams,
  type ExportParams,
  type GitFileParams,
  type ImportParams,
  type IndexChangedParams,
  Notifications,
  type PanelUpdateParams,
  type ProjectParams,
  type QuotesParams,
  Requests,
  type SequenceParams,
  ServerCommands,
} from './protocol';

/** Edits arriving within this time are answered with one round of diagnostics. */
const DIAGNOSTICS_DELAY_MS = 10;
/**
 * The panel and the status bar hear of changes at most this often: the first change after a quiet spell
 * at once (with the diagnostics' delay), later ones at this pace while typing goes on. What they ask
 * then is small (`kodkarta/panelUpdate`), so the pace can be quick.
 */
const INDEX_CHANGED_INTERVAL_MS = 50;
/** The codebook's diagnostics (counts, unused codes) and pulling clients follow at a slower pace. */
const PROJECT_DIAGNOSTICS_INTERVAL_MS = 150;
/** Longest stretch of diagnostics work before the server answers other messages. */
const SLICE_MS = 8;

const connection = createConnection(ProposedFeatures.all);
/** The last change of each document as offsets into its previous text, when a single change made it. */
const lastEdits = new Map<string, { version: number; edit: TextEdit }>();
const documents = new TextDocuments<TextDocument>({
  create: TextDocument.create,
  update: (document, changes, version) => {
    const change = changes.length === 1 ? changes[0] : undefined;
    if (change && TextDocumentContentChangeEvent.isIncremental(change)) {
      const start = document.offsetAt(change.range.start);
      const end = document.offsetAt(change.range.end);
      lastEdits.set(document.uri, { version, edit: { start, end, text: change.text } });
    } else lastEdits.delete(document.uri);
    return TextDocument.update(document, changes, version);
  },
});
const pendingChanges = new Map<Project, Set<string>>();
/** Projects whose panel and status bar have not heard of their latest change. */
const pendingNotices = new Set<Project>();
/** Projects whose codebook diagnostics (or pulling clients) have not followed their latest change. */
const pendingProjectDiagnostics = new Set<Project>();
/** The key of the diagnostics last pushed for each document (see `DiagnosticsCache`). */
const published = new Map<string, string>();
const diagnosticsCaches = new WeakMap<Project, DiagnosticsCache>();
let flushTimer: NodeJS.Timeout | undefined;
let pullDiagnostics = false;
let changeAnnotations = false;
let dynamicWatchers = false;
let progressSupport = false;
let folderEvents = false;
let workspaceFolders: string[] = [];
/** What the client can take to make completion lists small: one edit range for all, documentation later. */
let completionOptions: CompletionOptions = {};

const workspace = new Workspace((project, uris) => {
  const pending = pendingChanges.get(project) ?? new Set<string>();
  pendingChanges.set(project, pending);
  for (const uri of uris) pending.add(uri);
  pendingNotices.add(project);
  pendingProjectDiagnostics.add(project);
  if (!flushTimer) flushTimer = setTimeout(flushChanges, DIAGNOSTICS_DELAY_MS);
  notices.request();
  projectDiagnostics.request();
});
const notices = new Pacer(DIAGNOSTICS_DELAY_MS, INDEX_CHANGED_INTERVAL_MS, sendNotices);
const projectDiagnostics = new Pacer(
  DIAGNOSTICS_DELAY_MS,
  PROJECT_DIAGNOSTICS_INTERVAL_MS,
  followProjectDiagnostics,
);

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const capabilities = params.capabilities;
  pullDiagnostics = capabilities.textDocument?.diagnostic !== undefined;
  changeAnnotations = capabilities.workspace?.workspaceEdit?.changeAnnotationSupport !== undefined;
  dynamicWatchers = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  progressSupport = capabilities.window?.workDoneProgress === true;
  folderEvents = capabilities.workspace?.workspaceFolders === true;
  const completion = capabilities.textDocument?.completion;
  completionOptions = {
    editRangeDefault: completion?.completionList?.itemDefaults?.includes('editRange') === true,
    resolveDocumentation:
      completion?.completionItem?.resolveSupport?.properties.includes('documentation') === true,
    resolveDetail: completion?.completionItem?.resolveSupport?.properties.includes('detail') === true,
    dataDefault: completion?.completionList?.itemDefaults?.includes('data') === true,
  };
  workspaceFolders =
    params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  // The editor's storage for the extension holds the persisted index; without one, nothing is persisted.
  const options = (params.initializationOptions ?? {}) as {
    storagePath?: unknown;
    globalStoragePath?: unknown;
  };
  const storage = [options.storagePath, options.globalStoragePath].find(
    (p) => typeof p === 'string' && p !== '',
  );
  // Large projects are read in worker threads, from the bundle next to this one.
  const worker = join(__dirname, 'indexWorker.js');
  workspace.options = {
    ...(typeof storage === 'string' ? { storageDir: storage } : {}),
    ...(existsSync(worker) ? { indexWorker: worker } : {}),
    log: (message) => connection.console.log(message),
  };
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['#', '{', ' ', '<'], resolveProvider: true },
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

/** Settles when the workspace folders the editor started with have been searched and indexed. */
let startupIndexed = () => {};
const startupIndexing = new Promise<void>((resolve) => {
  startupIndexed = resolve;
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
  startupIndexed();
});

/** Projects whose indexing was reported in the log. */
const reported = new WeakSet<Project>();

async function addFolder(uri: string): Promise<void> {
  try {
    await workspace.addFolder(uri, progressSupport ? indexingProgress : undefined);
    for (const project of workspace.projects) {
      if (project.indexing || reported.has(project)) continue;
      reported.add(project);
      const { files, fromCache, ms } = project.stats;
      connection.console.log(
        `Kodkarta indexed ${project.index.rootUri}: ${files} files, ${fromCache} from the persisted index, in ${Math.round(ms)} ms`,
      );
    }
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

/**
 * Clients that cannot watch files for the server (Neovim on Linux) get its own watcher; a file's reports
 * within 100 ms of each other are taken as one.
 */
function watchFolder(folderUri: string): void {
  const timers = new Map<string, NodeJS.Timeout>();
  new FolderWatcher(
    filePath(folderUri),
    (path) => {
      const uri = fileUri(path);
      clearTimeout(timers.get(uri));
      timers.set(
        uri,
        setTimeout(() => {
          timers.delete(uri);
          void workspace.fileChanged(uri);
        }, 100),
      );
    },
    (error) => connection.console.warn(`Kodkarta cannot watch a folder of ${folderUri}: ${String(error)}`),
  );
}

connection.onDidChangeWatchedFiles(async (params) => {
  for (const change of params.changes) await workspace.fileChanged(change.uri);
});

documents.onDidChangeContent((event) => {
  const { uri, version } = event.document;
  const recorded = lastEdits.get(uri);
  lastEdits.delete(uri);
  // One edit tells the index which lines to parse again; otherwise the whole text is parsed.
  workspace.openOrChange(
    uri,
    event.document.getText(),
    recorded?.version === version ? recorded.edit : undefined,
  );
});
documents.onDidClose((event) => void workspace.close(event.document.uri));

/** Diagnostics of the changed documents, soon after the change (push clients only). */
function flushChanges(): void {
  flushTimer = undefined;
  const changes = [...pendingChanges];
  pendingChanges.clear();
  if (pullDiagnostics) return;
  for (const [project, uris] of changes) {
    if (project.indexing) continue;
    void publishDiagnostics(project, uris, false);
  }
}

/** Takes the projects that are done indexing out of a pending set; the others wait for their turn. */
function takeIndexed(pending: Set<Project>): Project[] {
  const ready = [...pending].filter((project) => !project.indexing);
  for (const project of ready) pending.delete(project);
  return ready;
}

/** The panel and status bar hear of changes. */
function sendNotices(): void {
  for (const project of takeIndexed(pendingNotices)) {
    const notice: IndexChangedParams = { project: project.index.rootUri, version: project.index.version };
    void connection.sendNotification(Notifications.indexChanged, notice);
  }
  // Projects still indexing are asked again: their notice follows the indexing.
  if (pendingNotices.size > 0) notices.request();
}

/**
 * The codebook's findings (counts, unused codes, overlapping themes) follow at this pace, not with every
 * keystroke in a transcript, and only when they changed; pulling clients are asked to pull again.
 */
function followProjectDiagnostics(): void {
  const projects = takeIndexed(pendingProjectDiagnostics);
  if (pendingProjectDiagnostics.size > 0) projectDiagnostics.request();
  if (pullDiagnostics) {
    if (projects.length > 0) connection.languages.diagnostics.refresh();
    return;
  }
  for (const project of projects) void publishDiagnostics(project, new Set(), true);
}

/**
 * Push diagnostics: the changed files (with the codebook, if asked), or every file when the codebook
 * changed. Only diagnostics that changed are sent, and the work is done in slices so that the server
 * keeps answering.
 */
async function publishDiagnostics(
  project: Project,
  changed: Set<string>,
  withCodebook: boolean,
): Promise<void> {
  const index = project.index;
  const codebookUri = index.codebook?.uri;
  const uris = new Set(changed);
  if (codebookUri && withCodebook) uris.add(codebookUri);
  if (codebookUri && changed.has(codebookUri)) for (const uri of index.transcriptUris()) uris.add(uri);
  if (!workspace.projects.includes(project)) {
    for (const uri of [...published.keys()])
      if (index.relativePath(uri) !== undefined) sendDiagnostics(uri, [], '');
    return;
  }
  let sliceStart = performance.now();
  for (const uri of uris) {
    if (!workspace.projects.includes(project)) return;
    const { key, diagnostics } = diagnosticsFor(project, uri);
    sendDiagnostics(uri, diagnostics, key);
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
}

function sendDiagnostics(uri: string, diagnostics: Diagnostic[], key: string): void {
  const before = published.get(uri);
  if (before === key && key !== '') return;
  if (diagnostics.length === 0 && before === undefined) return;
  if (diagnostics.length === 0) published.delete(uri);
  else published.set(uri, key);
  const version = documents.get(uri)?.version;
  void connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics });
}

function diagnosticsFor(project: Project, uri: string): { key: string; diagnostics: Diagnostic[] } {
  if (project.indexing && uri === project.index.codebook?.uri) return { key: 'indexing', diagnostics: [] };
  let cache = diagnosticsCaches.get(project);
  if (!cache) {
    cache = new DiagnosticsCache(project.index);
    diagnosticsCaches.set(project, cache);
  }
  return cache.get(uri, project.fileFindings.get(uri));
}

connection.languages.diagnostics.on((params) => {
  const project = workspace.projectFor(params.textDocument.uri);
  if (!project) return { kind: 'full', items: [] };
  const { key, diagnostics } = diagnosticsFor(project, params.textDocument.uri);
  if (params.previousResultId === key) return { kind: 'unchanged', resultId: key };
  return { kind: 'full', resultId: key, items: diagnostics };
});

/**
 * Diagnostics of the files that are not open. Each file's result id changes only when its diagnostics
 * may have, so a client that asks again (VS Code does after every change) gets "unchanged" for the rest.
 */
connection.languages.diagnostics.onWorkspace(async (params): Promise<WorkspaceDiagnosticReport> => {
  const previous = new Map(params.previousResultIds.map((r) => [r.uri, r.value]));
  const items: WorkspaceDocumentDiagnosticReport[] = [];
  let sliceStart = performance.now();
  for (const project of workspace.projects) {
    if (project.indexing) continue;
    const uris = [project.index.codebook?.uri, ...project.index.transcriptUris()];
    for (const uri of uris) {
      if (!uri || documents.get(uri)) continue;
      const cache = diagnosticsCaches.get(project) ?? new DiagnosticsCache(project.index);
      diagnosticsCaches.set(project, cache);
      const resultId = cache.key(uri, project.fileFindings.get(uri));
      if (previous.get(uri) === resultId) {
        items.push({ kind: 'unchanged', uri, version: null, resultId });
      } else {
        items.push({
          kind: 'full',
          uri,
          version: null,
          resultId,
          items: diagnosticsFor(project, uri).diagnostics,
        });
      }
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }
  return { items };
});

/** Runs a feature for the document's project, or answers `fallback` when the file is in none. */
function inProject<T>(uri: string, fallback: T, feature: (project: Project) => T): T {
  const project = workspace.projectFor(uri);
  return project ? feature(project) : fallback;
}

connection.onCompletion((params) =>
  inProject(params.textDocument.uri, null, (p) =>
    completeCodes(p.index, params.textDocument.uri, params.position, {
      ...completionOptions,
      countsSettling: p.indexing,
    }),
  ),
);
connection.onCompletionResolve((item) => {
  const project = workspace.project((item.data as { project?: string } | undefined)?.project);
  return project ? resolveCompletion(project.index, item) : item;
});
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
  inProject(params.textDocument.uri, null, async (p) => {
    // Files found changed on disk while the edits are made are read anew, and the edits made again.
    const result = await workspace.withFilesSettled(() =>
      rename(p.index, params.textDocument.uri, params.position, params.newName),
    );
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
    const result = await workspace.withFilesSettled(() => renameCode(project.index, from, into));
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
connection.onRequest(Requests.panelUpdate, (params: PanelUpdateParams) => {
  const project = requestedProject(params);
  return project ? panelUpdate(project.index, project.indexing, params.since) : null;
});
connection.onRequest(Requests.export, (params: ExportParams) => {
  const project = requestedProject(params);
  if (!project)
    throw new ResponseError(
      0,
      'No Kodkarta project to export: a project is a folder that holds codebook.md.',
    );
  return studyRequest(() => exportForEditor(project.index, params.format));
});
connection.onRequest(Requests.import, (params: ImportParams) =>
  studyRequest(() => importForEditor(params.file, params.into, params.force === true)),
);
connection.onRequest<AgreementResult, unknown>(Requests.agreement, (params: AgreementParams) =>
  studyRequest(() =>
    agreementForEditor(
      { ...params, project: params.project ?? workspace.project(undefined)?.index.rootUri },
      indexed,
    ),
  ),
);
connection.onRequest(Requests.gitRefs, (params: ProjectParams) =>
  studyRequest(() => gitRefsForEditor(requestedProject(params)?.index.rootUri ?? params.project)),
);
connection.onRequest(Requests.gitFile, (params: GitFileParams) =>
  studyRequest(() => readFileAtCommit(filePath(params.uri), params.commit)),
);

/**
 * A workspace project's index once every file has been read: a comparison needs all of them. Asked
 * before the workspace folders were searched, it waits for that rather than take the folder for no project.
 */
async function indexed(rootUri: string): Promise<ProjectIndex | undefined> {
  await startupIndexing;
  const project = workspace.project(rootUri);
  await project?.indexed;
  return project && workspace.projects.includes(project) ? project.index : undefined;
}
connection.onRequest(Requests.codeline, (params: CodelineParams) => {
  const project = requestedProject(params);
  return project ? codeline(project.index, params.uri ? { uri: params.uri } : {}) : null;
});
connection.onRequest(Requests.sequence, (params: SequenceParams) => {
  const project = requestedProject(params);
  return project
    ? sequence(codeline(project.index), { a: params.a, b: params.b, within: params.within })
    : null;
});

/** Runs an export, import or comparison; problems with the user's files come back as readable errors. */
async function studyRequest<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InterchangeError || error instanceof ProjectLoadError)
      throw new ResponseError(0, error.message);
    throw error;
  }
}

// The persisted index is written a little after changes; on the way out it is written at once.
connection.onShutdown(() => workspace.flush());

process.on('uncaughtException', (error) =>
  connection.console.error(`Kodkarta: ${error.stack ?? String(error)}`),
);

documents.listen(connection);
connection.listen();

declare const KODKARTA_VERSION: string | undefined;
