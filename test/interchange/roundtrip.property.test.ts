import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportProject, planImport } from '../../server/src/core/interchange';
import { arrangePassages } from '../../server/src/core/interchange/arrange';
import { codePoints } from '../../server/src/core/interchange/exportText';
import { studyToMarkdown } from '../../server/src/core/interchange/markdown';
import type {
  Study,
  StudyCode,
  StudyPassage,
  StudyTranscript,
} from '../../server/src/core/interchange/model';
import { readXml, type XmlNode } from '../../server/src/core/interchange/xmlReader';
import { indexFiles } from '../helpers/project';
import { indexOfPlan, schemaErrors, unzipText } from './helpers';

/**
 * Generated studies, written as Kodkarta Markdown (some transcripts with CRLF and a BOM), exported:
 * the export must say exactly the passages that were generated, and export → import → export must give
 * the same bytes. Text: Swedish words, astral characters, transcription conventions, speaker labels.
 */

const words = [
  'och',
  'tillit',
  'förtroende',
  'ramen',
  'håller',
  'ögonblick',
  'så',
  'är',
  'det',
  'väl',
  'Åsa',
  'ännu',
];
const tokens = [...words, '😀', '𝔸𝔹', '🎉', '[paus]', '/…/', '(skratt)', '**R1:**', 'ö\u0308', '–', '…'];
const codeNames = [
  'tillit',
  'närhet',
  'ramar',
  'brott',
  'lek',
  'överföring',
  'dra-till-sig',
  'mål/gemensamma',
];

const textArb = fc
  .tuple(
    fc.constantFrom(...words),
    fc.array(fc.tuple(fc.constantFrom(' ', ' ', ' ', '\n', '\n\n', ', '), fc.constantFrom(...tokens)), {
      minLength: 3,
      maxLength: 40,
    }),
  )
  .map(([first, rest]) => ({
    // Token boundaries: where passages may start and end (never inside a surrogate pair or a convention).
    text: `${first}${rest.map(([sep, token]) => sep + token).join('')}\n`,
    boundaries: rest.reduce<number[]>(
      (acc, [sep, token]) => {
        const last = acc[acc.length - 1] ?? 0;
        acc.push(last + sep.length, last + sep.length + token.length);
        return acc;
      },
      [first.length],
    ),
  }));

const passageArb = (boundaries: number[], codes: string[]) =>
  fc
    .record({
      a: fc.nat({ max: boundaries.length - 1 }),
      b: fc.nat({ max: boundaries.length - 1 }),
      codes: fc.uniqueArray(fc.constantFrom(...codes), { minLength: 1, maxLength: 2 }),
      note: fc.option(fc.constantFrom('viktig start', 'kom tillbaka hit', 'jfr R2 – ömsesidigt'), {
        nil: undefined,
      }),
    })
    .map(({ a, b, codes: passageCodes, note }) => ({
      start: boundaries[Math.min(a, b)] ?? 0,
      end: boundaries[Math.max(a, b)] ?? 0,
      codes: passageCodes,
      ...(note ? { note } : {}),
    }));

const transcriptArb = (i: number, codes: string[]) =>
  textArb.chain(({ text, boundaries }) =>
    fc
      .record({
        passages: fc.array(passageArb(boundaries, codes), { maxLength: 8 }),
        yrkesår: fc.integer({ min: 1, max: 40 }),
        handleder: fc.boolean(),
        crlf: fc.boolean(),
      })
      .map(({ passages, yrkesår, handleder, crlf }) => {
        // One passage per range, and only passages the format can say (it cannot say three crossing
        // passages of one code): keep adding while the set stays expressible.
        const kept: StudyPassage[] = [];
        for (const passage of passages) {
          if (
            passage.end <= passage.start ||
            kept.some((k) => k.start === passage.start && k.end === passage.end)
          )
            continue;
          if (arrangePassages([...kept, passage]).dropped.length === 0) kept.push(passage);
        }
        const transcript: StudyTranscript = {
          name: `respondent-${i + 1}`,
          text,
          participant: `R${i + 1}`,
          label: `Respondent ${i + 1}`,
          attributes: [
            ['yrke', i % 2 === 0 ? 'psykolog' : 'läkare'],
            ['yrkesår', yrkesår],
            ['handleder', handleder],
          ],
          passages: kept,
        };
        return { transcript, crlf };
      }),
  );

