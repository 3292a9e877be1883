import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fileUri } from '../../server/src/node/loadProject';
import { Workspace } from '../../server/src/node/workspace';

/**
 * Projects come and go with their codebook: a codebook.md written into a workspace folder makes its
 * folder a project, whether or not the editor opened the file first, and removing it ends the project.
 */

const base = mkdtempSync(join(tmpdir(), 'kodkarta-workspace-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const codebook = '# 1 Gemensamt\n\n- #kontrakt: Tid och plats.\n';
const transcript = '---\nparticipant: R1\n---\n**R1:** [Vi ses varje vecka]{#kontrakt}.\n';

function folder(name: string): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a project as an import does: the transcript first, then the codebook. */
function writeProject(dir: string): string {
  writeFileSync(join(dir, 'r1.md'), transcript);
  writeFileSync(join(dir, 'codebook.md'), codebook);
  return fileUri(join(dir, 'codebook.md'));
}

describe('workspace projects', () => {
  it('makes a folder a project when its new codebook is reported, even if the editor opened it first', async () => {
    const root = folder('importerad');
    const changes: string[] = [];
    const workspace = new Workspace((project) => changes.push(project.index.rootUri));
    await workspace.addFolder(fileUri(root));
    expect(workspace.projects).toHaveLength(0);

    const codebookUri = writeProject(root);
    // Import… opens the codebook it wrote before the file watcher reports it.
    workspace.openOrChange(codebookUri, codebook);
    await workspace.fileChanged(codebookUri);

    const project = workspace.project(fileUri(root));
    expect(project?.index.codebook?.uri).toBe(codebookUri);
    expect(project?.index.transcriptUris()).toEqual([fileUri(join(root, 'r1.md'))]);
    expect(project?.index.totals().codes.get('kontrakt')?.segments).toBe(1);
    expect(changes).toContain(fileUri(root));
  });

  it('finds a project written into a folder of another project', async () => {
    const outer = folder('studie');
    writeProject(outer);
    const workspace = new Workspace(() => {});
    await workspace.addFolder(fileUri(outer));
    const inner = folder('studie/import');
    const codebookUri = writeProject(inner);
    await workspace.fileChanged(codebookUri);
    expect(workspace.projects.map((p) => p.index.rootUri).sort()).toEqual([fileUri(outer), fileUri(inner)]);
    expect(workspace.projectFor(fileUri(join(inner, 'r1.md')))?.index.rootUri).toBe(fileUri(inner));
  });

  it('ends the project when its codebook is deleted', async () => {
    const root = folder('borttagen');
    const codebookUri = writeProject(root);
    const workspace = new Workspace(() => {});
    await workspace.addFolder(fileUri(root));
    expect(workspace.projects).toHaveLength(1);
    unlinkSync(join(root, 'codebook.md'));
    await workspace.fileChanged(codebookUri);
    expect(workspace.projects).toHaveLength(0);
  });
});

describe('a large transcript opened in the editor', () => {
  // Over 256 KB: parsed in steps, with the event loop free between them.
  const turn = '**R1:** [Vi ses varje vecka]{#kontrakt} och pratar om hur det går.\n\n';
  const large = `---\nparticipant: R1\n---\n${turn.repeat(4000)}`;

  async function opened(name: string) {
    const root = folder(name);
    writeFileSync(join(root, 'codebook.md'), codebook);
    writeFileSync(join(root, 'r1.md'), transcript);
    const workspace = new Workspace(() => {});
    await workspace.addFolder(fileUri(root));
    const uri = fileUri(join(root, 'r1.md'));
    const project = workspace.projectFor(uri);
    if (!project) throw new Error('no project');
    const segments = () => project.index.totals().codes.get('kontrakt')?.segments;
    return { workspace, uri, project, segments };
  }

  it('is parsed after the editor is answered: the disk version answers until it is done', async () => {
    const { workspace, uri, project, segments } = await opened('stor');
    workspace.openOrChange(uri, large);
    expect(segments()).toBe(1);
    await vi.waitFor(() => expect(segments()).toBe(4000));
    expect(project.index.transcript(uri)?.text).toBe(large);
  });

  it('ends with the newest text when edited meanwhile, and with the disk when closed meanwhile', async () => {
    const { workspace, uri, project, segments } = await opened('stor-ändrad');
    workspace.openOrChange(uri, large);
    const edited = `${large}**R1:** [En till]{#kontrakt}.\n`;
    const at = large.length;
    workspace.openOrChange(uri, edited, { start: at, end: at, text: edited.slice(at) });
    await vi.waitFor(() => expect(project.index.transcript(uri)?.text).toBe(edited));
    expect(segments()).toBe(4001);

    workspace.openOrChange(uri, large);
    await workspace.close(uri);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(project.index.transcript(uri)?.text).toBe(transcript);
    expect(segments()).toBe(1);
  });
});
