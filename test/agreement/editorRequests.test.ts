import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import type { AgreementReport, AgreementResult } from '../../server/src/core/agreement';
import { listRefs, readFileAtCommit } from '../../server/src/node/gitProject';
import { fileUri, loadProject, ProjectLoadError } from '../../server/src/node/loadProject';
import { agreementForEditor, gitRefsForEditor } from '../../server/src/node/studyRequests';
import { type GitRef, type ProjectInfo, Requests } from '../../server/src/protocol';
import { ensureBuilt } from '../helpers/cli';
import { git } from '../helpers/git';
import { startServer, type TestClient } from '../helpers/lspClient';
import { temporaryDirs } from '../helpers/project';

/**
 * The requests behind VS Code's Compare Coders…: folders that are projects of the workspace are compared
 * as the editor has them (unsaved edits included), other folders as on disk, and one project at git refs
 * (branches, tags, commits) through git, with each ref's version of a file for click-through.
 */

const temporary = temporaryDirs('kodkarta-compare-');
const rupture = resolve(__dirname, '../../examples/rupture-sessions');

/** coder-b's `k1-sesjon-03.md` with turn 39 coded as coder-a coded it: one disagreement fewer. */
function recodedTurn(): string {
  const text = readFileSync(join(rupture, 'coder-b/sesjoner/k1-sesjon-03.md'), 'utf8');
  const before = '**K:** Jeg vet ikke. [Det er ikke noe spesielt med det.]{#benekter-følelse}';
  expect(text).toContain(before);
  return text.replace(before, '**K:** [Jeg vet ikke. Det er ikke noe spesielt med det.]{#minimal-respons}');
}

function ok(result: AgreementResult): AgreementReport {
  if (result.status !== 'ok') throw new Error(`the texts differ: ${JSON.stringify(result.mismatches)}`);
  return result;
}

/**
 * A repository holding the example's coder-a project at `studie/`: main as committed, koder-b with
 * coder-b's coding of the same transcripts and a note in a folder only that branch has, an annotated
 * tag on koder-b; main checked out.
 */
