import { parseArgs } from 'node:util';
import { type ReportFormat, report } from '../core/analyses/report';
import { loadProject, ProjectLoadError } from '../node/loadProject';
import { runAgreement } from './agreement';
import { check } from './check';
import { runCodeline } from './codeline';
import { exportCommand } from './export';
import { importCommand } from './import';

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
  kodkarta import <file.qdpx|file.qdc> --into <dir> [--force]
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

/** Runs one command line; returns the exit code. Never calls process.exit, so tests can drive it. */
export async function run(argv: string[], io: Io): Promise<number> {
  // These commands read their own options (several folders, --ref, --unit, --follows …).
  if (argv[0] === 'agreement') return runAgreement(argv.slice(1), io);
  if (argv[0] === 'codeline') return runCodeline(argv.slice(1), io);
  if (argv[0] === 'export') return exportCommand(argv.slice(1), io);
  if (argv[0] === 'import') return importCommand(argv.slice(1), io);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`kodkarta: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const [command, dir = '.', ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') {
    (command === undefined && !values.help ? io.err : io.out)(usage);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (extra.length > 0) {
    io.err(`kodkarta: unexpected argument "${extra[0]}"\n\n${usage}`);
    return 2;
  }
  if (command !== 'check' && command !== 'report') {
    io.err(`kodkarta: unknown command "${command}"\n\n${usage}`);
    return 2;
  }
  const format = values.format ?? 'md';
  if (command === 'report' && format !== 'md' && format !== 'json') {
    io.err(`kodkarta: --format must be md or json, not "${format}"\n`);
    return 2;
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

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

declare const KODKARTA_VERSION: string | undefined;
const VERSION = typeof KODKARTA_VERSION === 'string' ? KODKARTA_VERSION : 'development';
