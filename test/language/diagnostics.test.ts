import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import type { Finding } from '../../server/src/core/findings';
import { documentDiagnostics, toDiagnostic } from '../../server/src/language/diagnostics';
import { locate } from '../helpers/locate';
import { lines, workspace } from '../helpers/workspace';

const range = { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } };
const finding = (extra: Partial<Finding> = {}): Finding => ({
  rule: 'unknown-code',
  severity: 'warning',
  message: '#nytt is not in the codebook',
  uri: 'file:///project/r1.md',
  range,
  ...extra,
});

describe('toDiagnostic', () => {
  it('maps rule, message, range and source, and nothing more for a plain finding', () => {
    expect(toDiagnostic(finding())).toEqual({
      range,
      severity: DiagnosticSeverity.Warning,
      code: 'unknown-code',
      source: 'kodkarta',
      message: '#nytt is not in the codebook',
    });
  });

  it('maps every severity', () => {
    const severities = (['error', 'warning', 'info', 'hint'] as const).map(
      (severity) => toDiagnostic(finding({ severity })).severity,
    );
    expect(severities).toEqual([
      DiagnosticSeverity.Error,
      DiagnosticSeverity.Warning,
      DiagnosticSeverity.Information,
      DiagnosticSeverity.Hint,
    ]);
  });

  it('turns related locations into related information', () => {
    const related = [{ uri: 'file:///project/codebook.md', range, message: '#ramar under 1.1' }];
    expect(toDiagnostic(finding({ rule: 'duplicate-code', related })).relatedInformation).toEqual([
      { location: { uri: 'file:///project/codebook.md', range }, message: '#ramar under 1.1' },
    ]);
  });

  it('tags an unnecessary finding so the editor fades it, and passes the fix data through', () => {
    const diagnostic = toDiagnostic(
      finding({ rule: 'unused-code', unnecessary: true, data: { code: 'ramar' } }),
    );
    expect(diagnostic.tags).toEqual([DiagnosticTag.Unnecessary]);
    expect(diagnostic.data).toEqual({ code: 'ramar' });
    expect(toDiagnostic(finding())).not.toHaveProperty('tags');
    expect(toDiagnostic(finding())).not.toHaveProperty('data');
  });
});

const codebook = lines(
  '---',
  'severity:',
  '  unknown-speaker: off',
  '  alias-code: hint',
  '---',
  '',
  '# 1 Gemensamt',
  '',
  '- #kontrakt: Tid. Aliases: plattform',
  '- #ramar: Ramen.',
  '- #ramar: Igen.',
  '',
);
const r1 = lines(
  '---',
  'participant: R1',
  'speakers:',
  '  R1: Respondent 1',
  '---',
  '**R55:** [Vi ses]{#kontrakt} [där]{#plattform} [och]{#nytt} [fel]{kod}.',
);

describe('documentDiagnostics', () => {
  const ws = workspace({ 'codebook.md': codebook, 'r1.md': r1 });

  it('reports a transcript’s findings with the codebook’s severities, leaving rules turned off out', () => {
    const diagnostics = documentDiagnostics(ws.index, ws.uri('r1.md'));
    expect(diagnostics.map((d) => [d.code, d.severity, d.range])).toEqual([
      ['malformed-tag', DiagnosticSeverity.Error, locate(r1, 'kod', '{kod}')],
      ['alias-code', DiagnosticSeverity.Hint, locate(r1, '#plattform')],
      ['unknown-code', DiagnosticSeverity.Warning, locate(r1, '#nytt')],
    ]);
    expect(diagnostics[1]?.data).toEqual({ code: 'plattform', suggestion: 'kontrakt' });
  });

  it('reports the codebook’s findings, with related information for a duplicate', () => {
    const diagnostics = documentDiagnostics(ws.index, ws.uri('codebook.md'));
    const duplicate = diagnostics.find((d) => d.code === 'duplicate-code');
    expect(duplicate?.range).toEqual(locate(codebook, '#ramar', '- #ramar: Igen.'));
    expect(duplicate?.relatedInformation).toEqual([
      {
        location: { uri: ws.uri('codebook.md'), range: locate(codebook, '#ramar') },
        message: expect.any(String),
      },
    ]);
    const unused = diagnostics.filter((d) => d.code === 'unused-code');
    expect(unused.map((d) => d.range)).toEqual([
      locate(codebook, '#ramar'),
      locate(codebook, '#ramar', '- #ramar: Igen.'),
    ]);
    expect(unused.every((d) => d.tags?.includes(DiagnosticTag.Unnecessary))).toBe(true);
  });

  it('puts findings about the file itself first, and gives memos only those', () => {
    const unreadable = finding({
      rule: 'unreadable-file',
      severity: 'error',
      uri: ws.uri('r1.md'),
      message: 'binary',
    });
    expect(documentDiagnostics(ws.index, ws.uri('r1.md'), [unreadable])[0]?.code).toBe('unreadable-file');
    const memo = workspace({ 'codebook.md': codebook, 'memos/m.md': 'Se #okänd.' });
    expect(documentDiagnostics(memo.index, memo.uri('memos/m.md'))).toEqual([]);
    expect(documentDiagnostics(memo.index, memo.uri('memos/m.md'), [unreadable])).toHaveLength(1);
  });
});
