import type { Codebook, CodebookProblem } from '../codebook';
import { findSimilarCode } from '../codeNames';
import { type Finding, type RuleId, severityOf } from '../findings';
import type { ProjectIndex } from '../projectIndex';
import { summarize, USE_FIELDS } from '../summary';
import type { Span } from '../text';
import type { Transcript } from '../transcript';

/** Every finding of the project: each transcript's, then the codebook's. */
export function projectFindings(index: ProjectIndex): Finding[] {
  const findings: Finding[] = [];
  for (const uri of index.transcriptUris()) findings.push(...transcriptFindings(index, { uri }));
  findings.push(...codebookFindings(index));
  return findings;
}

/**
 * Malformed tags, front matter problems, and codes the codebook does not know. Answered from the
 * transcript's summary, so a transcript that is not kept parsed is not parsed for it.
 */
export function transcriptFindings(index: ProjectIndex, transcript: Pick<Transcript, 'uri'>): Finding[] {
  const uri = transcript.uri;
  const summary =
    index.summary(uri) ?? ('segments' in transcript ? summarize(transcript as Transcript) : undefined);
  if (!summary) return [];
  const emit = emitter(index);
  const findings: Finding[] = [];
  for (const problem of summary.problems) {
    emit(findings, problem.rule, problem.message, uri, problem.range);
  }
  const codebook = index.codebook;
  if (!codebook) return findings;
  const similar = similarCodeFinder(index, codebook);
  const { uses, names } = summary;
  // Closing markers repeat the opening marker's codes: the summary holds each code once, where it opens.
  for (let i = 0; i < uses.length; i += USE_FIELDS) {
    const name = names[uses[i + 3] ?? 0] ?? '';
    if (codebook.codes.has(name)) continue;
    const line = uses[i] ?? 0;
    const range = {
      start: { line, character: uses[i + 1] ?? 0 },
      end: { line, character: uses[i + 2] ?? 0 },
    };
    const code = { name, raw: names[uses[i + 4] ?? 0] ?? name };
    const target = codebook.aliases.get(code.name);
    if (target !== undefined) {
      emit(findings, 'alias-code', `#${code.raw} is an alias of #${target}`, uri, range, {
        data: { code: code.name, suggestion: target },
      });
      continue;
    }
    const match = similar(code.name);
    if (match) {
      const why = {
        case: 'differs only in case from',
        accents: 'differs only in accents from',
        spelling: 'looks like a misspelling of',
      }[match.reason];
      emit(findings, 'misspelt-code', `#${code.raw} ${why} #${match.name}`, uri, range, {
        data: { code: code.name, suggestion: match.name },
      });
    } else {
      emit(
        findings,
        'unknown-code',
        `#${code.raw} is not in the codebook: add it under a theme, or keep it as an inductive code`,
        uri,
        range,
        { data: { code: code.name } },
      );
    }
  }
  return findings;
}

const similarCodes = new WeakMap<
  ProjectIndex,
  {
    known: string;
    names: string[];
    answers: Map<string, ReturnType<typeof findSimilarCode>>;
    counts: string;
    unknown: [string, number][];
    unknownAnswers: Map<string, ReturnType<typeof findSimilarCode>>;
  }
>();

/**
 * The known code an unknown name most likely meant. Besides the codebook's codes and aliases, an unknown
 * code is compared with unknown codes used more often, so `#osäkerhett` next to ten `#osäkerhet` is
 * caught even before either is in the codebook.
 */
function similarCodeFinder(index: ProjectIndex, codebook: Codebook) {
  const totals = index.totals().codes;
  // Which known code a name resembles depends on the codebook only; which more frequent unknown code it
  // resembles, on the counts. Both are kept between calls while what they depend on stays.
  const known = `${index.codebookVersion}:${index.findingsVersion}`;
  let memo = similarCodes.get(index);
  if (memo?.known !== known) {
    memo = {
      known,
      names: [...codebook.codes.keys(), ...codebook.aliases.keys()],
      answers: new Map(),
      counts: '',
      unknown: [],
      unknownAnswers: new Map(),
    };
    similarCodes.set(index, memo);
  }
  const state = memo;
  const counts = `${index.unknownCodesVersion}`;
  if (state.counts !== counts) {
    state.counts = counts;
    // In name order, so that a tie never depends on the order in which the counts grew.
    state.unknown = [...totals.entries()]
      .filter(([other]) => !codebook.codes.has(other))
      .map(([other, tally]): [string, number] => [other, tally.segments])
      .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    state.unknownAnswers.clear();
  }
  const resolve = (found: ReturnType<typeof findSimilarCode>) =>
    found && codebook.aliases.has(found.name)
      ? { ...found, name: codebook.aliases.get(found.name) ?? found.name }
      : found;
  return (name: string) => {
    if (!state.answers.has(name)) state.answers.set(name, resolve(findSimilarCode(name, state.names)));
    const match = state.answers.get(name);
    if (match) return match;
    if (!state.unknownAnswers.has(name)) {
      const uses = totals.get(name)?.segments ?? 0;
      const frequent = state.unknown.filter(([, segments]) => segments > uses).map(([other]) => other);
      state.unknownAnswers.set(name, resolve(findSimilarCode(name, frequent)));
    }
    return state.unknownAnswers.get(name);
  };
}

