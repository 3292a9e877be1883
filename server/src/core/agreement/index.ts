/**
 * Intercoder agreement and the codeline: pure functions over project indexes (no file system, no git,
 * no LSP). The command line (`kodkarta agreement`, `kodkarta codeline`) and the VS Code views call these.
 */
export {
  type Codeline,
  type CodelineCode,
  type CodelineSegment,
  type CodelineStep,
  type CodelineTheme,
  codeline,
  parseSelector,
  type Selector,
  type SequenceCounts,
  type SequenceMatch,
  type SequenceQuery,
  type SequenceResult,
  type SequenceTranscript,
  selectorLabel,
  sequence,
  type TranscriptCodeline,
} from './codeline';
export {
  type AgreementOptions,
  type AgreementReport,
  type AgreementResult,
  type CodeAgreement,
  type CoderInfo,
  type CoderProject,
  compareCoders,
  type Disagreement,
  type DisagreementCopy,
  defaultUnit,
  type OverallAgreement,
  type TextMismatchReport,
  type TranscriptComparison,
} from './compare';
export {
  CoincidenceMatrix,
  ContingencyTable,
  cohensKappa,
  kappaFromCounts,
  krippendorffAlpha,
  meanOf,
  type UnitValues,
  type Value,
} from './statistics';
export type { TextMismatch } from './textCheck';
export { type StrippedText, stripTags, type Unit, type UnitKind, unitsOf } from './units';
