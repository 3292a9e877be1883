import type { Theme } from '../codebook';
import { readFrontMatter, stringValue } from '../frontMatter';
import type { ProjectIndex } from '../projectIndex';
import { type AttributeValue, fileStem, type Transcript } from '../transcript';
import { InterchangeError } from './errors';
import { exportedText } from './exportText';
import { type GuidKind, guidFactory } from './guid';
import { MEMO_FOLDER } from './model';
import { container, element, serializeXml, textElement, type XmlElement } from './xmlWriter';
import { writeZip } from './zip';

/**
 * REFI-QDA export: the codebook as `.qdc`, the whole project as `.qdpx` (a zip with `project.qde` and
 * one plain-text file per transcript under `sources/`). Strict in what it writes: children in schema
 * order, no empty containers, deterministic GUIDs and bytes. What maps to what: docs/interchange.md.
 */

export const PROJECT_NAMESPACE = 'urn:QDA-XML:project:1.0';
export const CODEBOOK_NAMESPACE = 'urn:QDA-XML:codebook:1.0';
const ORIGIN = 'Kodkarta';

interface ExportCode {
  guid: string;
  name: string;
  codable: boolean;
  description: string;
  children: ExportCode[];
}

export interface ExportSelection {
  guid: string;
  /** Code point positions in the exported text, end exclusive. */
  start: number;
  end: number;
  /** Canonical code names, in order of appearance. */
  codes: string[];
  note?: string;
}

export interface ExportSource {
  guid: string;
  name: string;
  uri: string;
  text: string;
  selections: ExportSelection[];
  participant: string;
}

interface ExportCase {
  guid: string;
  id: string;
  label: string;
  attributes: Record<string, AttributeValue>;
  sources: string[];
}

type VariableType = 'Text' | 'Boolean' | 'Integer' | 'Float' | 'Date' | 'DateTime';

interface ExportVariable {
  guid: string;
  name: string;
  type: VariableType;
}

/** Everything an export writes, computed once from the index. */
export interface ExportModel {
  name: string;
  description?: string;
  codes: ExportCode[];
  codeGuids: Map<string, string>;
  sources: ExportSource[];
  cases: ExportCase[];
  variables: ExportVariable[];
  memos: { guid: string; name: string; text: string }[];
  /** What the codebook alone loses (a .qdc export). */
  codebookWarnings: string[];
  /** What the project loses (a .qdpx export), the codebook's losses included. */
  warnings: string[];
  guid: (kind: GuidKind, key: string) => string;
}

/** The project's name in exports: the codebook's title, else the project folder's name. */
export function projectName(index: ProjectIndex): string {
  if (index.settings.title) return index.settings.title;
  const path = index.rootUri.replace(/\/+$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last) || 'Kodkarta project';
  } catch {
    return last || 'Kodkarta project';
  }
}

