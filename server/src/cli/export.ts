import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type ExportFormat, exportFormats, exportProject, InterchangeError } from '../core/interchange';
import { loadProject, ProjectLoadError } from '../node/loadProject';
import type { Io } from './main';
import { type Command, parseCommandLine, usageError, valueError, wholeNumber } from './options';

export const exportUsage = `Usage: kodkarta export --format qdc|qdpx|csv|md|html [dir] [-o file] [--quotes N]

  qdc    the codebook as a REFI-QDA codebook (themes as folders, codes under them)
  qdpx   the whole project as a REFI-QDA project archive (needs -o)
  csv    one row per coding: file, participant, attributes, code, theme, lines, text
  md     a results chapter: numbered theme table, then definitions and quotes per theme
  html   the same as a standalone web page

  -o, --output file   write to the file instead of standard output
  --quotes N          at most N quotes per theme in md and html, spread over participants
`;

const kodkartaExport: Command = { name: 'kodkarta export', usage: exportUsage };

/** `kodkarta export`: returns the exit code. */
export async function exportCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandLine(argv, io, kodkartaExport, {
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    quotes: { type: 'string' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const format = values.format as ExportFormat | undefined;
  if (!format || !exportFormats.includes(format)) {
    return usageError(
      io,
      kodkartaExport,
      `--format must be one of ${exportFormats.join(', ')}${values.format ? `, not "${values.format}"` : ''}`,
    );
  }
  if (positionals.length > 1) {
    return usageError(io, kodkartaExport, `unexpected argument "${positionals[1]}"`);
  }
  const quotesPerTheme = values.quotes === undefined ? undefined : wholeNumber(values.quotes);
  if (values.quotes !== undefined && quotesPerTheme === undefined) {
    return valueError(io, kodkartaExport, `--quotes must be a whole number, not "${values.quotes}"`);
  }
  if (format === 'qdpx' && !values.output) {
    return valueError(
      io,
      kodkartaExport,
      'a .qdpx archive is binary: name the file to write with -o, e.g. -o study.qdpx',
    );
  }
  try {
    const project = await loadProject(positionals[0] ?? '.', io.cwd);
    const result = exportProject(
      project.index,
      format,
      quotesPerTheme === undefined ? {} : { quotesPerTheme },
    );
    for (const warning of result.warnings) io.err(`kodkarta: warning: ${warning}\n`);
    if (values.output) {
      const path = resolve(io.cwd, values.output);
      await writeFile(path, result.bytes);
      io.err(`kodkarta: wrote ${values.output}\n`);
    } else io.out(new TextDecoder().decode(result.bytes));
    return 0;
  } catch (error) {
    if (error instanceof ProjectLoadError || error instanceof InterchangeError) {
      io.err(`kodkarta: ${error.message}\n`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code) {
      io.err(`kodkarta: cannot write ${values.output}: ${code}\n`);
      return 2;
    }
    throw error;
  }
}
