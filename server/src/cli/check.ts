import { relative } from 'node:path';

import { projectFindings } from '../core/analyses/findings';
import type { Finding, Severity } from '../core/findings';
import { filePath, type LoadedProject } from '../node/loadProject';

const severityOrder: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export interface CheckResult {
  findings: Finding[];
  output: string;
  summary: string;
  exitCode: 0 | 1;
}

/** `kodkarta check`: every finding, sorted by file and position; exit code 1 when any is an error. */
export function check(project: LoadedProject, options: { json: boolean; cwd: string }): CheckResult {
  const findings = [...project.fileFindings, ...projectFindings(project.index)].sort(
    (a, b) =>
      compare(a.uri, b.uri) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      severityOrder[a.severity] - severityOrder[b.severity],
  );
  const count = (severity: Severity) => findings.filter((f) => f.severity === severity).length;
  const errors = count('error');
  const displayPath = (uri: string) => relative(options.cwd, filePath(uri)) || '.';
  const output = options.json
    ? `${JSON.stringify(
        findings.map((finding) => ({ ...finding, path: displayPath(finding.uri) })),
        null,
        2,
      )}\n`
    : findings
        .map((f) => {
          const position = `${f.range.start.line + 1}:${f.range.start.character + 1}`;
          return `${displayPath(f.uri)}:${position} ${f.severity} ${f.message} [${f.rule}]\n`;
        })
        .join('');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = `${plural(errors, 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info') + count('hint'), 'note')} in ${plural(project.index.transcripts().length, 'transcript')}`;
  return { findings, output, summary, exitCode: errors > 0 ? 1 : 0 };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