export function exportModel(index: ProjectIndex): ExportModel {
  const codebookWarnings: string[] = [];
  const warnings: string[] = [];
  const name = projectName(index);
  const guid = guidFactory(name);
  const codebook = index.codebook;
  const description = codebook ? stringValue(readFrontMatter(codebook.text).data.description) : undefined;

  // Codes: listed codes without a theme, then codes used but listed nowhere, then the theme tree.
  const codeGuids = new Map<string, string>();
  const codeNode = (code: string, definition: string, aliases: string[]): ExportCode => {
    const node: ExportCode = {
      guid: guid('code', code),
      name: code,
      codable: true,
      description: [definition, aliases.length > 0 ? `Aliases: ${aliases.join(', ')}` : '']
        .filter((part) => part !== '')
        .join(' '),
      children: [],
    };
    codeGuids.set(code, node.guid);
    return node;
  };
  const codes: ExportCode[] = [];
  const listed = new Set<string>();
  for (const [code, entries] of codebook?.codes ?? []) {
    const first = entries[0];
    if (entries.length > 1) {
      codebookWarnings.push(
        `#${code} is listed ${entries.length} times in the codebook: exported once, where it counts`,
      );
    }
    listed.add(code);
    if (first && index.themeOf(code) === undefined)
      codes.push(codeNode(code, first.definition, first.aliases));
  }
  const settings = index.settings;
  const own = [
    settings.minParticipants !== 1 ? `min_participants: ${settings.minParticipants}` : '',
    settings.overlapThreshold !== 0.5 ? `overlap_threshold: ${settings.overlapThreshold}` : '',
    Object.keys(settings.severity).length > 0 ? 'severity' : '',
  ].filter((setting) => setting !== '');
  if (own.length > 0) {
    codebookWarnings.push(`codebook settings are Kodkarta's own and not carried over: ${own.join(', ')}`);
  }
  const sources = exportSources(index, guid, warnings);
  const unknown = new Set<string>();
  for (const source of sources)
    for (const selection of source.selections)
      for (const code of selection.codes) if (!listed.has(code)) unknown.add(code);
  for (const code of [...unknown].sort(compareText)) codes.push(codeNode(code, '', []));

  const themes = codebook?.themes ?? [];
  const themeKeys = new Set<string>();
  const themeNode = (theme: Theme, parentKey: string): ExportCode => {
    let key = `${parentKey}\u0001${theme.name}`;
    for (let n = 2; themeKeys.has(key); n++) key = `${parentKey}\u0001${theme.name}\u0001${n}`;
    themeKeys.add(key);
    const children: ExportCode[] = [];
    const seen = new Set<string>();
    for (const entry of theme.codes) {
      if (seen.has(entry.name) || index.themeOf(entry.name) !== theme.index) continue;
      seen.add(entry.name);
      const first = codebook?.codes.get(entry.name)?.[0] ?? entry;
      children.push(codeNode(entry.name, first.definition, first.aliases));
    }
    for (const child of theme.children) {
      const sub = themes[child];
      if (sub) children.push(themeNode(sub, key));
    }
    return {
      guid: guid('theme', key),
      name: `${theme.number} ${theme.name}`,
      codable: false,
      description: theme.definition,
      children,
    };
  };
  for (const theme of themes) if (theme.parent === undefined) codes.push(themeNode(theme, ''));

  const { cases, variables } = exportCases(index, sources, guid, warnings);
  if (index.transcripts().some((t) => t.speakers.size > 0)) {
    warnings.push(
      'speakers: declarations in front matter are not carried over (REFI-QDA has no place for them)',
    );
  }
  const memos = index
    .memos()
    .map((memo) => {
      const path = index.relativePath(memo.uri) ?? memo.uri;
      const memoName = path.replace(/\.md$/i, '').replace(new RegExp(`^${MEMO_FOLDER}/`), '');
      return { guid: guid('memo', memoName), name: memoName, text: normalizeText(memo.text) };
    })
    .sort((a, b) => compareText(a.name, b.name));
  return {
    name,
    ...(description ? { description } : {}),
    codes,
    codeGuids,
    sources,
    cases,
    variables,
    memos,
    codebookWarnings,
    warnings: [...codebookWarnings, ...warnings],
    guid,
  };
}

function exportSources(
  index: ProjectIndex,
  guid: (kind: GuidKind, key: string) => string,
  warnings: string[],
): ExportSource[] {
  const transcripts = index.transcripts();
  const names = sourceNames(index, transcripts);
  return transcripts.map((transcript, i) => {
    const name = names[i] ?? fileStem(transcript.uri);
    const sourceGuid = guid('source', name);
    const exported = exportedText(transcript);
    const byRange = new Map<string, { start: number; end: number; codes: string[]; notes: string[] }>();
    for (const segment of transcript.segments) {
      const start = exported.position(segment.text.start);
      const end = exported.position(segment.text.end);
      if (end <= start) {
        warnings.push(
          `${index.relativePath(transcript.uri) ?? transcript.uri}: a coded passage with no text was left out`,
        );
        continue;
      }
      const key = `${start}:${end}`;
      const group = byRange.get(key) ?? { start, end, codes: [], notes: [] };
      byRange.set(key, group);
      for (const occurrence of segment.codes) {
        const code = index.resolveCode(occurrence.name);
        if (!group.codes.includes(code)) group.codes.push(code);
      }
      const note = segment.note?.text.trim();
      if (note && !group.notes.includes(note)) group.notes.push(note);
    }
    const selections = [...byRange.values()]
      .sort((a, b) => a.start - b.start || b.end - a.end)
      .map((group): ExportSelection => {
        const selectionKey = `${name}\u0000${group.start}\u0000${group.end}`;
        return {
          guid: guid('selection', selectionKey),
          start: group.start,
          end: group.end,
          codes: group.codes,
          // Passages over the same text are one selection in REFI-QDA; their notes become one note.
          ...(group.notes.length > 0 ? { note: group.notes.join(' · ') } : {}),
        };
      });
    return {
      guid: sourceGuid,
      name,
      uri: transcript.uri,
      text: exported.text,
      selections,
      participant: transcript.participant.id,
    };
  });
}

