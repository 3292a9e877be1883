import { isCodeChar, normalizeCode } from '../codeNames';
import { decodeFile } from '../decode';
import type { AttributeValue } from '../transcript';
import { InterchangeError } from './errors';
import { normalizeGuid } from './guid';
import type { Study, StudyCode, StudyMemo, StudyPassage, StudyTranscript } from './model';
import { CODEBOOK_NAMESPACE, PROJECT_NAMESPACE } from './refiExport';
import { childNamed, childrenNamed, childText, defaultXmlLimits, readXml, type XmlNode } from './xmlReader';
import { defaultZipLimits, isZip, readZip, type ZipEntry, type ZipLimits } from './zip';

/**
 * REFI-QDA import: a `.qdpx` archive, a bare `project.qde` or a `.qdc` codebook, read into a Study.
 * Lenient in what it reads (see docs/interchange.md for the list of quirks), strict about hostile
 * input (zip.ts, xmlReader.ts), and it says what it could not carry over.
 */

export interface ReadOptions {
  zipLimits?: ZipLimits;
}

export interface ReadResult {
  kind: 'project' | 'codebook';
  study: Study;
  warnings: string[];
}

export function readRefi(bytes: Uint8Array, fileName: string, options: ReadOptions = {}): ReadResult {
  if (isZip(bytes)) return readArchive(readZip(bytes, options.zipLimits ?? defaultZipLimits), fileName);
  const root = readXml(decodeXmlBytes(bytes, fileName), fileName, defaultXmlLimits);
  if (root.name === 'CodeBook') return readCodebook(root, fileName);
  if (root.name === 'Project') return new ProjectReader(root, fileName, () => undefined).read();
  throw new InterchangeError(
    `${fileName} is neither a REFI-QDA project nor a codebook (its root element is <${root.name}>)`,
  );
}

function readArchive(entries: ZipEntry[], fileName: string): ReadResult {
  const qde = entries.filter((entry) => /\.qde$/i.test(entry.path));
  const depth = (entry: ZipEntry) => entry.path.split('/').length;
  const chosen =
    qde.find((entry) => entry.path.toLowerCase() === 'project.qde') ??
    qde.filter((entry) => /(^|\/)project\.qde$/i.test(entry.path)).sort((a, b) => depth(a) - depth(b))[0] ??
    (qde.length === 1 ? qde[0] : undefined);
  if (!chosen) {
    throw new InterchangeError(
      qde.length === 0
        ? `${fileName} holds no project.qde: it is not a REFI-QDA project archive`
        : `${fileName} holds several .qde files (${qde.map((e) => e.path).join(', ')}) and none is project.qde`,
    );
  }
  const base = chosen.path.includes('/') ? chosen.path.slice(0, chosen.path.lastIndexOf('/') + 1) : '';
  const byPath = new Map(entries.map((entry) => [entry.path.toLowerCase(), entry]));
  const find = (path: string) => byPath.get(`${base}${path}`.toLowerCase());
  const root = readXml(decodeXmlBytes(chosen.bytes, chosen.path), chosen.path, defaultXmlLimits);
  if (root.name !== 'Project') {
    throw new InterchangeError(
      `${chosen.path} is not a REFI-QDA project (its root element is <${root.name}>)`,
    );
  }
  return new ProjectReader(root, chosen.path, find).read();
}

function decodeXmlBytes(bytes: Uint8Array, fileName: string): string {
  const decoded = decodeFile(bytes);
  if (decoded.text === undefined) throw new InterchangeError(`${fileName}: ${decoded.problem}`);
  return decoded.text;
}

// ---------------------------------------------------------------------------------------------------
// codes

interface CodeInfo {
  /** Kodkarta name for codable codes. */
  name: string;
  node: StudyCode;
}

class CodeReader {
  readonly byGuid = new Map<string, CodeInfo>();
  readonly roots: StudyCode[] = [];
  private readonly used = new Set<string>();
  renamed: [string, string][] = [];
  colours = 0;

