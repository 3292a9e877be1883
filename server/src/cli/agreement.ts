import { basename, relative } from 'node:path';
import {
  type AgreementReport,
  type AgreementResult,
  type CoderProject,
  compareCoders,
  type TextMismatchReport,
  type UnitKind,
} from '../core/agreement';
import { loadProjectAtRef } from '../node/gitProject';
import { type LoadedProject, loadProject, ProjectLoadError } from '../node/loadProject';
import type { Io } from './main';
import { type Command, parseCommandLine, usageError, valueError } from './options';

export const agreementUsage = `Usage:
  kodkarta agreement <dirA> <dirB> [<dirC> ...] [--unit paragraph|turn|character] [--json]
  kodkarta agreement --ref <gitref> --ref <gitref> [...] [dir] [--unit ...] [--json]

Compares coders' copies of one project: folders, or the project in dir (default: here) at git
branches or commits, read through git without touching the working tree. First checks that the
transcripts have the same text once tags are removed; then, per code, percent agreement, Cohen's
kappa, Krippendorff's alpha and the number of units, the overall figures, and every unit on which the
coders differ. --unit defaults to turn when the transcripts have speaker turns, otherwise paragraph.
Exit codes: 0 figures computed, 1 the transcripts' texts differ, 2 a project could not be read or the
command was wrong.
`;

const kodkartaAgreement: Command = { name: 'kodkarta', usage: agreementUsage };

const units: readonly UnitKind[] = ['paragraph', 'turn', 'character'];

