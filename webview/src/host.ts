import type { FromPanel, PanelState, ToPanel } from '../../server/src/protocol';

interface VsCodeApi {
  postMessage(message: FromPanel): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function send(message: FromPanel): void {
  api.postMessage(message);
}

export function onMessage(handler: (message: ToPanel) => void): void {
  window.addEventListener('message', (event: MessageEvent<ToPanel>) => handler(event.data));
}

const defaultState: PanelState = { tab: 'themes', filters: {}, expanded: [] };

/** The state VS Code kept for this webview, or the one the host handed over after a reload. */
export function loadState(): PanelState {
  const kept = api.getState();
  if (kept) return kept;
  try {
    const saved = JSON.parse(document.body.dataset.state ?? 'null') as PanelState | null;
    return saved ?? { ...defaultState };
  } catch {
    return { ...defaultState };
  }
}

export function saveState(state: PanelState): void {
  api.setState(state);
}
