import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  /** The bundle in dist/ that runs the page, e.g. `webview.js`. */
  script: string;
  title: string;
  /** Accessible name of the page's root element. */
  label: string;
  /** Handed to the page as JSON in `data-state`: escaped, never executed. */
  state?: unknown;
}

/**
 * The HTML of a Kodkarta webview: the shared stylesheet and one script bundle from dist/, under a strict
 * content security policy (nothing but the extension's own styles and the nonce'd script), no remote content.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const csp = `default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'`;
  const state =
    page.state === undefined ? '' : ` data-state="${escapeAttribute(JSON.stringify(page.state))}"`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css'))}">
<title>${escapeAttribute(page.title)}</title>
</head>
<body${state}>
<div id="app" role="application" aria-label="${escapeAttribute(page.label)}"></div>
<script nonce="${nonce}" type="module" src="${webview.asWebviewUri(vscode.Uri.joinPath(dist, page.script))}"></script>
</body>
</html>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