/** `kodkarta agreement …`; `argv` starts after the command name. */
export async function runAgreement(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandLine(argv, io, kodkartaAgreement, {
    ref: { type: 'string', multiple: true },
    unit: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const refs = values.ref ?? [];
  const unit = values.unit;
  if (unit !== undefined && !units.includes(unit as UnitKind)) {
    return valueError(io, kodkartaAgreement, `--unit must be paragraph, turn or character, not "${unit}"`);
  }
  if (refs.length > 0 && positionals.length > 1) {
    return usageError(
      io,
      kodkartaAgreement,
      `with --ref, give at most one folder (the project), not ${positionals.length}`,
    );
  }
  if (refs.length === 1 || (refs.length === 0 && positionals.length < 2)) {
    return usageError(
      io,
      kodkartaAgreement,
      'agreement needs at least two coders: two folders, or --ref twice',
    );
  }
  let coders: CoderProject[];
  try {
    coders =
      refs.length > 0
        ? await codersAtRefs(refs, positionals[0] ?? '.', io.cwd)
        : await codersInFolders(positionals, io.cwd);
  } catch (error) {
    if (error instanceof ProjectLoadError) {
      io.err(`kodkarta: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const result = compareCoders(coders, unit !== undefined ? { unit: unit as UnitKind } : {});
  if (values.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
  else io.out(result.status === 'ok' ? formatReport(result) : formatMismatches(result));
  if (result.status !== 'ok') {
    const files = new Set(result.mismatches.map((m) => m.path)).size;
    io.err(
      `kodkarta: the coders' copies of ${files} transcript${files === 1 ? '' : 's'} differ in their text; agreement was not computed\n`,
    );
    return 1;
  }
  return 0;
}

async function codersInFolders(dirs: string[], cwd: string): Promise<CoderProject[]> {
  const projects: LoadedProject[] = [];
  for (const dir of dirs) projects.push(await loadProject(dir, cwd));
  const names = projects.map((project) => basename(project.root));
  return projects.map((project, i) => {
    const name = names[i] ?? '';
    // Folders with the same name (a/coder and b/coder) are told apart by their paths.
    const unique = names.filter((other) => other === name).length === 1;
    return { name: unique ? name : relative(cwd, project.root) || '.', index: project.index };
  });
}

async function codersAtRefs(refs: string[], dir: string, cwd: string): Promise<CoderProject[]> {
  const coders: CoderProject[] = [];
  for (const ref of refs) {
    const project = await loadProjectAtRef(dir, ref, cwd);
    coders.push({ name: ref, index: project.index, ref: project.commit });
  }
  return coders;
}

/** The readable report: a table of codes, the overall figures, then the disagreements. */
export function formatReport(report: AgreementReport): string {
  const names = report.coders.map((coder) => coder.name);
  const unitName = report.unit === 'character' ? 'characters' : `${report.unit}s`;
  const lines: string[] = [];
  lines.push(`Intercoder agreement: ${names.join(', ')}`);
  lines.push(
    `Unit: ${report.unit}. ${plural(report.transcripts.length, 'transcript')}, ${report.overall.units} ${unitName}, ${plural(report.overall.codes, 'code')}.`,
  );
  for (const file of report.unpaired) {
    lines.push(
      `Only ${file.coders.join(', ')} ha${file.coders.length === 1 ? 's' : 've'} ${file.path}: not compared.`,
    );
  }
  if (report.transcripts.length === 0) {
    lines.push('No transcript is in more than one copy: there is nothing to compare.');
    return `${lines.join('\n')}\n`;
  }
  lines.push('');
  const kappaHeading = report.coders.length === 2 ? 'kappa' : 'kappa*';
  const header = ['code', 'theme', 'units', ...names, 'agreement', kappaHeading, 'alpha'];
  const rows = report.codes.map((code) => [
    `#${code.code}`,
    code.theme ?? '',
    String(code.units),
    ...code.coded.map(String),
    percent(code.agreement),
    decimal(code.kappa),
    decimal(code.alpha),
  ]);
  const overall = report.overall;
  const footer = [
    'all codes',
    '',
    String(overall.units),
    ...names.map(() => ''),
    percent(overall.agreement),
    decimal(overall.meanKappa),
    decimal(overall.alpha),
  ];
  lines.push(...table(header, rows, footer, 2));
  lines.push('');
  lines.push(
    `agreement: share of ${unitName} on which the coders agree (all codes: applied exactly the same codes).`,
    report.coders.length === 2
      ? "kappa: Cohen's kappa (all codes: the mean over codes). alpha: Krippendorff's alpha, nominal (all codes: pooled)."
      : "kappa*: mean of the pairwise Cohen's kappas (all codes: the mean over codes). alpha: Krippendorff's alpha, nominal (all codes: pooled).",
    '',
  );
  if (report.disagreements.length === 0) {
    lines.push('No disagreements.');
  } else {
    lines.push(`Disagreements (${report.disagreements.length}):`);
    for (const item of report.disagreements) {
      const where =
        item.unit === 'character'
          ? `${item.weight} character${item.weight === 1 ? '' : 's'}`
          : item.turn !== undefined
            ? `turn ${item.turn + 1}`
            : 'paragraph';
      const speaker = item.speaker !== undefined ? ` (${item.speaker})` : '';
      lines.push(`${item.path}:${item.line}  ${where}${speaker}  “${item.text}”`);
      for (const copy of item.coders) {
        const codes =
          copy.codes === null
            ? '(no copy)'
            : copy.codes.length === 0
              ? '—'
              : copy.codes.map((c) => `#${c}`).join(' ');
        lines.push(`    ${copy.coder}: ${codes}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

export function formatMismatches(report: TextMismatchReport): string {
  const lines: string[] = [
    "The coders' transcripts do not have the same text once tags are removed, so agreement cannot be computed.",
    'Make the texts equal (only tags may differ), then run this again.',
    '',
  ];
  for (const mismatch of report.mismatches) {
    const [a, b] = mismatch.coders;
    const [lineA, lineB] = mismatch.lines;
    const where = lineA === lineB ? `line ${lineA}` : `line ${lineA} (${b}: line ${lineB})`;
    lines.push(`${mismatch.path}:${lineA}: ${a} and ${b} differ from ${where}`);
    lines.push(`    ${a}: ${mismatch.texts[0]}`);
    lines.push(`    ${b}: ${mismatch.texts[1]}`);
    if (mismatch.hint) lines.push(`    ${mismatch.hint}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Columns aligned with spaces: the first `leftColumns` columns (text) left, the numbers right. */
export function table(
  header: string[],
  rows: string[][],
  footer: string[] | undefined,
  leftColumns: number,
): string[] {
  const all = footer ? [header, ...rows, footer] : [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column < leftColumns ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return footer
    ? [line(header), rule, ...rows.map(line), rule, line(footer)]
    : [line(header), rule, ...rows.map(line)];
}

export function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)} %`;
}

function decimal(value: number | null): string {
  return value === null ? '—' : value.toFixed(3);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export type { AgreementResult };
