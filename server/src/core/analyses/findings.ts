import type { Codebook, CodebookProblem } from '../codebook';
import { findSimilarCode } from '../codeNames';
import { type Finding, type RuleId, severityOf } from '../findings';
import type { ProjectIndex } from '../projectIndex';
import type { Span } from '../text';
import type { Segment, Transcript } from '../transcript';
import { forEachWithOpenLabels, passagesByStart } from './cooccurrence';

/** Every finding of the project: each transcript's, then the codebook's. */
export function projectFindings(index: ProjectIndex): Finding[] {
  const findings: Finding[] = [];
  for (const transcript of index.transcripts()) findings.push(...transcriptFindings(index, transcript));
  findings.push(...codebookFindings(index));
  return findings;
}

/** Malformed tags, front matter problems, and codes the codebook does not know. */
export function transcriptFindings(index: ProjectIndex, transcript: Transcript): Finding[] {
  const emit = emitter(index);
  const findings: Finding[] = [];
  const at = (span: Span) => transcript.lines.rangeOf(span);
  for (const problem of transcript.problems) {
    emit(findings, problem.rule, problem.message, transcript.uri, at(problem.span));
  }
  const codebook = index.codebook;
  if (!codebook) return findings;
  const similar = similarCodeFinder(index, codebook);
  for (const tag of transcript.tags) {
    // A closing marker repeats the opening marker's codes; judge each code once, where it opens.
    if (tag.kind === 'close') continue;
    for (const code of tag.codes) {
      if (codebook.codes.has(code.name)) continue;
      const range = at(code.span);
      const target = codebook.aliases.get(code.name);
      if (target !== undefined) {
        emit(findings, 'alias-code', `#${code.raw} is an alias of #${target}`, transcript.uri, range, {
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
        emit(findings, 'misspelt-code', `#${code.raw} ${why} #${match.name}`, transcript.uri, range, {
          data: { code: code.name, suggestion: match.name },
        });
      } else {
        emit(
          findings,
          'unknown-code',
          `#${code.raw} is not in the codebook: add it under a theme, or keep it as an inductive code`,
          transcript.uri,
          range,
          { data: { code: code.name } },
        );
      }
    }
  }
  return findings;
}

/**
 * The known code an unknown name most likely meant. Besides the codebook's codes and aliases, an unknown
 * code is compared with unknown codes used more often, so `#osäkerhett` next to ten `#osäkerhet` is
 * caught even before either is in the codebook.
 */
function similarCodeFinder(index: ProjectIndex, codebook: Codebook) {
  const totals = index.totals().codes;
  const known = [...codebook.codes.keys(), ...codebook.aliases.keys()];
  const cache = new Map<string, ReturnType<typeof findSimilarCode>>();
  return (name: string) => {
    if (cache.has(name)) return cache.get(name);
    const uses = totals.get(name)?.segments ?? 0;
    const frequentUnknown = [...totals.entries()]
      .filter(([other, tally]) => !codebook.codes.has(other) && tally.segments > uses)
      .map(([other]) => other);
    const found = findSimilarCode(name, known) ?? findSimilarCode(name, frequentUnknown);
    const result =
      found && codebook.aliases.has(found.name)
        ? { ...found, name: codebook.aliases.get(found.name) ?? found.name }
        : found;
    cache.set(name, result);
    return result;
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
  const own = new Map<number, number>();
  const shared = new Map<string, number>();
  for (const transcript of index.transcripts()) {
    const themesOf = transcript.segments.map((segment) => index.themesOfSegment(segment));
    const touched = themesOf.map((themes) => new Set(themes));
    const themesOfSegment = (segment: Segment) => themesOf[segment.index] ?? [];
    // A passage touches the themes of the passages open where it starts ...
    forEachWithOpenLabels(transcript.segments, themesOfSegment, (segment, open) => {
      for (const theme of open.keys()) touched[segment.index]?.add(theme);
    });
    // ... and those of the later passages that start before it ends. Walking back, a theme's most recent
    // passage is its first from here on, so `starting` is sorted by start and read only while it qualifies.
    const starting: number[] = [];
    const startOf = new Map<number, number>();
    for (const segment of passagesByStart(transcript.segments).reverse()) {
      for (const theme of starting) {
        if ((startOf.get(theme) ?? segment.text.end) >= segment.text.end) break;
        touched[segment.index]?.add(theme);
      }
      for (const theme of themesOfSegment(segment)) {
        if (startOf.has(theme)) starting.splice(starting.indexOf(theme), 1);
        starting.unshift(theme);
        startOf.set(theme, segment.text.start);
      }
    }
    themesOf.forEach((themes, i) => {
      for (const theme of themes) {
        own.set(theme, (own.get(theme) ?? 0) + 1);
        for (const other of touched[i] ?? []) {
          if (other !== theme) shared.set(`${theme}:${other}`, (shared.get(`${theme}:${other}`) ?? 0) + 1);
        }
      }
    });
  }
  const findings: Finding[] = [];
  const threshold = codebook.settings.overlapThreshold;
  const ratio = (a: number, b: number) => (shared.get(`${a}:${b}`) ?? 0) / (own.get(a) ?? 1);
  for (const key of shared.keys()) {
    const [a = 0, b = 0] = key.split(':').map(Number);
    if (
      (own.get(a) ?? 0) < OVERLAP_MINIMUM_PASSAGES ||
      isAncestor(codebook, a, b) ||
      isAncestor(codebook, b, a)
    )
      continue;
    const share = ratio(a, b);
    if (share < threshold) continue;
    // When both directions cross the threshold, speak once, on the theme with the larger share.
    const reverse = (own.get(b) ?? 0) >= OVERLAP_MINIMUM_PASSAGES ? ratio(b, a) : 0;
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
