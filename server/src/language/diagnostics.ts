import { type Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import { codebookFindings, transcriptFindings } from '../core/analyses/findings';
import type { Finding, Severity } from '../core/findings';
import type { ProjectIndex } from '../core/projectIndex';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: severities[finding.severity],
    code: finding.rule,
    source: 'kodkarta',
    message: finding.message,
  };
  if (finding.related) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri: r.uri, range: r.range },
      message: r.message,
    }));
  }
  if (finding.unnecessary) diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (finding.data) diagnostic.data = finding.data;
  return diagnostic;
}

/** The diagnostics of one document of the project: a transcript's or the codebook's. */
export function documentDiagnostics(
  project: ProjectIndex,
  uri: string,
  fileFindings: Finding[] = [],
): Diagnostic[] {
  const findings = [...fileFindings];
  const transcript = project.transcript(uri);
  if (transcript) findings.push(...transcriptFindings(project, transcript));
  else if (project.codebook?.uri === uri) findings.push(...codebookFindings(project));
  return findings.map(toDiagnostic);
}
