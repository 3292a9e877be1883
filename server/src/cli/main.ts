import { type ReportFormat, report } from '../core/analyses/report';
import { loadProject, ProjectLoadError } from '../node/loadProject';
import { runAgreement } from './agreement';
import { check } from './check';
import { runCodeline } from './codeline';
import { exportCommand } from './export';
import { importCommand } from './import';
import { type Command, parseCommandLine, usageError, valueError } from './options';

const usage = `kodkarta: qualitative analysis of Markdown transcripts

Usage:
  kodkarta check [dir] [--json]                 every finding as path:line:col severity message [rule]
  kodkarta report [dir] [--format md|json]      theme table with counts, then quotes per theme
  kodkarta agreement <dirA> <dirB> [...] [--unit paragraph|turn|character] [--json]
                                                intercoder agreement between coders' copies of a project
  kodkarta agreement --ref <gitref> --ref <gitref> [dir] [--unit ...] [--json]
                                                the same between git branches or commits
  kodkarta codeline [dir] [--follows A --then B --within N] [--json]
                                                coded segments along the turns; how often B follows A
  kodkarta export --format qdc|qdpx|csv|md|html [dir] [-o file]
                                                REFI-QDA codebook or project, codings as CSV, results chapter
  kodkarta import <file.qdpx|file.qde|file.qdc> --into <dir> [--force]
                                                a REFI-QDA project or codebook as Markdown
  kodkarta --help | --version

dir is the project folder (the one holding codebook.md) or any folder inside it; default: here.
Exit codes: 0 no errors, 1 errors found, 2 the project could not be read or the command was wrong.
`;

export interface Io {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

declare const KODKARTA_VERSION: string | undefined;
const VERSION = typeof KODKARTA_VERSION === 'string' ? KODKARTA_VERSION : 'development';

const kodkarta: Command = { name: 'kodkarta', usage, version: VERSION };

/** Runs one command line; returns the exit code. Never calls process.exit, so tests can drive it. */
export async function run(argv: string[], io: Io): Promise<number> {
  // These commands have options of their own (several folders, --ref, --unit, --follows …).
  if (argv[0] === 'agreement') return runAgreement(argv.slice(1), io);
  if (argv[0] === 'codeline') return runCodeline(argv.slice(1), io);
  if (argv[0] === 'export') return exportCommand(argv.slice(1), io);
  if (argv[0] === 'import') return importCommand(argv.slice(1), io);
  const parsed = parseCommandLine(argv, io, kodkarta, {
    json: { type: 'boolean' },
    format: { type: 'string' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [command, dir = '.', ...extra] = positionals;
  if (command === undefined) {
    io.err(usage);
    return 2;
  }
  if (command === 'help') {
    io.out(usage);
    return 0;
  }
  if (extra.length > 0) return usageError(io, kodkarta, `unexpected argument "${extra[0]}"`);
  if (command !== 'check' && command !== 'report') {
    return usageError(io, kodkarta, `unknown command "${command}"`);
  }
  const format = values.format ?? 'md';
  if (command === 'report' && format !== 'md' && format !== 'json') {
    return valueError(io, kodkarta, `--format must be md or json, not "${format}"`);
  }
  try {
    const project = await loadProject(dir, io.cwd);
    if (command === 'check') {
      const result = check(project, { json: values.json === true, cwd: io.cwd });
      io.out(result.output);
      io.err(`kodkarta: ${result.summary}\n`);
      return result.exitCode;
    }
    io.out(report(project.index, format as ReportFormat));
    return 0;
  } catch (error) {
    if (error instanceof ProjectLoadError) {
      io.err(`kodkarta: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