/** The codebook's own problems, and what it says about the transcripts: support, unused codes, overlap. */
export function codebookFindings(index: ProjectIndex): Finding[] {
  const codebook = index.codebook;
  if (!codebook) return [];
  const emit = emitter(index);
  const findings: Finding[] = [];
  const at = (span: Span) => codebook.lines.rangeOf(span);
  const related = (problem: CodebookProblem) =>
    (problem.related ?? []).map((r) => ({ uri: codebook.uri, range: at(r.span), message: r.message }));
  for (const problem of codebook.problems) {
    emit(findings, problem.rule, problem.message, codebook.uri, at(problem.span), {
      related: related(problem),
      ...(problem.data ? { data: problem.data } : {}),
    });
  }

  const totals = index.totals();
  for (const [name, entries] of codebook.codes) {
    if ((totals.codes.get(name)?.segments ?? 0) > 0) continue;
    for (const entry of entries) {
      emit(
        findings,
        'unused-code',
        `#${entry.raw} is not used in any transcript`,
        codebook.uri,
        at(entry.nameSpan),
        {
          unnecessary: true,
          data: { code: name },
        },
      );
    }
  }

  const minimum = codebook.settings.minParticipants;
  for (const theme of codebook.themes) {
    const tally = totals.themes[theme.index];
    const participants = tally?.participants.size ?? 0;
    const label = `theme ${theme.number} "${theme.name}"`;
    if (!tally || tally.segments === 0) {
      emit(
        findings,
        'theme-without-quotes',
        theme.codes.length === 0 && theme.children.length === 0
          ? `${label} has no codes and no coded passages: list codes under it`
          : `${label} has no coded passages yet`,
        codebook.uri,
        at(theme.heading),
        { data: { theme: theme.number } },
      );
    } else if (participants < minimum) {
      emit(
        findings,
        'theme-below-minimum',
        `${label} is supported by ${participants} participant${participants === 1 ? '' : 's'}; the codebook asks for at least ${minimum}`,
        codebook.uri,
        at(theme.heading),
        { data: { theme: theme.number } },
      );
    }
  }
  findings.push(...overlappingThemes(index, codebook, emit));
  return findings;
}

/** Fewest passages a theme needs before its overlap with another theme is judged. */
const OVERLAP_MINIMUM_PASSAGES = 3;

/**
 * Two themes overlap when most passages of one share text with passages of the other: the same span
 * coded for both, or nested and overlapping spans. Themes that contain one another are not compared.
 */
function overlappingThemes(index: ProjectIndex, codebook: Codebook, emit: Emit): Finding[] {
  // Kept by the index per transcript and summed as transcripts change (see `ProjectIndex.themeOverlap`).
  const overlap = index.themeOverlap();
  const findings: Finding[] = [];
  const threshold = codebook.settings.overlapThreshold;
  const ratio = (a: number, b: number) => overlap.sharedOf(a, b) / (overlap.own(a) || 1);
  // In theme order, so that the findings never depend on the order in which transcripts were read.
  for (const [a, b] of overlap.shared) {
    if (overlap.own(a) < OVERLAP_MINIMUM_PASSAGES || isAncestor(codebook, a, b) || isAncestor(codebook, b, a))
      continue;
    const share = ratio(a, b);
    if (share < threshold) continue;
    // When both directions cross the threshold, speak once, on the theme with the larger share.
    const reverse = overlap.own(b) >= OVERLAP_MINIMUM_PASSAGES ? ratio(b, a) : 0;
    if (reverse > share || (reverse === share && b < a)) continue;
    const themeA = codebook.themes[a];
    const themeB = codebook.themes[b];
    if (!themeA || !themeB) continue;
    emit(
      findings,
      'overlapping-themes',
      `${Math.round(share * 100)}% of the passages of theme ${themeA.number} "${themeA.name}" are also coded for theme ${themeB.number} "${themeB.name}": are they distinct themes?`,
      codebook.uri,
      codebook.lines.rangeOf(themeA.heading),
      {
        related: [
          {
            uri: codebook.uri,
            range: codebook.lines.rangeOf(themeB.heading),
            message: `theme ${themeB.number}`,
          },
        ],
        data: { theme: themeA.number },
      },
    );
  }
  return findings;
}

function isAncestor(codebook: Codebook, ancestor: number, theme: number): boolean {
  let at = codebook.themes[theme]?.parent;
  while (at !== undefined) {
    if (at === ancestor) return true;
    at = codebook.themes[at]?.parent;
  }
  return false;
}

type Emit = (
  findings: Finding[],
  rule: RuleId,
  message: string,
  uri: string,
  range: Finding['range'],
  extra?: Pick<Finding, 'related' | 'unnecessary' | 'data'>,
) => void;

/** Adds a finding with the severity the project gives its rule, or nothing when the rule is off. */
function emitter(index: ProjectIndex): Emit {
  const overrides = index.settings.severity;
  return (findings, rule, message, uri, range, extra = {}) => {
    const severity = severityOf(rule, overrides);
    if (severity === 'off') return;
    const finding: Finding = { rule, severity, message, uri, range };
    if (extra.related && extra.related.length > 0) finding.related = extra.related;
    if (extra.unnecessary) finding.unnecessary = true;
    if (extra.data) finding.data = extra.data;
    findings.push(finding);
  };
}
