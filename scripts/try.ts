// `npm run try`: VS Code in the browser (code-server) with the built extension, on a fresh copy of the
// example study, until Ctrl+C. It reuses the end-to-end harness (test/e2e/harness.ts): same temp dirs,
// extension install and code-server start as the tests, without the test browser. package.json bundles
// this file into dist/try.mjs with esbuild and runs it after the build and test/e2e/setup.sh.

import { rm } from 'node:fs/promises';
import {
  assertSetupDone,
  copyWorkspace,
  installExtension,
  makeEditorDirs,
  startCodeServer,
} from '../test/e2e/harness';

assertSetupDone();
const dirs = await makeEditorDirs();
const keep = process.env.KODKARTA_E2E_KEEP === '1';
const extension = await installExtension(dirs.extensionsDir);
const workspace = await copyWorkspace(dirs);
const server = await startCodeServer(dirs, workspace);

let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    // The server runs in its own process group: this ends code-server, the extension host and the
    // language server together.
    await server.stop();
    if (!keep) await rm(dirs.root, { recursive: true, force: true });
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGHUP', () => void stop(0));
server.process.on('exit', (exitCode) => {
  if (stopping) return;
  console.error(`code-server exited (${exitCode}); its log: ${dirs.logFile}`);
  void stop(1);
});

const url = `${server.url}/?folder=${workspace.split('/').map(encodeURIComponent).join('/')}`;
console.log(`
Kodkarta ${extension.id} is running in VS Code (code-server) on a copy of the example study.

  Open:       ${url}
  Study copy: ${workspace}
  Logs:       ${dirs.logFile} and ${dirs.userDataDir}/logs/

Open a transcript in intervjuer/, type {#för to complete a code, and run "Kodkarta: Open Theme Panel"
(F1). Press Ctrl+C to stop; the copy is then deleted${keep ? ' (not now: KODKARTA_E2E_KEEP=1)' : ' (KODKARTA_E2E_KEEP=1 keeps it)'}.
`);
