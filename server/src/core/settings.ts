import { isRuleId, type Severity, type SeverityOverrides } from './findings';
import type { FrontMatterMap } from './frontMatter';
import { isMap, stringList, stringValue } from './frontMatter';

/** Project settings, read from the codebook's front matter. */
export interface ProjectSettings {
  title?: string;
  /** Fewest distinct participants a theme needs before it counts as supported. */
  minParticipants: number;
  /** Globs, relative to the project folder, of the files that are transcripts. */
  transcripts: string[];
  /** Globs of Markdown files that are never transcripts, on top of the built-in ones. */
  exclude: string[];
  /** Globs of memo files: they are searched for mentions of codes, never for coded passages. */
  memos: string[];
  severity: SeverityOverrides;
  /** Share of a theme's passages that may coincide with another theme's before they count as overlapping. */
  overlapThreshold: number;
}

export const defaultSettings: ProjectSettings = {
  minParticipants: 1,
  transcripts: ['**/*.md'],
  exclude: [],
  memos: ['memos/**/*.md', '**/*.memo.md'],
  severity: {},
  overlapThreshold: 0.5,
};

export interface SettingProblem {
  key: string;
  message: string;
}

const severities = new Set<string>(['error', 'warning', 'info', 'hint', 'off']);

export function readSettings(data: FrontMatterMap): {
  settings: ProjectSettings;
  problems: SettingProblem[];
} {
  const problems: SettingProblem[] = [];
  const settings: ProjectSettings = { ...defaultSettings, severity: {} };
  const title = stringValue(data.title);
  if (title) settings.title = title;

  if (data.min_participants !== undefined) {
    const value = data.min_participants;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1) settings.minParticipants = value;
    else
      problems.push({
        key: 'min_participants',
        message: 'min_participants must be a whole number of 1 or more',
      });
  }
  for (const key of ['transcripts', 'exclude', 'memos'] as const) {
    if (data[key] === undefined) continue;
    const globs = stringList(data[key]);
    if (globs) settings[key] = globs;
    else problems.push({ key, message: `${key} must be a glob or a list of globs, e.g. "interviews/*.md"` });
  }
  if (data.overlap_threshold !== undefined) {
    const value = data.overlap_threshold;
    if (typeof value === 'number' && value > 0 && value <= 1) settings.overlapThreshold = value;
    else
      problems.push({
        key: 'overlap_threshold',
        message: 'overlap_threshold must be a number above 0 and at most 1',
      });
  }
  if (data.severity !== undefined) {
    if (!isMap(data.severity)) {
      problems.push({
        key: 'severity',
        message: 'severity must map rule ids to error, warning, info, hint or off',
      });
    } else {
      for (const [rule, value] of Object.entries(data.severity)) {
        if (!isRuleId(rule)) problems.push({ key: 'severity', message: `unknown rule id "${rule}"` });
        else if (typeof value !== 'string' || !severities.has(value)) {
          problems.push({
            key: 'severity',
            message: `severity of ${rule} must be error, warning, info, hint or off`,
          });
        } else settings.severity[rule] = value as Severity | 'off';
      }
    }
  }
  return { settings, problems };
}