  constructor(
    codes: XmlNode | undefined,
    private readonly codedGuids: Set<string>,
    private readonly warnings: string[],
  ) {
    for (const code of childrenNamed(codes, 'Code')) this.roots.push(this.read(code));
    if (this.renamed.length > 0) {
      const examples = this.renamed
        .slice(0, 5)
        .map(([from, to]) => `"${from}" → #${to}`)
        .join(', ');
      const count = this.renamed.length;
      const what =
        count === 1
          ? '1 code name was not a valid Kodkarta code name'
          : `${count} code names were not valid Kodkarta code names`;
      warnings.push(`${what} and became: ${examples}${count > 5 ? ', …' : ''}`);
    }
    if (this.colours > 0) {
      warnings.push(
        `${this.colours} code colour${this.colours === 1 ? ' is' : 's are'} not kept: Kodkarta colours codes by theme`,
      );
    }
  }

  private read(node: XmlNode): StudyCode {
    const guid = normalizeGuid(node.attributes.guid);
    const original = (node.attributes.name ?? '').trim();
    let codable = parseBoolean(node.attributes.isCodable) ?? true;
    if (!codable && this.codedGuids.has(guid)) {
      this.warnings.push(`"${original}" is a folder in the codebook but codes passages: it became a code`);
      codable = true;
    }
    if (node.attributes.color) this.colours++;
    const description = childNamed(node, 'Description')?.text.trim() ?? '';
    const code: StudyCode = { name: original || 'Code', codable, description, children: [] };
    if (codable) {
      const name = this.uniqueName(original);
      if (name !== original) {
        code.displayName = original;
        if (normalizeCode(original) !== name) this.renamed.push([original, name]);
      }
      code.name = name;
    }
    if (guid) this.byGuid.set(guid, { name: code.name, node: code });
    for (const child of childrenNamed(node, 'Code')) code.children.push(this.read(child));
    return code;
  }

  private uniqueName(original: string): string {
    const base = toCodeName(original);
    let name = base;
    for (let n = 2; this.used.has(name); n++) name = `${base}-${n}`;
    this.used.add(name);
    return name;
  }
}

/** A valid Kodkarta code name from any name: spaces become `-`, other characters that cannot be in one go. */
export function toCodeName(name: string): string {
  const chars: string[] = [];
  for (const char of name.normalize('NFC').trim().replace(/\s+/g, '-')) {
    if (isCodeChar(char.codePointAt(0) ?? 0)) chars.push(char);
  }
  const cleaned = chars
    .join('')
    .replace(/\/{2,}/g, '/')
    .replace(/^[/-]+|[/-]+$/g, '')
    .replace(/-{2,}/g, '-');
  return cleaned || 'code';
}

function readCodebook(root: XmlNode, fileName: string): ReadResult {
  const warnings: string[] = [];
  if (root.namespace !== CODEBOOK_NAMESPACE)
    warnings.push(namespaceWarning(fileName, root.namespace, CODEBOOK_NAMESPACE));
  const codes = new CodeReader(childNamed(root, 'Codes'), new Set(), warnings);
  const sets = childrenNamed(childNamed(root, 'Sets'), 'Set').length;
  if (sets > 0)
    warnings.push(
      `${sets} code set${sets === 1 ? ' is' : 's are'} not carried over (Kodkarta groups codes by theme)`,
    );
  const title = fileName.replace(/^.*[/\\]/, '').replace(/\.qdc$/i, '') || 'Imported codebook';
  return { kind: 'codebook', study: { title, codes: codes.roots, transcripts: [], memos: [] }, warnings };
}

function namespaceWarning(fileName: string, found: string | undefined, expected: string): string {
  return `${fileName}: namespace ${found ? `"${found}"` : '(none)'} instead of "${expected}"; read anyway`;
}

// ---------------------------------------------------------------------------------------------------
// projects

interface NoteInfo {
  name: string;
  text: string;
  /** Whether it became part of a passage's note. */
  used: boolean;
}

