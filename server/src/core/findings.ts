import type { Range } from './text';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Every rule, with the severity it has unless the codebook's `severity:` setting says otherwise. */
export const rules = {
  'malformed-tag': { severity: 'error', summary: 'A tag or overlap marker that cannot be read.' },
  'invalid-front-matter': { severity: 'error', summary: 'Front matter that is not a valid YAML mapping.' },
  'unreadable-file': {
    severity: 'error',
    summary: 'A file that is binary, not valid UTF-8 text, or larger than 100 MB.',
  },
  'unknown-code': {
    severity: 'warning',
    summary: 'A code used in a transcript but listed in no theme of the codebook (inductive coding).',
  },
  'misspelt-code': {
    severity: 'warning',
    summary: 'An unknown code that differs from a known one only in case, accents or a small typo.',
  },
  'alias-code': { severity: 'info', summary: 'A code written with one of its aliases instead of its name.' },
  'unused-code': { severity: 'info', summary: 'A codebook code that no transcript uses.' },
  'duplicate-code': { severity: 'warning', summary: 'A code listed twice under the same theme.' },
  'code-in-several-themes': { severity: 'warning', summary: 'A code listed under more than one theme.' },
  'code-without-theme': { severity: 'warning', summary: 'A code listed before the first theme heading.' },
  'duplicate-theme': { severity: 'warning', summary: 'Two theme headings with the same name.' },
  'theme-numbering': {
    severity: 'warning',
    summary: 'A written theme number that disagrees with the heading’s place in the hierarchy.',
  },
  'theme-level-skipped': { severity: 'warning', summary: 'A heading that skips a level (# then ###).' },
  'theme-without-quotes': { severity: 'warning', summary: 'A theme that no coded passage supports.' },
  'theme-below-minimum': {
    severity: 'warning',
    summary: 'A theme supported by fewer participants than the codebook’s min_participants.',
  },
  'overlapping-themes': {
    severity: 'warning',
    summary: 'Two themes whose coded passages largely coincide, so they may not be distinct.',
  },
  'missing-participant': {
    severity: 'warning',
    summary: 'A transcript whose front matter names no participant.',
  },
  'unknown-speaker': {
    severity: 'info',
    summary: 'A bold speaker label not declared under speakers: in the front matter.',
  },
  'invalid-setting': { severity: 'warning', summary: 'A codebook setting with a value Kodkarta cannot use.' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type RuleId = keyof typeof rules;

export function isRuleId(value: string): value is RuleId {
  return Object.hasOwn(rules, value);
}

export interface RelatedLocation {
  uri: string;
  range: Range;
  message: string;
}

/** Extra facts a quick fix needs, so that fixes never have to re-derive a finding. */
export interface FindingData {
  /** The code the finding is about (NFC, without #). */
  code?: string;
  /** The known code a misspelt or aliased code should become. */
  suggestion?: string;
  /** The theme number a theme finding is about. */
  theme?: string;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  uri: string;
  range: Range;
  related?: RelatedLocation[];
  /** The finding marks text that could go (an unused code). */
  unnecessary?: boolean;
  data?: FindingData;
}

export type SeverityOverrides = Partial<Record<RuleId, Severity | 'off'>>;

export function severityOf(rule: RuleId, overrides: SeverityOverrides): Severity | 'off' {
  return overrides[rule] ?? rules[rule].severity;
}
