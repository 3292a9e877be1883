import '@vscode-elements/elements/dist/vscode-tree/index.js';
import '@vscode-elements/elements/dist/vscode-tree-item/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import type {
  MatrixResult,
  PanelState,
  PanelUpdate,
  ProjectInfo,
  QuotePage,
  ThemeTreeResult,
  ToPanel,
} from '../../server/src/protocol';
import { CodelineView } from './codeline';
import { el, plural } from './dom';
import { loadState, onMessage, saveState, send } from './host';
import { renderCodes, renderMatrix } from './matrix';
import { affectsQuotes, applyPanelUpdate, shownVersion } from './panelData';
import { ThemesView } from './themes';

const tabs: PanelState['tab'][] = ['themes', 'matrix', 'codes', 'codeline'];
const state = loadState();
const save = () => saveState(state);
let projects: ProjectInfo[] = [];
let matrix: MatrixResult | null = null;
let nextRequest = 1;
const quoteHandlers = new Map<number, (page: QuotePage) => void>();

const summary = el('p', { className: 'summary', attrs: { 'aria-live': 'polite' } });
const projectSelect = el('select', { attrs: { 'aria-label': 'Project' }, className: 'project-select' });
const themesView = new ThemesView({
  state,
  save,
  loadQuotes(query, handle) {
    const requestId = nextRequest++;
    quoteHandlers.set(requestId, handle);
    send({ type: 'loadQuotes', requestId, ...project(), query });
  },
  openQuote(quote) {
    send({ type: 'openQuote', uri: quote.uri, range: quote.range });
  },
});
const codelineView = new CodelineView({
  querySequence(a, b, within) {
    send({ type: 'querySequence', ...project(), a, b, within });
  },
  openRange(uri, range) {
    send({ type: 'openQuote', uri, range });
  },
});
const matrixPanel = el('div', { className: 'matrix-panel' });
const codesPanel = el('div', { className: 'codes-panel' });

function project(): { project?: string } {
  return state.project ? { project: state.project } : {};
}

function build(): void {
  const tabBar = document.createElement('vscode-tabs');
  tabBar.selectedIndex = Math.max(0, tabs.indexOf(state.tab));
  const labels = ['Themes', 'Participants × themes', 'Codes', 'Codeline'];
  const panels = [themesView.element, matrixPanel, codesPanel, codelineView.element];
  labels.forEach((label, i) => {
    const header = document.createElement('vscode-tab-header');
    header.slot = 'header';
    header.textContent = label;
    const panel = document.createElement('vscode-tab-panel');
    panel.append(panels[i] ?? '');
    tabBar.append(header, panel);
  });
  tabBar.addEventListener('vsc-tabs-select', (event) => {
    state.tab = tabs[event.detail.selectedIndex] ?? 'themes';
    save();
    if (state.tab === 'codeline') send({ type: 'loadCodeline', ...project() });
    drawMatrix();
  });
  projectSelect.addEventListener('change', () => {
    state.project = projectSelect.value;
    state.selection = undefined;
    save();
    forget();
    reload();
  });
  const header = el('header', { className: 'panel-header' }, [projectSelect, summary]);
  document.getElementById('app')?.replaceChildren(header, tabBar);
}

/**
 * The panel shows a theme tree and a matrix of one index version. After an edit it asks only for what
 * changed since then (`kodkarta/panelUpdate`: a few numbers, however large the project) and reloads
 * both whole only when the update cannot say (the codebook changed, transcripts came or went).
 * Answers still awaited hold back further requests: edits meanwhile ask for one more, not one each.
 */
let awaiting = 0;
let next: 'none' | 'update' | 'reload' = 'none';

function reload(): void {
  if (awaiting > 0) {
    next = 'reload';
    return;
  }
  awaiting = 2;
  send({ type: 'loadThemeTree', ...project() });
  send({ type: 'loadMatrix', ...project() });
  // The codeline is only fetched while its tab is shown: it is the largest answer of all.
  if (state.tab === 'codeline') send({ type: 'loadCodeline', ...project() });
}

function update(): void {
  const since = shownVersion(lastTree, matrix);
  if (since === undefined) {
    reload();
    return;
  }
  if (awaiting > 0) {
    if (next === 'none') next = 'update';
    return;
  }
  awaiting = 1;
  send({ type: 'loadUpdate', ...project(), since });
  if (state.tab === 'codeline') send({ type: 'loadCodeline', ...project() });
}

function answered(): void {
  awaiting = Math.max(0, awaiting - 1);
  if (awaiting > 0 || next === 'none') return;
  const then = next;
  next = 'none';
  if (then === 'reload') reload();
  else update();
}

/** The matrix and code tabs are drawn when shown: at 2,000 participants the matrix is a large table. */
let matrixDrawn = false;