const studyArb = fc
  .record({
    title: fc.constantFrom('Alliansen', 'Studie om tillit', 'Ömsesidighet 😀'),
    codeCount: fc.integer({ min: 2, max: codeNames.length }),
    transcriptCount: fc.integer({ min: 1, max: 3 }),
    nested: fc.boolean(),
    memo: fc.boolean(),
  })
  .chain(({ title, codeCount, transcriptCount, nested, memo }) => {
    const codes = codeNames.slice(0, codeCount);
    const codeNodes = codes.map(
      (name, i): StudyCode => ({
        name,
        codable: true,
        description: i % 2 === 0 ? `Definition av ${name}.` : '',
        children: [],
      }),
    );
    const half = Math.ceil(codeNodes.length / 2);
    const tree: StudyCode[] = [
      {
        name: 'Gemensamt för båda',
        codable: false,
        description: 'Vad som är lika.\n\nOch vad som inte är det.',
        children: [
          ...codeNodes.slice(0, half),
          ...(nested
            ? [{ name: 'Ett undertema', codable: false, description: '', children: codeNodes.slice(half) }]
            : []),
        ],
      },
      ...(nested
        ? []
        : [{ name: 'Unikt', codable: false, description: '', children: codeNodes.slice(half) }]),
    ];
    return fc
      .tuple(...Array.from({ length: transcriptCount }, (_, i) => transcriptArb(i, codes)))
      .map((transcripts) => ({
        study: {
          title,
          codes: tree,
          transcripts: transcripts.map((t) => t.transcript),
          memos: memo ? [{ name: 'fältanteckningar', text: '# Fält\n\n#tillit och #ramar 😀\n' }] : [],
        } satisfies Study,
        crlf: transcripts.map((t) => t.crlf),
      }));
  });

function selectionsOf(qdpx: Uint8Array): Map<string, string[]> {
  const entries = unzipText(qdpx);
  const project = readXml(entries['project.qde'] ?? '', 'project.qde');
  const codeNamesByGuid = new Map<string, string>();
  const out = new Map<string, string[]>();
  const walk = (node: XmlNode, source?: string) => {
    if (node.name === 'Code') codeNamesByGuid.set(node.attributes.guid ?? '', node.attributes.name ?? '');
    const inSource = node.name === 'TextSource' ? (node.attributes.name ?? '') : source;
    if (node.name === 'PlainTextSelection' && inSource) {
      const codes = node.children
        .filter((c) => c.name === 'Coding')
        .map((c) => codeNamesByGuid.get(c.children[0]?.attributes.targetGUID ?? '') ?? '?');
      const list = out.get(inSource) ?? [];
      list.push(`${node.attributes.startPosition}-${node.attributes.endPosition}:${codes.join(' ')}`);
      out.set(inSource, list);
    }
    for (const child of node.children) walk(child, inSource);
  };
  walk(project);
  return out;
}

describe('export → import → export on generated projects', () => {
  it('says exactly the generated passages, and comes back byte-identical', async () => {
    let validated = 0;
    await fc.assert(
      fc.asyncProperty(studyArb, async ({ study, crlf }) => {
        const markdown = studyToMarkdown(study);
        expect(markdown.warnings).toEqual([]);
        const files = Object.fromEntries(
          markdown.files.map((file) => {
            const index = study.transcripts.findIndex((t) => file.path === `transcripts/${t.name}.md`);
            return [
              file.path,
              index >= 0 && crlf[index] ? `\ufeff${file.text.replace(/\n/g, '\r\n')}` : file.text,
            ];
          }),
        );
        const qdpx = exportProject(indexFiles(files), 'qdpx').bytes;

        const selections = selectionsOf(qdpx);
        for (const transcript of study.transcripts) {
          const expected = transcript.passages
            .map((p) => {
              const start = codePoints(transcript.text.slice(0, p.start));
              return {
                start,
                end: start + codePoints(transcript.text.slice(p.start, p.end)),
                codes: p.codes,
              };
            })
            .sort((a, b) => a.start - b.start || b.end - a.end)
            .map((p) => `${p.start}-${p.end}:${p.codes.join(' ')}`);
          expect(selections.get(transcript.name) ?? []).toEqual(expected);
        }

        const plan = planImport(qdpx, 'generated.qdpx');
        expect(plan.warnings).toEqual([]);
        const again = exportProject(indexOfPlan(plan), 'qdpx').bytes;
        expect(again).toEqual(qdpx);
        if (validated < 5) {
          validated++;
          expect(await schemaErrors(unzipText(qdpx)['project.qde'] ?? '', 'project')).toEqual([]);
        }
      }),
      { numRuns: 60 },
    );
  });
});
