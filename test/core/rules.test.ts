import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectFindings } from '../../server/src/core/analyses/findings';
import { type RuleId, rules } from '../../server/src/core/findings';
import { loadProject } from '../../server/src/node/loadProject';
import { locate } from '../helpers/locate';
import { findingsOf, fixtureDir, indexFiles, loadFixture, temporaryDirs } from '../helpers/project';

interface Expectation {
  /** The file the finding is in, relative to the fixture folder. */
  path: string;
  /** The text the finding's range covers … */
  at: string;
  /** … looked for inside this text, when `at` alone is ambiguous. */
  within?: string;
  message: string;
}

/** One fixture under test/fixtures/rules/<rule>/ per rule; `unreadable-file` needs the loader (below). */
const expectations: Record<Exclude<RuleId, 'unreadable-file'>, Expectation> = {
  'malformed-tag': {
    path: 'respondent-1.md',
    at: 'kontrakt',
    within: '{kontrakt}',
    message: 'expected #code or a "note" in the tag, found "kontrakt" (did you mean #kontrakt?)',
  },
  'invalid-front-matter': {
    path: 'codebook.md',
    at: '---\n- title\n- Regelexempel\n---\n',
    message: 'front matter must be a YAML mapping of keys to values',
  },
  'invalid-setting': {
    path: 'codebook.md',
    at: '---\ntitle: Regelexempel\nmin_participants: två\n---\n',
    message: 'min_participants must be a whole number of 1 or more',
  },
  'unknown-code': {
    path: 'respondent-1.md',
    at: '#humor',
    message: '#humor is not in the codebook: add it under a theme, or keep it as an inductive code',
  },
  'misspelt-code': {
    path: 'respondent-1.md',
    at: '#kontrak',
    within: '{#kontrak}',
    message: '#kontrak looks like a misspelling of #kontrakt',
  },
  'alias-code': {
    path: 'respondent-1.md',
    at: '#överenskommelse',
    message: '#överenskommelse is an alias of #kontrakt',
  },
  'unused-code': { path: 'codebook.md', at: '#arvode', message: '#arvode is not used in any transcript' },
  'duplicate-code': {
    path: 'codebook.md',
    at: '#kontrakt',
    within: '- #kontrakt: Överenskommelser om uppdraget.',
    message: '#kontrakt is listed twice under 1 Ramar',
  },
  'code-in-several-themes': {
    path: 'codebook.md',
    at: '#kontrakt',
    within: '- #kontrakt: Överenskommelsen som tecken på tillit.',
    message: '#kontrakt is listed under 2 Förtroende and under 1 Ramar: a code belongs to one theme',
  },
  'code-without-theme': {
    path: 'codebook.md',
    at: '#bakgrund',
    message: '#bakgrund is listed before any theme heading: move it under the theme it belongs to',
  },
  'duplicate-theme': {
    path: 'codebook.md',
    at: '# 3 ramar',
    message: 'theme "ramar" (3) has the same name as theme 1',
  },
  'theme-numbering': {
    path: 'codebook.md',
    at: '3',
    within: '# 3 Förtroende',
    message: '"Förtroende" is numbered 3 but is theme 2 by its place in the codebook',
  },
  'theme-level-skipped': {
    path: 'codebook.md',
    at: '### 1.1 Tid och plats',
    message: 'heading level 3 under a level 1 heading: use ## for a subtheme of "Ramar"',
  },
  'theme-without-quotes': {
    path: 'codebook.md',
    at: '# 3 Humor',
    message: 'theme 3 "Humor" has no codes and no coded passages: list codes under it',
  },
  'theme-below-minimum': {
    path: 'codebook.md',
    at: '# 2 Förtroende',
    message: 'theme 2 "Förtroende" is supported by 1 participant; the codebook asks for at least 2',
  },
  'overlapping-themes': {
    path: 'codebook.md',
    at: '# 1 Ramar',
    message:
      '100% of the passages of theme 1 "Ramar" are also coded for theme 2 "Förtroende": are they distinct themes?',
  },
  'missing-participant': {
    path: 'respondent-1.md',
    at: '---\nlabel: Respondent 1\n---\n',
    message:
      'no participant in the front matter: quotes are attributed to "respondent-1"; add "participant: ID" and "label: ..."',
  },
  'unknown-speaker': {
    path: 'respondent-1.md',
    at: 'R11',
    within: '**R11:**',
    message: 'speaker "R11" is not declared under speakers: in the front matter',
  },
};

function ruleFixture(name: string) {
  return loadFixture(fixtureDir(`rules/${name}`));
}