function repository(): { repo: string; study: string } {
  const repo = temporary.empty();
  const study = join(repo, 'studie');
  cpSync(join(rupture, 'coder-a'), study, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Koder A');
  git(repo, 'checkout', '-q', '-b', 'koder-b');
  for (const name of readdirSync(join(rupture, 'coder-b/sesjoner'))) {
    writeFileSync(
      join(study, 'sesjoner', name),
      readFileSync(join(rupture, 'coder-b/sesjoner', name), 'utf8'),
    );
  }
  mkdirSync(join(study, 'notater'));
  writeFileSync(join(study, 'notater', 'b.md'), '# Notat\n\nBare på grenen.\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Koder B\n\nMed notat.');
  git(repo, 'tag', '-a', 'runde-1', '-m', 'Første runde');
  git(repo, 'checkout', '-q', 'main');
  return { repo, study };
}

describe('agreement for the editor, in-process', () => {
  let repo: string;
  let study: string;
  beforeAll(() => {
    ({ repo, study } = repository());
  });

  it('lists branches and tags with their commits, an annotated tag peeled to its commit', async () => {
    const refs = await listRefs(join(study, 'sesjoner'));
    const koderB = git(repo, 'rev-parse', 'koder-b').trim();
    expect(refs).toEqual<GitRef[]>([
      { name: 'koder-b', kind: 'branch', commit: koderB, head: false, subject: 'Koder B' },
      {
        name: 'main',
        kind: 'branch',
        commit: git(repo, 'rev-parse', 'main').trim(),
        head: true,
        subject: 'Koder A',
      },
      { name: 'runde-1', kind: 'tag', commit: koderB, head: false, subject: 'Første runde' },
    ]);
    expect(await gitRefsForEditor(fileUri(study))).toEqual(refs);
    await expect(listRefs(temporary.empty())).rejects.toThrow(/not a git repository/);
    await expect(listRefs(join(study, 'nowhere'))).rejects.toBeInstanceOf(ProjectLoadError);
  });

  it('compares the project at two refs, each coder named by its ref, the working tree untouched', async () => {
    const result = ok(
      await agreementForEditor({ refs: ['main', 'runde-1'], project: fileUri(study), unit: 'turn' }, () =>
        Promise.resolve(undefined),
      ),
    );
    expect(result.coders).toEqual([
      { name: 'main', root: fileUri(study), ref: git(repo, 'rev-parse', 'main').trim() },
      { name: 'runde-1', root: fileUri(study), ref: git(repo, 'rev-parse', 'koder-b').trim() },
    ]);
    // The same figures as the two copies side by side on disk.
    const onDisk = ok(
      await agreementForEditor(
        { coders: [fileUri(join(rupture, 'coder-a')), fileUri(join(rupture, 'coder-b'))], unit: 'turn' },
        () => Promise.resolve(undefined),
      ),
    );
    expect(result.overall).toEqual(onDisk.overall);
    expect(result.disagreements).toHaveLength(19);
    // Each coder's place in a disagreement names the working tree's file and the commit to read it at.
    const first = result.disagreements[0]!;
    expect(first.coders.map((c) => [c.coder, c.uri, c.ref])).toEqual([
      ['main', fileUri(join(study, 'sesjoner/k1-sesjon-03.md')), result.coders[0]?.ref],
      ['runde-1', fileUri(join(study, 'sesjoner/k1-sesjon-03.md')), result.coders[1]?.ref],
    ]);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
  });

  it('refuses fewer than two refs, and refs without a project', async () => {
    const none = () => Promise.resolve(undefined);
    await expect(agreementForEditor({ refs: ['main'], project: fileUri(study) }, none)).rejects.toThrow(
      /at least two branches/,
    );
    await expect(agreementForEditor({ refs: ['main', 'koder-b'] }, none)).rejects.toThrow(
      /no Kodkarta project/,
    );
    await expect(
      agreementForEditor({ refs: ['main', 'koder-c'], project: fileUri(study) }, none),
    ).rejects.toThrow(/koder-c is not a branch, tag or commit/);
  });

  it('reads a file as it is at a commit, also in a folder the working tree does not have', async () => {
    const koderB = git(repo, 'rev-parse', 'koder-b').trim();
    const file = join(study, 'sesjoner/k1-sesjon-03.md');
    expect(await readFileAtCommit(file, koderB)).toBe(
      readFileSync(join(rupture, 'coder-b/sesjoner/k1-sesjon-03.md'), 'utf8'),
    );
    expect(await readFileAtCommit(file, git(repo, 'rev-parse', 'main').trim())).toBe(
      readFileSync(file, 'utf8'),
    );
    expect(await readFileAtCommit(join(study, 'notater/b.md'), koderB)).toBe('# Notat\n\nBare på grenen.\n');
    await expect(
      readFileAtCommit(join(study, 'notater/b.md'), git(repo, 'rev-parse', 'main').trim()),
    ).rejects.toThrow(/studie\/notater\/b\.md is not in commit /);
    // Only a full commit hash: never an option or an expression for git.
    for (const commit of ['main', '--output=x', `${koderB}:README.md`])
      await expect(readFileAtCommit(file, commit)).rejects.toThrow(/not a commit/);
  });

  it('takes the editor’s index of a workspace project, and reads other folders from disk', async () => {
    const copyB = join(rupture, 'coder-b');
    const live = await loadProject(copyB);
    live.index.update(fileUri(join(copyB, 'sesjoner/k1-sesjon-03.md')), recodedTurn());
    const asked: string[] = [];
    const result = ok(
      await agreementForEditor(
        // A folder inside a project counts as the project, as on the command line.
        { coders: [fileUri(join(rupture, 'coder-a/sesjoner')), fileUri(copyB)] },
        (root) => {
          asked.push(root);
          return Promise.resolve(root === fileUri(copyB) ? live.index : undefined);
        },
      ),
    );
    expect(asked.sort()).toEqual([fileUri(join(rupture, 'coder-a')), fileUri(copyB)]);
    expect(result.coders.map((c) => c.name)).toEqual(['coder-a', 'coder-b']);
    expect(result.disagreements).toHaveLength(18);
  });
});

describe('agreement for the editor, over LSP', () => {
  let client: TestClient;
  let workspace: string;
  let outside: string;

  beforeAll(async () => {
    await ensureBuilt();
    workspace = temporary.copyOf(rupture);
    outside = temporary.copyOf(join(rupture, 'coder-b'));
    // The workspace in git too: coder-b's copy on a branch where a turn is coded as coder-a coded it.
    git(workspace, 'init', '-q', '-b', 'main');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'Koding');
    git(workspace, 'checkout', '-q', '-b', 'samkjort');
    writeFileSync(join(workspace, 'coder-b/sesjoner/k1-sesjon-03.md'), recodedTurn());
    git(workspace, 'commit', '-q', '-am', 'Samkjøring');
    git(workspace, 'checkout', '-q', 'main');
    client = await startServer(fileUri(workspace));
  });

  afterAll(async () => {
    await client?.stop();
  });

  const agreement = (params: object) =>
    client.connection.sendRequest<AgreementResult>(Requests.agreement, params).then(ok);

  it('compares a project with an unsaved edit as the editor has it, a folder outside the workspace from disk', async () => {
    const coderA = fileUri(join(workspace, 'coder-a'));
    const coderB = fileUri(join(workspace, 'coder-b'));
    for (let i = 0; i < 200; i++) {
      const projects = await client.connection.sendRequest<ProjectInfo[]>(Requests.projects, {});
      if (projects.length === 2) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    // Asked as soon as the server knows the projects, perhaps while it still reads them.
    expect((await agreement({ coders: [coderA, coderB] })).disagreements).toHaveLength(19);

    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: {
        uri: fileUri(join(workspace, 'coder-b/sesjoner/k1-sesjon-03.md')),
        languageId: 'markdown',
        version: 1,
        text: recodedTurn(),
      },
    });
    const live = await agreement({ coders: [coderA, coderB], unit: 'turn' });
    expect(live.disagreements).toHaveLength(18);
    expect(live.disagreements.some((d) => d.path === 'sesjoner/k1-sesjon-03.md' && d.line === 39)).toBe(
      false,
    );
    // The same copy outside the workspace is read from disk, where the edit is not.
    expect(
      (await agreement({ coders: [coderA, fileUri(outside)], unit: 'turn' })).disagreements,
    ).toHaveLength(19);
  });

  it('lists the branches, compares coder-b’s copy on two of them and reads a file at a ref', async () => {
    const coderB = fileUri(join(workspace, 'coder-b'));
    const refs = await client.connection.sendRequest<GitRef[]>(Requests.gitRefs, { project: coderB });
    expect(refs.map((r) => [r.name, r.kind, r.head])).toEqual([
      ['main', 'branch', true],
      ['samkjort', 'branch', false],
    ]);
    // coder-a's copy is the same on both: nothing to disagree on. coder-b's differs in one turn.
    const sameA = await agreement({
      refs: ['main', 'samkjort'],
      project: fileUri(join(workspace, 'coder-a')),
    });
    expect(sameA.disagreements).toEqual([]);
    const onB = await agreement({ refs: ['main', 'samkjort'], project: coderB });
    expect(onB.coders.map((c) => c.name)).toEqual(['main', 'samkjort']);
    expect(onB.disagreements.map((d) => [d.path, d.line, d.coders.map((c) => c.codes)])).toEqual([
      ['sesjoner/k1-sesjon-03.md', 39, [['benekter-følelse'], ['minimal-respons']]],
    ]);
    const copy = onB.disagreements[0]!.coders[1]!;
    const text = await client.connection.sendRequest<string>(Requests.gitFile, {
      uri: copy.uri,
      commit: copy.ref,
    });
    expect(text).toBe(recodedTurn());
    // Without a project the workspace's first is compared; a ref that does not exist is a readable error.
    expect((await agreement({ refs: ['main', 'samkjort'] })).coders[0]?.root).toBe(
      fileUri(join(workspace, 'coder-a')),
    );
    await expect(
      client.connection.sendRequest(Requests.agreement, { refs: ['main', 'koder-x'], project: coderB }),
    ).rejects.toThrow(/koder-x is not a branch, tag or commit/);
  });
});