class ProjectReader {
  private readonly warnings: string[] = [];
  private readonly notes = new Map<string, NoteInfo>();
  private readonly noteOrder: string[] = [];
  /** Selection or source GUID to notes linked to it. */
  private readonly linkedNotes = new Map<string, string[]>();
  private readonly memos: StudyMemo[] = [];
  private readonly annotations: string[] = [];

  constructor(
    private readonly root: XmlNode,
    private readonly fileName: string,
    private readonly find: (path: string) => ZipEntry | undefined,
  ) {}

  read(): ReadResult {
    const { root, warnings } = this;
    if (root.namespace !== PROJECT_NAMESPACE)
      warnings.push(namespaceWarning(this.fileName, root.namespace, PROJECT_NAMESPACE));
    const sourcesNode = childNamed(root, 'Sources');
    const codedGuids = new Set<string>();
    collectCodeRefs(sourcesNode, codedGuids);
    const codes = new CodeReader(
      childNamed(childNamed(root, 'CodeBook'), 'Codes') ?? childNamed(root, 'Codes'),
      codedGuids,
      warnings,
    );

    for (const note of childrenNamed(childNamed(root, 'Notes'), 'Note')) this.readNote(note);
    this.readLinks();
    const variables = new Map<string, string>();
    for (const variable of childrenNamed(childNamed(root, 'Variables'), 'Variable')) {
      variables.set(
        normalizeGuid(variable.attributes.guid),
        (variable.attributes.name ?? '').trim() || 'variable',
      );
    }
    const cases = this.readCases(variables);

    const transcripts: StudyTranscript[] = [];
    const skipped = new Map<string, string[]>();
    for (const source of sourcesNode?.children ?? []) {
      if (source.name === 'TextSource') {
        const transcript = this.readTextSource(source, codes, variables, cases);
        if (transcript) transcripts.push(transcript);
      } else {
        const kind = sourceKinds[source.name] ?? source.name;
        const list = skipped.get(kind) ?? [];
        list.push(source.attributes.name ?? normalizeGuid(source.attributes.guid));
        skipped.set(kind, list);
      }
    }
    for (const [kind, names] of skipped) {
      warnings.push(
        `${names.length} ${kind} source${names.length === 1 ? '' : 's'} not carried over (Kodkarta codes text only): ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`,
      );
    }

    // Notes on the project, on codes, linked to things, or on nothing: memos.
    for (const ref of childrenNamed(root, 'NoteRef'))
      this.noteAsMemo(normalizeGuid(ref.attributes.targetGUID));
    for (const [guid, info] of codes.byGuid) {
      const node = this.codeNode(guid);
      for (const ref of childrenNamed(node, 'NoteRef')) {
        this.noteAsMemo(normalizeGuid(ref.attributes.targetGUID), `About #${info.name}`);
      }
      for (const noteGuid of this.linkedNotes.get(guid) ?? [])
        this.noteAsMemo(noteGuid, `About #${info.name}`);
    }
    for (const guid of this.noteOrder) this.noteAsMemo(guid);
    if (this.annotations.length > 0) {
      this.memos.push({
        name: 'imported-annotations',
        text: `# Annotations on uncoded passages\n\nNotes that the imported project kept on passages with no code.\n\n${this.annotations.join('\n\n')}\n`,
      });
      warnings.push(
        `${this.annotations.length} note${this.annotations.length === 1 ? '' : 's'} on uncoded passages went to memos/imported-annotations.md`,
      );
    }

    for (const [name, what] of [
      ['Sets', 'set'],
      ['Graphs', 'graph'],
      ['Users', 'user'],
    ] as const) {
      const count = childNamed(root, name)?.children.length ?? 0;
      if (count > 0) {
        warnings.push(
          `${count} ${what}${count === 1 ? ' is' : 's are'} not carried over${what === 'user' ? ' (who coded what is not kept)' : ''}`,
        );
      }
    }
    const description = childText(root, 'Description');
    const study: Study = {
      title: (root.attributes.name ?? '').trim() || this.fileName.replace(/^.*\//, '').replace(/\.qde$/i, ''),
      ...(description ? { description } : {}),
      codes: codes.roots,
      transcripts,
      memos: this.memos,
    };
    return { kind: 'project', study, warnings };
  }

  /** Adds a warning once: the same message from many selections is said one time. */
  private warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  private codeNode(guid: string): XmlNode | undefined {
    const stack = [...childrenNamed(childNamed(childNamed(this.root, 'CodeBook'), 'Codes'), 'Code')];
    while (stack.length > 0) {
      const node = stack.pop();
      if (!node) break;
      if (normalizeGuid(node.attributes.guid) === guid) return node;
      stack.push(...childrenNamed(node, 'Code'));
    }
    return undefined;
  }

  private readNote(node: XmlNode): void {
    const guid = normalizeGuid(node.attributes.guid);
    const inline = childNamed(node, 'PlainTextContent')?.text;
    let text = inline;
    const path = node.attributes.plainTextPath;
    if (text === undefined && path) text = this.readTextFile(path, `note "${node.attributes.name ?? guid}"`);
    if (text === undefined) {
      const description = childText(node, 'Description');
      if (description) text = description;
    }
    const name = (node.attributes.name ?? '').trim() || `note-${this.noteOrder.length + 1}`;
    this.notes.set(guid, { name, text: normalizeLineBreaks(text ?? ''), used: false });
    this.noteOrder.push(guid);
  }

  private readLinks(): void {
    let other = 0;
    for (const link of childrenNamed(childNamed(this.root, 'Links'), 'Link')) {
      const origin = normalizeGuid(link.attributes.originGUID);
      const target = normalizeGuid(link.attributes.targetGUID);
      if (this.notes.has(origin) && !this.notes.has(target)) this.link(target, origin);
      else if (this.notes.has(target) && !this.notes.has(origin)) this.link(origin, target);
      else other++;
    }
    if (other > 0)
      this.warn(
        `${other} link${other === 1 ? '' : 's'} between objects not carried over (Kodkarta has no links)`,
      );
  }

  private link(object: string, note: string): void {
    const list = this.linkedNotes.get(object) ?? [];
    list.push(note);
    this.linkedNotes.set(object, list);
  }

  private noteAsMemo(guid: string, heading?: string): void {
    const note = this.notes.get(guid);
    if (!note || note.used) return;
    note.used = true;
    // A note that is a memo of the project comes back as it was; one about a code says which.
    const body = heading ? `# ${heading}\n\n${note.text.replace(/\n*$/, '\n')}` : note.text;
    this.memos.push({ name: note.name, text: body });
  }

  private noteText(guid: string): string | undefined {
    const note = this.notes.get(guid);
    if (!note) return undefined;
    note.used = true;
    return note.text;
  }

  private readCases(variables: Map<string, string>): Map<string, CaseInfo[]> {
    const bySource = new Map<string, CaseInfo[]>();
    let selectionRefs = 0;
    let codeRefs = 0;
    for (const node of childrenNamed(childNamed(this.root, 'Cases'), 'Case')) {
      const info: CaseInfo = {
        name: (node.attributes.name ?? '').trim() || `Case ${bySource.size + 1}`,
        attributes: readVariableValues(node, variables),
      };
      const description = childText(node, 'Description');
      if (description) info.label = description.replace(/\s+/g, ' ');
      selectionRefs += childrenNamed(node, 'SelectionRef').length;
      codeRefs += childrenNamed(node, 'CodeRef').length;
      const refs = childrenNamed(node, 'SourceRef');
      if (refs.length === 0)
        this.warn(`case "${info.name}" refers to no source: its attributes are not carried over`);
      for (const ref of refs) {
        const source = normalizeGuid(ref.attributes.targetGUID);
        const list = bySource.get(source) ?? [];
        list.push(info);
        bySource.set(source, list);
      }
    }
    if (selectionRefs > 0)
      this.warn(
        `${selectionRefs} passage${selectionRefs === 1 ? '' : 's'} assigned to cases: case membership of single passages is not carried over`,
      );
    if (codeRefs > 0)
      this.warn(`${codeRefs} code${codeRefs === 1 ? '' : 's'} assigned to cases: not carried over`);
    return bySource;
  }

  private readTextFile(path: string, what: string): string | undefined {
    const match = /^internal:\/\/(.+)$/i.exec(path.trim());
    if (!match?.[1]) {
      this.warn(`${what}: its text lies outside the archive (${path}) and is not carried over`);
      return undefined;
    }
    const name = match[1].replace(/\\/g, '/');
    const entry = this.find(`sources/${name}`) ?? this.find(name);
    if (!entry) {
      throw new InterchangeError(`${what}: its text file sources/${name} is missing from the archive`);
    }
    const decoded = decodeFile(entry.bytes);
    if (decoded.problem) this.warn(`${what}: ${decoded.problem}`);
    if (decoded.text === undefined) return undefined;
    return decoded.text;
  }

  private readTextSource(
    node: XmlNode,
    codes: CodeReader,
    variables: Map<string, string>,
    cases: Map<string, CaseInfo[]>,
  ): StudyTranscript | undefined {
    const guid = normalizeGuid(node.attributes.guid);
    const name = (node.attributes.name ?? '').trim().replace(/\.(txt|docx?|rtf|odt|md|html?)$/i, '') || guid;
    const what = `source "${name}"`;
    const inline = childNamed(node, 'PlainTextContent')?.text;
    let raw = inline;
    if (raw === undefined && node.attributes.plainTextPath)
      raw = this.readTextFile(node.attributes.plainTextPath, what);
    if (raw === undefined) {
      if (!node.attributes.plainTextPath) {
        this.warn(
          `${what} has only rich text${node.attributes.richTextPath ? ` (${node.attributes.richTextPath})` : ''}, no plain text: not carried over`,
        );
      }
      return undefined;
    }
    const readings = new TextReadings(raw);
    const selections = childrenNamed(node, 'PlainTextSelection').flatMap((selection) => {
      const start = Number.parseInt(selection.attributes.startPosition ?? '', 10);
      const end = Number.parseInt(selection.attributes.endPosition ?? '', 10);
      if (!Number.isFinite(start) || !Number.isFinite(end)) {
        this.warn(`${what}: a selection without valid positions was left out`);
        return [];
      }
      return [{ node: selection, start: Math.min(start, end), end: Math.max(start, end) }];
    });
    const reading = readings.choose(selections.map((s) => ({ ...s, name: s.node.attributes.name })));
    const text = readings.lf;

    const passages: StudyPassage[] = [];
    let outOfRange = 0;
    let uncoded = 0;
    for (const selection of selections) {
      const range = readings.range(reading, selection.start, selection.end);
      if (!range) {
        outOfRange++;
        continue;
      }
      const codeNames = this.codingsOf(selection.node, codes);
      const noteTexts: string[] = [];
      const description = childText(selection.node, 'Description');
      if (description) noteTexts.push(description);
      for (const ref of childrenNamed(selection.node, 'NoteRef')) {
        const noteText = this.noteText(normalizeGuid(ref.attributes.targetGUID));
        if (noteText?.trim()) noteTexts.push(noteText);
      }
      for (const coding of childrenNamed(selection.node, 'Coding')) {
        for (const ref of childrenNamed(coding, 'NoteRef')) {
          const noteText = this.noteText(normalizeGuid(ref.attributes.targetGUID));
          if (noteText?.trim()) noteTexts.push(noteText);
        }
      }
      for (const noteGuid of this.linkedNotes.get(normalizeGuid(selection.node.attributes.guid)) ?? []) {
        const noteText = this.noteText(noteGuid);
        if (noteText?.trim()) noteTexts.push(noteText);
      }
      const note = tagNote(noteTexts);
      if (range.end <= range.start) {
        outOfRange++;
        continue;
      }
      if (codeNames.length === 0) {
        if (note) {
          const quote = text.slice(range.start, range.end).replace(/\s+/g, ' ').trim();
          this.annotations.push(`## ${name}\n\n> ${quote}\n\n${noteTexts.join('\n\n')}`);
        } else uncoded++;
        continue;
      }
      passages.push({ start: range.start, end: range.end, codes: codeNames, ...(note ? { note } : {}) });
    }
    const whole = this.codingsOf(node, codes);
    if (whole.length > 0) {
      const start = text.length - text.trimStart().length;
      const end = text.trimEnd().length;
      if (end > start) {
        passages.push({ start, end, codes: whole });
        this.warn(
          `${what}: ${whole.length} coding${whole.length === 1 ? '' : 's'} of the whole source became a passage over its whole text`,
        );
      }
    }
    if (outOfRange > 0)
      this.warn(
        `${what}: ${outOfRange} selection${outOfRange === 1 ? '' : 's'} outside the text or empty, left out`,
      );
    if (uncoded > 0)
      this.warn(
        `${what}: ${uncoded} selection${uncoded === 1 ? '' : 's'} with no code and no note, left out`,
      );

    const sourceNotes = [
      childText(node, 'Description'),
      ...childrenNamed(node, 'NoteRef').map((ref) => this.noteText(normalizeGuid(ref.attributes.targetGUID))),
    ]
      .concat((this.linkedNotes.get(guid) ?? []).map((noteGuid) => this.noteText(noteGuid)))
      .filter((t): t is string => t !== undefined && t.trim() !== '');
    if (sourceNotes.length > 0)
      this.memos.push({
        name: `${name} (notes)`,
        text: `# Notes on ${name}\n\n${sourceNotes.join('\n\n')}\n`,
      });

    const sourceCases = cases.get(guid) ?? [];
    if (sourceCases.length > 1) {
      this.warn(
        `${what} belongs to ${sourceCases.length} cases (${sourceCases.map((c) => c.name).join(', ')}): a transcript has one participant, the first is kept`,
      );
    }
    const theCase = sourceCases[0];
    const attributes = new Map<string, AttributeValue>(theCase?.attributes ?? []);
    for (const [key, value] of readVariableValues(node, variables)) attributes.set(key, value);
    return {
      name,
      text,
      ...(theCase ? { participant: theCase.name } : {}),
      ...(theCase?.label ? { label: theCase.label } : {}),
      attributes: [...attributes],
      passages,
    };
  }

  private codingsOf(node: XmlNode, codes: CodeReader): string[] {
    const names: string[] = [];
    for (const coding of childrenNamed(node, 'Coding')) {
      const ref = normalizeGuid(childNamed(coding, 'CodeRef')?.attributes.targetGUID);
      const code = codes.byGuid.get(ref);
      if (!code) {
        this.warn(`a coding refers to a code that is not in the codebook (${ref || 'no GUID'}): left out`);
        continue;
      }
      if (!names.includes(code.name)) names.push(code.name);
    }
    return names;
  }
}

interface CaseInfo {
  name: string;
  label?: string;
  attributes: [string, AttributeValue][];
}

const sourceKinds: Record<string, string> = {
  PictureSource: 'picture',
  PDFSource: 'PDF',
  AudioSource: 'audio',
  VideoSource: 'video',
};

function collectCodeRefs(node: XmlNode | undefined, into: Set<string>): void {
  const stack = node ? [node] : [];
  while (stack.length > 0) {
    const current = stack.pop();
    if (!current) break;
    if (current.name === 'CodeRef') into.add(normalizeGuid(current.attributes.targetGUID));
    stack.push(...current.children);
  }
}

function readVariableValues(node: XmlNode, variables: Map<string, string>): [string, AttributeValue][] {
  const values: [string, AttributeValue][] = [];
  for (const value of childrenNamed(node, 'VariableValue')) {
    const name = variables.get(normalizeGuid(childNamed(value, 'VariableRef')?.attributes.targetGUID));
    const valueNode = value.children.find((child) => child.name !== 'VariableRef');
    if (!name || !valueNode) continue;
    const text = valueNode.text.trim();
    let typed: AttributeValue = text;
    if (valueNode.name === 'IntegerValue' && /^[-+]?\d+$/.test(text)) {
      const number = Number(text);
      if (Number.isSafeInteger(number)) typed = number;
    } else if (valueNode.name === 'FloatValue' && text !== '' && Number.isFinite(Number(text)))
      typed = Number(text);
    else if (valueNode.name === 'BooleanValue') typed = parseBoolean(text) ?? text;
    values.push([name, typed]);
  }
  return values;
}

function parseBoolean(value: string | undefined): boolean | undefined {
  const text = value?.trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}

/** Notes as one tag note: on one line, without `"` or `}`, which would end it. */
function tagNote(texts: string[]): string | undefined {
  const distinct = [...new Set(texts.map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t !== ''))];
  if (distinct.length === 0) return undefined;
  return distinct.join(' · ').replace(/"/g, "'").replace(/}/g, ')');
}