describe('rule fixtures', () => {
  it('cover every rule id', () => {
    expect(['unreadable-file', ...Object.keys(expectations)].sort()).toEqual(Object.keys(rules).sort());
  });

  it('start from a clean project that has no findings at all', () => {
    const index = ruleFixture('clean');
    expect(index.transcripts()).toHaveLength(1);
    expect(findingsOf(index)).toEqual([]);
  });

  it.each(Object.entries(expectations))('%s fires exactly once, at the expected range', (rule, expected) => {
    const text = readFileSync(join(fixtureDir(`rules/${rule}`), expected.path), 'utf8');
    const findings = findingsOf(ruleFixture(rule));
    expect(
      findings.map(({ rule, severity, path, range, message }) => ({ rule, severity, path, range, message })),
    ).toEqual([
      {
        rule,
        severity: rules[rule as RuleId].severity,
        path: expected.path,
        range: locate(text, expected.at, expected.within),
        message: expected.message,
      },
    ]);
  });
});

describe('facts for quick fixes', () => {
  it('gives the code and its suggestion for misspelt and aliased codes', () => {
    expect(findingsOf(ruleFixture('misspelt-code'))[0]?.data).toEqual({
      code: 'kontrak',
      suggestion: 'kontrakt',
    });
    expect(findingsOf(ruleFixture('alias-code'))[0]?.data).toEqual({
      code: 'överenskommelse',
      suggestion: 'kontrakt',
    });
    expect(findingsOf(ruleFixture('unknown-code'))[0]?.data).toEqual({ code: 'humor' });
  });

  it('marks an unused code as unnecessary', () => {
    const [finding] = findingsOf(ruleFixture('unused-code'));
    expect(finding?.unnecessary).toBe(true);
    expect(finding?.data).toEqual({ code: 'arvode' });
  });

  it('points duplicates and overlaps at the other place', () => {
    const codebookUri = (rule: string) =>
      pathToFileURL(join(fixtureDir(`rules/${rule}`), 'codebook.md')).href;
    const text = (rule: string) => readFileSync(join(fixtureDir(`rules/${rule}`), 'codebook.md'), 'utf8');
    expect(findingsOf(ruleFixture('duplicate-theme'))[0]?.related).toEqual([
      {
        uri: codebookUri('duplicate-theme'),
        range: locate(text('duplicate-theme'), '# 1 Ramar'),
        message: 'theme 1 "Ramar"',
      },
    ]);
    expect(findingsOf(ruleFixture('code-in-several-themes'))[0]?.related).toEqual([
      {
        uri: codebookUri('code-in-several-themes'),
        range: locate(text('code-in-several-themes'), '#kontrakt'),
        message: '#kontrakt under 1 Ramar',
      },
    ]);
    expect(findingsOf(ruleFixture('overlapping-themes'))[0]?.related).toEqual([
      {
        uri: codebookUri('overlapping-themes'),
        range: locate(text('overlapping-themes'), '# 2 Förtroende'),
        message: 'theme 2',
      },
    ]);
  });
});

const codebook = [
  '# 1 Ramar',
  '',
  '- #kontrakt: Överenskommelser. Aliases: plattform',
  '',
  '# 2 Förtroende',
  '',
  '- #förtroende: Tillit.',
  '',
].join('\n');

function study(body: string, frontMatter = '') {
  return indexFiles({
    'codebook.md': frontMatter ? `---\n${frontMatter}\n---\n\n${codebook}` : codebook,
    'r1.md': `---\nparticipant: R1\n---\n\n[a]{#kontrakt} [b]{#förtroende}\n${body}\n`,
  });
}

function summary(index: ReturnType<typeof study>) {
  return findingsOf(index).map((finding) => `${finding.severity} ${finding.rule}: ${finding.message}`);
}

describe('severity overrides', () => {
  it('changes the severity of a rule', () => {
    expect(summary(study('[c]{#ny}', 'severity: { unknown-code: info }'))).toEqual([
      'info unknown-code: #ny is not in the codebook: add it under a theme, or keep it as an inductive code',
    ]);
    expect(summary(study('[c]{#ny}', 'severity: { unknown-code: error }'))[0]).toMatch(/^error unknown-code/);
    expect(summary(study('[c]{#ny}', 'severity: { unknown-code: hint }'))[0]).toMatch(/^hint unknown-code/);
  });

  it('turns a rule off', () => {
    expect(summary(study('[c]{#ny}', 'severity: { unknown-code: off }'))).toEqual([]);
  });

  it('applies to codebook rules and leaves the other rules at their default', () => {
    const index = indexFiles({
      'codebook.md':
        '---\nseverity:\n  theme-without-quotes: error\n  unused-code: off\n---\n# A\n- #a: A.\n',
      'r1.md': '[x]{#humor}\n',
    });
    expect(findingsOf(index).map((finding) => [finding.rule, finding.severity])).toEqual([
      ['missing-participant', 'warning'],
      ['unknown-code', 'warning'],
      ['theme-without-quotes', 'error'],
    ]);
  });

  it('keeps the default severity when the override is invalid, and reports the setting', () => {
    expect(summary(study('[c]{#ny}', 'severity: { unknown-code: loud }'))).toEqual([
      'warning unknown-code: #ny is not in the codebook: add it under a theme, or keep it as an inductive code',
      'warning invalid-setting: severity of unknown-code must be error, warning, info, hint or off',
    ]);
  });
});

