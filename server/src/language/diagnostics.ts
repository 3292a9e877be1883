import { type Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import { codebookFindings, transcriptFindings } from '../core/analyses/findings';
import type { Finding, Severity } from '../core/findings';
import type { ProjectIndex } from '../core/projectIndex';
import { USE_FIELDS } from '../core/summary';

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
  if (project.isTranscript(uri)) findings.push(...transcriptFindings(project, { uri }));
  else if (project.codebook?.uri === uri) findings.push(...codebookFindings(project));
  return findings.map(toDiagnostic);
}

/**
 * A project's diagnostics per document, computed again only when something they depend on changed:
 * a transcript's on its own text, the codebook's codes, aliases and severities, and (when it uses codes
 * the codebook does not list) the counts of unlisted codes; the codebook's on the codebook and the
 * counts. The key doubles as the result id for clients that pull diagnostics.
 */
export class DiagnosticsCache {
  private readonly entries = new Map<string, { key: string; diagnostics: Diagnostic[] }>();
  private readonly unknownUse = new Map<string, { key: string; uses: boolean }>();

  constructor(private readonly project: ProjectIndex) {}

  key(uri: string, fileFindings: Finding[] = []): string {
    const index = this.project;
    const file = fileFindings.length > 0 ? `|${JSON.stringify(fileFindings)}` : '';
    if (index.codebook?.uri === uri) {
      return `c${index.codebookVersion}.${index.countsVersion}.${index.findingsVersion}${file}`;
    }
    if (!index.isTranscript(uri)) return `n${index.fileVersion(uri) ?? 0}.${index.version}${file}`;
    const base = `t${index.fileVersion(uri) ?? 0}.${index.findingsVersion}`;
    return `${base}.${this.usesUnknownCodes(uri, base) ? index.unknownCodesVersion : 0}${file}`;
  }

  /** The document's diagnostics and their key; `fresh` when they were computed just now. */
  get(uri: string, fileFindings: Finding[] = []): { key: string; diagnostics: Diagnostic[]; fresh: boolean } {
    const key = this.key(uri, fileFindings);
    const cached = this.entries.get(uri);
    if (cached?.key === key) return { ...cached, fresh: false };
    const diagnostics = documentDiagnostics(this.project, uri, fileFindings);
    this.entries.set(uri, { key, diagnostics });
    return { key, diagnostics, fresh: true };
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }

  /** Whether the transcript uses a code that is neither listed nor an alias: its findings then look at counts. */
  private usesUnknownCodes(uri: string, key: string): boolean {
    const known = this.unknownUse.get(uri);
    if (known?.key === key) return known.uses;
    const codebook = this.project.codebook;
    const summary = this.project.summary(uri);
    let uses = false;
    if (codebook && summary) {
      // Each name once: a 1 MB transcript uses a few hundred codes thousands of times.
      const checked = new Uint8Array(summary.names.length);
      for (let i = 3; i < summary.uses.length && !uses; i += USE_FIELDS) {
        const at = summary.uses[i] ?? 0;
        if (checked[at] === 1) continue;
        checked[at] = 1;
        const name = summary.names[at] ?? '';
        uses = !codebook.codes.has(name) && !codebook.aliases.has(name);
      }
    }
    this.unknownUse.set(uri, { key, uses });
    return uses;
  }
}
