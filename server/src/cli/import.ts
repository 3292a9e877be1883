import { relative, resolve } from 'node:path';
import { InterchangeError, planImport } from '../core/interchange';
import { readImportFile, writePlannedFiles } from '../node/interchangeFiles';
import type { Io } from './main';
import { type Command, parseCommandLine, usageError } from './options';

export const importUsage = `Usage: kodkarta import <file.qdpx|file.qde|file.qdc> --into <dir> [--force]

  Creates a Kodkarta project from a REFI-QDA project or codebook: codebook.md with the code
  hierarchy, one Markdown transcript per text source with its codings as inline tags, memos from notes.
  Says what could not be carried over. Existing files are never overwritten without --force; an
  import that is refused writes nothing.
`;

const kodkartaImport: Command = { name: 'kodkarta import', usage: importUsage };

/** `kodkarta import`: returns the exit code. */
export async function importCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandLine(argv, io, kodkartaImport, {
    into: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [file, ...extra] = positionals;
  if (!file || !values.into || extra.length > 0) {
    return usageError(
      io,
      kodkartaImport,
      !file
        ? 'name the file to import'
        : !values.into
          ? 'name the folder to import into with --into'
          : `unexpected argument "${extra[0]}"`,
    );
  }
  try {
    const bytes = await readImportFile(resolve(io.cwd, file));
    const plan = planImport(bytes, file);
    const into = resolve(io.cwd, values.into);
    const written = await writePlannedFiles(into, plan.files, { force: values.force === true });
    for (const path of written) io.out(`${relative(io.cwd, path) || path}\n`);
    for (const warning of plan.warnings) io.err(`kodkarta: warning: ${warning}\n`);
    io.err(
      `kodkarta: imported ${plan.kind === 'codebook' ? 'a codebook' : 'a project'} into ${values.into}: ${written.length} file${written.length === 1 ? '' : 's'}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof InterchangeError) {
      io.err(`kodkarta: ${error.message}\n`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code) {
      io.err(`kodkarta: cannot import: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}