describe('misspelt-code', () => {
  it.each([
    ['case', '#Kontrakt', '#Kontrakt differs only in case from #kontrakt', 'kontrakt'],
    ['accents', '#fortroende', '#fortroende differs only in accents from #förtroende', 'förtroende'],
    ['accents and case', '#Fortroende', '#Fortroende differs only in accents from #förtroende', 'förtroende'],
    ['spelling', '#kontrackt', '#kontrackt looks like a misspelling of #kontrakt', 'kontrakt'],
    ['swapped letters', '#förtorende', '#förtorende looks like a misspelling of #förtroende', 'förtroende'],
    ['spelling of an alias', '#platform', '#platform looks like a misspelling of #kontrakt', 'kontrakt'],
  ])('recognises %s', (_reason, written, message, suggestion) => {
    const findings = findingsOf(study(`[c]{${written}}`));
    expect(findings.map((finding) => [finding.rule, finding.message, finding.data?.suggestion])).toEqual([
      ['misspelt-code', message, suggestion],
    ]);
  });

  it('allows one edit for names of up to five letters and two for longer ones', () => {
    const index = indexFiles({
      'codebook.md': '# A\n- #lek: Lek.\n- #reflektion: R.\n',
      'r1.md':
        '---\nparticipant: R1\n---\n[a]{#lek} [b]{#reflektion} [c]{#leka} [d]{#lekar} [e]{#refleksjon} [f]{#reflexsjon}\n',
    });
    expect(findingsOf(index).map((finding) => `${finding.rule} ${finding.data?.code}`)).toEqual([
      'misspelt-code leka',
      'unknown-code lekar',
      'misspelt-code refleksjon',
      'unknown-code reflexsjon',
    ]);
  });

  it('compares an unknown code with unknown codes that are used more often', () => {
    const index = study('[c]{#osäkerhet} [d]{#osäkerhet} [e]{#osäkerhet} [f]{#osäkerhett}');
    expect(summary(index)).toEqual([
      ...Array(3).fill(
        'warning unknown-code: #osäkerhet is not in the codebook: add it under a theme, or keep it as an inductive code',
      ),
      'warning misspelt-code: #osäkerhett looks like a misspelling of #osäkerhet',
    ]);
  });

  it('does not call either of two equally frequent unknown codes a misspelling of the other', () => {
    const index = study('[c]{#osäkerhet} [f]{#osäkerhett}');
    expect(findingsOf(index).map((finding) => finding.rule)).toEqual(['unknown-code', 'unknown-code']);
  });

  it('prefers a known code over a more frequent unknown one', () => {
    const index = study('[c]{#kontrackt} [d]{#kontrackt} [e]{#kontrackt} [f]{#kontraktt}');
    expect(findingsOf(index).map((finding) => `${finding.rule} ${finding.data?.suggestion}`)).toEqual([
      'misspelt-code kontrakt',
      'misspelt-code kontrakt',
      'misspelt-code kontrakt',
      'misspelt-code kontrakt',
    ]);
  });
});