function normalizeLineBreaks(text: string): string {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}

/**
 * A source's text with LF line breaks, and the two ways tools count positions in it: every code point
 * of the file (a CRLF is two), or a CRLF as one (ATLAS.ti). Maps code point positions to UTF-16
 * offsets into the LF text.
 */
class TextReadings {
  readonly lf: string;
  /** Code point position to LF offset, counting CRLF as two. */
  private readonly two: Int32Array;
  /** Counting CRLF as one; undefined when the text has no CRLF (both readings are the same). */
  private readonly one: Int32Array | undefined;

  constructor(raw: string) {
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    this.lf = text.replace(/\r\n?/g, '\n');
    const hasCrlf = text.includes('\r\n');
    const two: number[] = [];
    const one: number[] = [];
    let lf = 0;
    for (let i = 0; i < text.length; ) {
      const unit = text.charCodeAt(i);
      const next = text.charCodeAt(i + 1);
      if (unit === 13 && next === 10) {
        two.push(lf, lf);
        one.push(lf);
        lf++;
        i += 2;
        continue;
      }
      const size = unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
      two.push(lf);
      one.push(lf);
      lf += size;
      i += size;
    }
    two.push(lf);
    one.push(lf);
    this.two = Int32Array.from(two);
    this.one = hasCrlf ? Int32Array.from(one) : undefined;
  }