/** Each transcript's source name: its file name, or its path below the common folder when names clash. */
function sourceNames(index: ProjectIndex, transcripts: Transcript[]): string[] {
  const paths = transcripts.map((t) => (index.relativePath(t.uri) ?? fileStem(t.uri)).replace(/\.md$/i, ''));
  const stems = paths.map((path) => path.slice(path.lastIndexOf('/') + 1));
  const counts = new Map<string, number>();
  for (const stem of stems) counts.set(stem.toLowerCase(), (counts.get(stem.toLowerCase()) ?? 0) + 1);
  const folders = paths.map((path) => path.split('/').slice(0, -1));
  let common = folders[0] ?? [];
  for (const folder of folders) {
    let k = 0;
    while (k < common.length && k < folder.length && common[k] === folder[k]) k++;
    common = common.slice(0, k);
  }
  return paths.map((path, i) => {
    const stem = stems[i] ?? path;
    if ((counts.get(stem.toLowerCase()) ?? 0) <= 1) return stem;
    return path.split('/').slice(common.length).join('/');
  });
}

function exportCases(
  index: ProjectIndex,
  sources: ExportSource[],
  guid: (kind: GuidKind, key: string) => string,
  warnings: string[],
): { cases: ExportCase[]; variables: ExportVariable[] } {
  const byId = new Map<string, ExportCase>();
  const keys: string[] = [];
  for (const [i, transcript] of index.transcripts().entries()) {
    const participant = transcript.participant;
    const source = sources[i];
    for (const key of Object.keys(participant.attributes)) if (!keys.includes(key)) keys.push(key);
    const existing = byId.get(participant.id);
    if (existing) {
      if (source) existing.sources.push(source.guid);
      const differs = JSON.stringify(existing.attributes) !== JSON.stringify(participant.attributes);
      if (differs || existing.label !== participant.label) {
        warnings.push(
          `participant ${participant.id}: transcripts give different labels or attributes; the first transcript's are exported`,
        );
      }
      continue;
    }
    byId.set(participant.id, {
      guid: guid('case', participant.id),
      id: participant.id,
      label: participant.label,
      attributes: participant.attributes,
      sources: source ? [source.guid] : [],
    });
  }
  const cases = [...byId.values()].sort(
    (a, b) => participantOrder.compare(a.id, b.id) || compareText(a.id, b.id),
  );
  const variables = keys.map((key) => ({
    guid: guid('variable', key),
    name: key,
    type: variableType(
      cases.flatMap((c) => (key in c.attributes ? [c.attributes[key] as AttributeValue] : [])),
    ),
  }));
  return { cases, variables };
}

const datePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const dateTimePattern =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** The narrowest REFI-QDA type that every value fits. */
function variableType(values: AttributeValue[]): VariableType {
  if (values.length === 0) return 'Text';
  if (values.every((v) => typeof v === 'boolean')) return 'Boolean';
  if (values.every((v) => typeof v === 'number' && Number.isSafeInteger(v))) return 'Integer';
  if (values.every((v) => typeof v === 'number' && Number.isFinite(v))) return 'Float';
  if (values.every((v) => typeof v === 'string' && datePattern.test(v))) return 'Date';
  if (values.every((v) => typeof v === 'string' && dateTimePattern.test(v))) return 'DateTime';
  return 'Text';
}

const valueElements: Record<VariableType, string> = {
  Text: 'TextValue',
  Boolean: 'BooleanValue',
  Integer: 'IntegerValue',
  Float: 'FloatValue',
  Date: 'DateValue',
  DateTime: 'DateTimeValue',
};

function variableValue(variable: ExportVariable, value: AttributeValue): XmlElement {
  const text = variable.type === 'Float' && typeof value === 'number' ? decimal(value) : String(value);
  return element('VariableValue', {}, [
    element('VariableRef', { targetGUID: variable.guid }),
    { name: valueElements[variable.type], attributes: [], children: [], text },
  ]);
}