describe('overlapping-themes', () => {
  const twoThemes = '# 1 Ramar\n\n- #a: A.\n\n# 2 Tillit\n\n- #b: B.\n';

  function overlaps(files: Record<string, string>) {
    return findingsOf(indexFiles(files))
      .filter((finding) => finding.rule === 'overlapping-themes')
      .map((finding) => finding.message.replace(/ are also coded for theme (.*?): .*$/, ' → $1'));
  }

  const passages = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => `[${tag} ${i}]{${tag}}`).join(' ');

  it('speaks once, on the theme with the larger share, when both cross the threshold', () => {
    const body = `${passages(3, '#a #b')} ${passages(1, '#a')} ${passages(2, '#b')}`;
    expect(overlaps({ 'codebook.md': twoThemes, 'r1.md': body })).toEqual([
      '75% of the passages of theme 1 "Ramar" → 2 "Tillit"',
    ]);
  });

  it('fires at the threshold and not below it', () => {
    const body = `${passages(3, '#a #b')} ${passages(1, '#a')} ${passages(2, '#b')}`;
    const withThreshold = (value: number) => `---\noverlap_threshold: ${value}\n---\n${twoThemes}`;
    expect(overlaps({ 'codebook.md': withThreshold(0.75), 'r1.md': body })).toHaveLength(1);
    expect(overlaps({ 'codebook.md': withThreshold(0.8), 'r1.md': body })).toEqual([]);
  });

  it('counts nested and overlapping passages as shared text', () => {
    const body = '[x [y]{#b} x]{#a} [x {#b>}y]{#a} y{<#b} [[y]{#a} x]{#b}';
    expect(overlaps({ 'codebook.md': twoThemes, 'r1.md': body })).toEqual([
      '100% of the passages of theme 1 "Ramar" → 2 "Tillit"',
    ]);
  });

  it('counts shared passages across transcripts', () => {
    expect(
      overlaps({
        'codebook.md': twoThemes,
        'r1.md': passages(2, '#a #b'),
        'r2.md': passages(1, '#a #b'),
      }),
    ).toHaveLength(1);
  });

  it('does not judge a theme with fewer than 3 passages', () => {
    expect(overlaps({ 'codebook.md': twoThemes, 'r1.md': passages(2, '#a #b') })).toEqual([]);
  });

  it('does not compare a theme with its ancestors or descendants', () => {
    const nested = '# 1 Ramar\n\n- #a: A.\n\n## 1.1 Tid\n\n### 1.1.1 Klockan\n\n- #b: B.\n';
    expect(overlaps({ 'codebook.md': nested, 'r1.md': passages(4, '#a #b') })).toEqual([]);
  });

  it('does compare sibling subthemes', () => {
    const siblings = '# 1 Ramar\n\n## 1.1 Tid\n\n- #a: A.\n\n## 1.2 Plats\n\n- #b: B.\n';
    expect(overlaps({ 'codebook.md': siblings, 'r1.md': passages(3, '#a #b') })).toEqual([
      '100% of the passages of theme 1.1 "Tid" → 1.2 "Plats"',
    ]);
  });

  it('does not count passages that lie apart', () => {
    expect(
      overlaps({ 'codebook.md': twoThemes, 'r1.md': `${passages(3, '#a')} ${passages(3, '#b')}` }),
    ).toEqual([]);
  });
});

describe('unreadable-file', () => {
  const temporary = temporaryDirs('kodkarta-rules-');
  const projectWith = (files: Record<string, Uint8Array | string>) =>
    temporary.copyOf(fixtureDir('rules/clean'), files);

  it('reports a binary transcript, at its start, and leaves it out of the project', async () => {
    const dir = projectWith({
      'respondent-2.md': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1a, 0x0a]),
    });
    const project = await loadProject(dir);
    expect(project.fileFindings).toEqual([
      {
        rule: 'unreadable-file',
        severity: 'error',
        message: 'binary file (it contains NUL bytes): not read as a transcript',
        uri: pathToFileURL(join(dir, 'respondent-2.md')).href,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      },
    ]);
    expect(project.index.transcripts()).toHaveLength(1);
    expect(projectFindings(project.index)).toEqual([]);
  });

  it('reports a transcript that is not UTF-8 but still reads the rest of it', async () => {
    const latin1 = Buffer.from('---\nparticipant: R2\n---\n\n[Vi k\xe4nde tillit]{#tillit}\n', 'latin1');
    const project = await loadProject(projectWith({ 'respondent-2.md': latin1 }));
    expect(project.fileFindings.map((finding) => [finding.rule, finding.severity])).toEqual([
      ['unreadable-file', 'error'],
    ]);
    expect(project.fileFindings[0]?.message).toMatch(/not valid UTF-8/);
    const transcript = project.index.transcripts().find((t) => t.participant.id === 'R2');
    expect(transcript?.segments.map((segment) => segment.codes[0]?.name)).toEqual(['tillit']);
    expect(transcript?.text).toContain('k\uFFFDnde');
  });

  it('does not read a binary file that is not a transcript', async () => {
    const project = await loadProject(projectWith({ 'README.md': new Uint8Array([0, 0, 0]) }));
    expect(project.fileFindings).toEqual([]);
  });

  it('follows the severity setting of the codebook', async () => {
    const dir = projectWith({ 'respondent-2.md': new Uint8Array([0, 1, 2]) });
    const codebookPath = join(dir, 'codebook.md');
    const original = readFileSync(codebookPath, 'utf8');
    const setSeverity = (value: string) =>
      writeFileSync(
        codebookPath,
        original.replace('---\n\n', `severity: { unreadable-file: ${value} }\n---\n\n`),
      );
    setSeverity('warning');
    expect((await loadProject(dir)).fileFindings.map((finding) => finding.severity)).toEqual(['warning']);
    setSeverity('off');
    expect((await loadProject(dir)).fileFindings).toEqual([]);
  });
});
