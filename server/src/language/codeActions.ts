import {
  type CodeAction,
  CodeActionKind,
  type Diagnostic,
  type Range,
  type TextEdit,
} from 'vscode-languageserver';
import { normalizeCode } from '../core/codeNames';
import type { FindingData } from '../core/findings';
import type { ProjectIndex } from '../core/projectIndex';
import { scanTranscript, type Tag } from '../core/scanner';
import type { Span } from '../core/text';
import type { Transcript } from '../core/transcript';
import { ClientCommands } from '../protocol';
import { addEdit, codeRemovalSpan, type FileEdits, lineBreakOf } from './edits';
import { tagAt } from './locate';
import { renameCode } from './rename';

/** Swedish order, made once: `localeCompare(b, 'sv')` builds a collator on every call. */
const swedish = new Intl.Collator('sv');

/** How many of the project's most used codes "Code selection as #…" offers directly. */
const DIRECT_CODES = 3;

export interface CodeActionRequest {
  uri: string;
  range: Range;
  diagnostics: Diagnostic[];
}

/**
 * Quick fixes for findings (add an unknown code to the codebook, replace a misspelt code, merge it) and
 * refactorings in transcripts (code a selection, remove a tag or one code of it, merge a code into another).
 */
export function codeActions(project: ProjectIndex, request: CodeActionRequest): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of request.diagnostics) {
    if (diagnostic.source !== 'kodkarta') continue;
    const data = (diagnostic.data ?? {}) as FindingData;
    if (diagnostic.code === 'unknown-code' && data.code)
      actions.push(...addToCodebook(project, data.code, diagnostic));
    if (
      (diagnostic.code === 'misspelt-code' || diagnostic.code === 'alias-code') &&
      data.code &&
      data.suggestion
    ) {
      actions.push(replaceCode(request.uri, diagnostic, data.suggestion));
      const merge = mergeAction(project, data.code, data.suggestion, diagnostic);
      if (merge) actions.push(merge);
    }
  }
  const transcript = project.transcript(request.uri);
  if (transcript) actions.push(...transcriptActions(project, transcript, request.range));
  return actions;
}