/** A number as xsd:decimal: never in exponent notation. */
function decimal(value: number): string {
  const plain = String(value);
  if (!/e/i.test(plain)) return plain;
  if (Number.isInteger(value)) return BigInt(value).toString();
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

// ---------------------------------------------------------------------------------------------------
// XML

function codeElement(code: ExportCode): XmlElement {
  return element('Code', { guid: code.guid, name: code.name, isCodable: code.codable }, [
    textElement('Description', code.description),
    ...code.children.map((child) => codeElement(child)),
  ]);
}

/** The codebook alone, as a `.qdc` file. */
export function codebookXml(model: ExportModel): string {
  if (model.codes.length === 0) {
    throw new InterchangeError('the codebook has no themes or codes: there is nothing to export as .qdc');
  }
  const root = element('CodeBook', { xmlns: CODEBOOK_NAMESPACE, origin: ORIGIN }, [
    element(
      'Codes',
      {},
      model.codes.map((code) => codeElement(code)),
    ),
  ]);
  return serializeXml(root);
}

/** `project.qde`: the project with codebook, variables, cases, sources, selections and notes. */
export function projectXml(model: ExportModel): string {
  const { guid } = model;
  const notes: XmlElement[] = [];
  const sourceElements = model.sources.map((source) => {
    const chars = [...source.text];
    return element(
      'TextSource',
      { guid: source.guid, name: source.name, plainTextPath: `internal://${source.guid}.txt` },
      [
        ...source.selections.map((selection) => {
          const noteGuid = selection.note
            ? guid('note', `${source.name}\u0000${selection.start}\u0000${selection.end}`)
            : undefined;
          if (selection.note && noteGuid) {
            notes.push(
              element('Note', { guid: noteGuid, name: noteName(selection.note) }, [
                textElement('PlainTextContent', selection.note),
              ]),
            );
          }
          return element(
            'PlainTextSelection',
            {
              guid: selection.guid,
              name: chars.slice(selection.start, selection.end).join(''),
              startPosition: selection.start,
              endPosition: selection.end,
            },
            [
              ...selection.codes.map((code) =>
                element('Coding', { guid: guid('coding', `${selection.guid}\u0000${code}`) }, [
                  element('CodeRef', { targetGUID: model.codeGuids.get(code) ?? guid('code', code) }),
                ]),
              ),
              noteGuid ? element('NoteRef', { targetGUID: noteGuid }) : undefined,
            ],
          );
        }),
      ],
    );
  });
  for (const memo of model.memos) {
    notes.push(
      element('Note', { guid: memo.guid, name: memo.name }, [textElement('PlainTextContent', memo.text)]),
    );
  }
  const variablesByName = new Map(model.variables.map((v) => [v.name, v]));
  const root = element('Project', { xmlns: PROJECT_NAMESPACE, name: model.name, origin: ORIGIN }, [
    container('CodeBook', [
      container(
        'Codes',
        model.codes.map((code) => codeElement(code)),
      ),
    ]),
    container(
      'Variables',
      model.variables.map((variable) =>
        element('Variable', { guid: variable.guid, name: variable.name, typeOfVariable: variable.type }),
      ),
    ),
    container(
      'Cases',
      model.cases.map((c) =>
        element('Case', { guid: c.guid, name: c.id }, [
          c.label !== c.id ? textElement('Description', c.label) : undefined,
          ...Object.entries(c.attributes).flatMap(([key, value]) => {
            const variable = variablesByName.get(key);
            return variable ? [variableValue(variable, value)] : [];
          }),
          ...c.sources.map((source) => element('SourceRef', { targetGUID: source })),
        ]),
      ),
    ),
    container('Sources', sourceElements),
    container('Notes', notes),
    textElement('Description', model.description),
    ...model.memos.map((memo) => element('NoteRef', { targetGUID: memo.guid })),
  ]);
  return serializeXml(root);
}

function noteName(note: string): string {
  const chars = [...note.replace(/\s+/g, ' ').trim()];
  return chars.length > 60 ? `${chars.slice(0, 59).join('')}…` : chars.join('');
}

const encoder = new TextEncoder();

/** The `.qdpx` archive: `project.qde`, then `sources/<GUID>.txt` in the order of the project. */
export function projectArchive(model: ExportModel): Uint8Array {
  return writeZip([
    { path: 'project.qde', bytes: encoder.encode(projectXml(model)) },
    ...model.sources.map((source) => ({
      path: `sources/${source.guid}.txt`,
      bytes: encoder.encode(source.text),
    })),
  ]);
}

function normalizeText(text: string): string {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}

const participantOrder = new Intl.Collator('sv', { numeric: true, sensitivity: 'base' });

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