function drawMatrix(): void {
  if (!matrix || matrixDrawn || (state.tab !== 'matrix' && state.tab !== 'codes')) return;
  matrixPanel.replaceChildren(renderMatrix(matrix, selectTheme));
  codesPanel.replaceChildren(renderCodes(matrix, selectCode));
  matrixDrawn = true;
}

function applyUpdate(update: PanelUpdate | null): void {
  const applied =
    update !== null &&
    lastTree !== null &&
    matrix !== null &&
    update.project.uri === lastTree.project.uri &&
    applyPanelUpdate(lastTree, matrix, update);
  if (!applied || !lastTree || !matrix || !update) {
    next = 'reload';
    answered();
    return;
  }
  answered();
  showSummary(lastTree);
  if (update.themes.length > 0 || update.codes.length > 0) themesView.showTree(lastTree, matrix.participants);
  if (update.matrixRows.length > 0 || update.codes.length > 0 || update.cooccurrence) {
    matrixDrawn = false;
    drawMatrix();
  }
  if (affectsQuotes(update, state, themesView.listedTranscripts())) themesView.refreshQuotes();
  markShown();
}

/**
 * A performance mark each time new numbers are on screen: the end-to-end tests read it to report how
 * long an edit takes to reach the panel. Only the latest marks are kept.
 */
function markShown(): void {
  if (performance.getEntriesByName(SHOWN_MARK).length >= 50) performance.clearMarks(SHOWN_MARK);
  performance.mark(SHOWN_MARK);
}
const SHOWN_MARK = 'kodkarta-panel-shown';

function showSummary(result: ThemeTreeResult): void {
  const info = result.project;
  summary.textContent = `${info.title}: ${plural(info.transcripts, 'transcript')}, ${plural(info.participants, 'participant')}, ${plural(info.segments, 'coded segment')}, ${plural(info.codes, 'code')}${info.indexing ? ' (indexing…)' : ''}`;
}

function selectTheme(theme: string): void {
  activateTab('themes');
  themesView.select({ theme });
}

function selectCode(code: string): void {
  activateTab('themes');
  themesView.select({ code });
}

function activateTab(tab: PanelState['tab']): void {
  state.tab = tab;
  save();
  const tabBar = document.querySelector('vscode-tabs');
  if (tabBar) tabBar.selectedIndex = tabs.indexOf(tab);
}

let lastTree: ThemeTreeResult | null = null;

/** Drops what the panel shows of a project it no longer shows, so that no update is applied to it. */
function forget(): void {
  lastTree = null;
  matrix = null;
  matrixDrawn = false;
}

function handle(message: ToPanel): void {
  switch (message.type) {
    case 'projects': {
      projects = message.projects;
      if (!state.project || !projects.some((p) => p.uri === state.project)) state.project = projects[0]?.uri;
      projectSelect.replaceChildren(
        ...projects.map((p) => {
          // Coders' copies share a title: the folder name tells them apart.
          const folder = decodeURIComponent(p.uri.slice(p.uri.lastIndexOf('/') + 1));
          const option = el('option', { text: `${p.title} (${folder})`, attrs: { value: p.uri } });
          option.selected = p.uri === state.project;
          return option;
        }),
      );
      projectSelect.hidden = projects.length < 2;
      if (projects.length === 0)
        summary.textContent =
          'No Kodkarta project in this workspace: a project is a folder that holds codebook.md.';
      save();
      reload();
      return;
    }
    case 'themeTree':
      answered();
      // An answer for the project shown before a switch is of no use.
      if (message.result && message.result.project.uri !== state.project) return;
      lastTree = message.result;
      if (!message.result) return;
      showSummary(message.result);
      themesView.showTree(message.result, matrix?.participants ?? []);
      themesView.refreshQuotes();
      markShown();
      return;
    case 'quotes':
      quoteHandlers.get(message.requestId)?.(message.page);
      quoteHandlers.delete(message.requestId);
      return;
    case 'matrix':
      answered();
      matrix = message.result;
      matrixDrawn = false;
      if (!matrix) return;
      drawMatrix();
      if (lastTree) themesView.showTree(lastTree, matrix.participants);
      return;
    case 'panelUpdate':
      applyUpdate(message.update);
      return;
    case 'codeline':
      if (message.result) codelineView.show(message.result);
      return;
    case 'sequence':
      codelineView.showSequence(message.result);
      return;
    case 'indexChanged':
      if (!state.project || message.project === state.project) update();
      return;
    case 'focus':
      if (
        message.project &&
        message.project !== state.project &&
        projects.some((p) => p.uri === message.project)
      ) {
        state.project = message.project;
        forget();
        reload();
      }
      if (message.theme) selectTheme(message.theme);
      else if (message.code) selectCode(message.code);
      return;
  }
}

build();
onMessage(handle);
send({ type: 'ready' });