function addToCodebook(project: ProjectIndex, code: string, diagnostic: Diagnostic): CodeAction[] {
  const codebook = project.codebook;
  if (!codebook) return [];
  const eol = lineBreakOf(codebook.text);
  return codebook.themes.map((theme) => {
    const edits: FileEdits = new Map();
    const lastCode = theme.codes[theme.codes.length - 1];
    if (lastCode) {
      addEdit(
        edits,
        codebook.uri,
        codebook.lines,
        { start: lastCode.item.end, end: lastCode.item.end },
        `${eol}- #${code}:`,
      );
    } else {
      // A theme without codes gets a new list after its definition, before its first subtheme.
      const firstChild = codebook.themes[theme.children[0] ?? -1];
      const at = firstChild ? firstChild.heading.start : theme.section.end;
      const before = codebook.text.slice(0, at);
      const lead =
        before.endsWith(`${eol}${eol}`) || at === 0 ? '' : before.endsWith(eol) ? eol : `${eol}${eol}`;
      const trail = at < codebook.text.length ? `${eol}${eol}` : eol;
      addEdit(edits, codebook.uri, codebook.lines, { start: at, end: at }, `${lead}- #${code}:${trail}`);
    }
    return {
      title: `Add #${code} to the codebook under ${theme.number} ${theme.name}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: Object.fromEntries(edits) },
    };
  });
}

function replaceCode(uri: string, diagnostic: Diagnostic, suggestion: string): CodeAction {
  const range = {
    start: { ...diagnostic.range.start, character: diagnostic.range.start.character + 1 },
    end: diagnostic.range.end,
  };
  return {
    title: `Replace with #${suggestion}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: { changes: { [uri]: [{ range, newText: suggestion }] } },
  };
}

function mergeAction(
  project: ProjectIndex,
  from: string,
  into: string,
  diagnostic?: Diagnostic,
): CodeAction | undefined {
  const uses = project.totals().codes.get(from)?.segments ?? 0;
  if (uses < 2) return undefined;
  const result = renameCode(project, from, into);
  if ('error' in result) return undefined;
  return {
    title: `Replace all ${uses} uses of #${from} with #${into}`,
    kind: CodeActionKind.QuickFix,
    ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
    edit: { changes: Object.fromEntries(result.edits) },
  };
}

function transcriptActions(project: ProjectIndex, transcript: Transcript, range: Range): CodeAction[] {
  const lines = transcript.lines;
  const start = lines.offsetAt(range.start);
  const end = lines.offsetAt(range.end);
  const actions: CodeAction[] = [];
  const tag = tagAt(transcript.tags, start);
  if (tag && end <= tag.span.end) {
    actions.push(...removeTagActions(transcript, tag));
    const code = tag.codes.find((c) => start >= c.span.start && start <= c.span.end);
    if (code) {
      actions.push({
        title: `Merge #${code.name} into another code…`,
        kind: CodeActionKind.RefactorRewrite,
        command: {
          title: 'Merge code',
          command: ClientCommands.mergeCodeInto,
          arguments: [project.rootUri, code.name],
        },
      });
    }
    return actions;
  }
  if (start === end) return actions;
  const selection = codableSelection(transcript, { start, end });
  if (!selection) return actions;
  const selected = lines.rangeOf(selection);
  actions.push({
    title: 'Code selection as…',
    kind: CodeActionKind.RefactorRewrite,
    command: {
      title: 'Code selection as…',
      command: ClientCommands.codeSelection,
      arguments: [transcript.uri, selected],
    },
  });
  const totals = [...project.totals().codes.entries()].sort(
    (a, b) => b[1].segments - a[1].segments || swedish.compare(a[0], b[0]),
  );
  for (const [code] of totals.slice(0, DIRECT_CODES)) {
    const edits = codeSelectionEdits(transcript, selection, code);
    if (edits.length === 0) continue;
    actions.push({
      title: `Code selection as #${code}`,
      kind: CodeActionKind.RefactorRewrite,
      edit: { changes: { [transcript.uri]: edits } },
    });
  }
  return actions;
}

function removeTagActions(transcript: Transcript, tag: Tag): CodeAction[] {
  const actions: CodeAction[] = [];
  const edits: FileEdits = new Map();
  const lines = transcript.lines;
  if (tag.kind === 'span') {
    const passage = transcript.segments.find((segment) => segment.tags[0] === tag);
    if (!passage) return actions;
    addEdit(edits, transcript.uri, lines, { start: passage.span.start, end: passage.span.start + 1 }, '');
    addEdit(edits, transcript.uri, lines, { start: passage.text.end, end: passage.span.end }, '');
  } else {
    // Overlap markers go in pairs, and one marker may pair with several (`{#a #b>}` … `{<#a}` … `{<#b}`):
    // remove every marker linked to this one, or a partner would be left unclosed or unopened.
    const tags = new Set<Tag>([tag]);
    const overlaps = transcript.segments.filter((segment) => segment.kind === 'overlap');
    for (let grew = true; grew; ) {
      grew = false;
      for (const segment of overlaps) {
        if (!segment.tags.some((t) => tags.has(t)) || segment.tags.every((t) => tags.has(t))) continue;
        for (const t of segment.tags) tags.add(t);
        grew = true;
      }
    }
    for (const marker of tags) addEdit(edits, transcript.uri, lines, marker.span, '');
  }
  actions.push({
    title:
      tag.kind === 'span'
        ? 'Remove this coding (keep the text)'
        : 'Remove these overlap markers (keep the text)',
    kind: CodeActionKind.RefactorRewrite,
    edit: { changes: Object.fromEntries(edits) },
  });
  if (tag.kind === 'span' && tag.codes.length > 1) {
    for (const code of tag.codes) {
      actions.push({
        title: `Remove #${code.raw} from this tag`,
        kind: CodeActionKind.RefactorRewrite,
        edit: {
          changes: {
            [transcript.uri]: [
              { range: lines.rangeOf(codeRemovalSpan(transcript.text, code.span)), newText: '' },
            ],
          },
        },
      });
    }
  }
  return actions;
}

/**
 * The selection trimmed of surrounding white space, or undefined when no passage can begin and end there:
 * inside a tag's syntax, inline code, a code block or an HTML comment, or where neither brackets nor
 * overlap markers would code exactly the selection.
 */
export function codableSelection(transcript: Transcript, selection: Span): Span | undefined {
  const text = transcript.text;
  let { start, end } = selection;
  while (start < end && /\s/.test(text.charAt(start))) start++;
  while (end > start && /\s/.test(text.charAt(end - 1))) end--;
  if (start === end) return undefined;
  // A span tag's syntax starts at the `]` before its brace: no passage may begin or end in `]{…}`.
  const inside = (offset: number) =>
    transcript.tags.some((tag) => {
      const from = tag.kind === 'span' ? tag.span.start - 1 : tag.span.start;
      return offset > from && offset < tag.span.end;
    });
  if (inside(start) || inside(end)) return undefined;
  const span = { start, end };
  // Whether a passage can begin and end here does not depend on the code's name.
  return codeSelectionEdits(transcript, span, PROBE_CODE).length > 0 ? span : undefined;
}

const PROBE_CODE = 'kodkarta-probe';

/**
 * Codes a selection: brackets when the new passage nests cleanly with the existing ones and the `[…]`
 * of the text, overlap markers when brackets would cross them, so that no existing coding is broken.
 * No edits when neither codes exactly the selection.
 */
export function codeSelectionEdits(transcript: Transcript, selection: Span, code: string): TextEdit[] {
  const forms: [string, string][] = [
    ['[', `]{#${code}}`],
    [`{#${code}>}`, `{<#${code}}`],
  ];
  const form = forms.find((candidate) => makesPassage(transcript, selection, candidate, normalizeCode(code)));
  if (!form) return [];
  const at = (offset: number) => transcript.lines.rangeOf({ start: offset, end: offset });
  return [
    { range: at(selection.start), newText: form[0] },
    { range: at(selection.end), newText: form[1] },
  ];
}

/**
 * Whether writing `open` and `close` around the selection makes a passage of exactly the selection, with
 * no new problem. Tried on the edited text: lone brackets, `[paus]`, links, inline code, comments and
 * backslashes decide it as much as the passages do. Our own pair matching means whatever lies between
 * is balanced, so every other passage stays as it was.
 */
function makesPassage(
  transcript: Transcript,
  selection: Span,
  [open, close]: [string, string],
  code: string,
): boolean {
  const text = transcript.text;
  const edited =
    text.slice(0, selection.start) +
    open +
    text.slice(selection.start, selection.end) +
    close +
    text.slice(selection.end);
  const scan = scanTranscript(edited);
  const start = selection.start + open.length;
  const end = selection.end + open.length;
  const problems = transcript.problems.filter((problem) => problem.rule === 'malformed-tag').length;
  return (
    scan.problems.length === problems &&
    scan.passages.some(
      (passage) =>
        passage.text.start === start &&
        passage.text.end === end &&
        passage.codes.some((c) => c.name === code),
    )
  );
}