  /** The reading under which the selections fit the text best: named text matched, positions in range. */
  choose(selections: { start: number; end: number; name: string | undefined }[]): 'two' | 'one' {
    if (!this.one) return 'two';
    const score = (reading: 'two' | 'one') => {
      let points = 0;
      for (const selection of selections) {
        const range = this.range(reading, selection.start, selection.end);
        if (!range) {
          points -= 1;
          continue;
        }
        if (selection.name && namesMatch(selection.name, this.lf.slice(range.start, range.end))) points += 2;
      }
      return points;
    };
    return score('one') > score('two') ? 'one' : 'two';
  }

  range(reading: 'two' | 'one', start: number, end: number): { start: number; end: number } | undefined {
    const map = reading === 'one' && this.one ? this.one : this.two;
    if (start < 0 || end < start || end >= map.length) return undefined;
    return { start: map[start] ?? 0, end: map[end] ?? 0 };
  }
}

function namesMatch(name: string, text: string): boolean {
  const fold = (s: string) => s.replace(/\s+/g, ' ').trim();
  const wanted = fold(name)
    .replace(/(\.\.\.|…)$/, '')
    .trim();
  const found = fold(text);
  if (wanted === '' || found === '') return false;
  return found.startsWith(wanted) || wanted.startsWith(found);
}
