import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarize, summarizeOpen, type TranscriptSummary } from '../../server/src/core/summary';
import { editTranscript, parseTranscript } from '../../server/src/core/transcript';
import { transcriptText } from '../helpers/transcripts';

/**
 * An open transcript's summary is made from the one before the edit, copying and moving what lies
 * outside the stretch parsed again: it must equal the summary of a full parse of the new text, names and
 * code sets numbered alike, whatever the edits (tag syntax, new and NFD code names, line breaks, CRLF,
 * astral characters).
 */

const uri = 'file:///studie/intervjuer/r1.md';

const inserted = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', 'ö', ' ', 'så ', '😀', 'e\u0301', '\r') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '[',
      ']',
      '{',
      '}',
      '#',
      '{#ramar}',
      ']{#kontrakt}',
      '[ny]{#ny}',
      '[två]{#ny #ramar #ny}',
      `[nfd]{#${'förtroende'.normalize('NFD')}}`,
      '{#a>}',
      '{<#a}',
      '{#kontrakt #b>}',
      '{<#kontrakt #b}',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '\n',
      '\r\n',
      '\n\n',
      '**R1:** ',
      '**R2:** ',
      'R2: ',
      '\n**Okänd:** ',
      '# Rubrik\n',
      '```\n',
      '<!--',
      '-->',
    ),
  },
  { weight: 1, arbitrary: fc.constant('') },
);

/** Plain data, so that typed arrays and arrays compare by content. */
function plain(summary: TranscriptSummary) {
  return { ...summary, segments: [...summary.segments], uses: [...summary.uses] };
}

describe('summarizeOpen', () => {
  it('equals the summary of a full parse after every edit', () => {
    let edited = 0;
    fc.assert(
      fc.property(
        fc.array(transcriptText, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(12), inserted), { minLength: 1, maxLength: 8 }),
        (parts, edits) => {
          let text = `---\nparticipant: R1\nspeakers:\n  I: Intervjuare\n---\n${parts.map((p) => p.text).join('\n')}`;
          let transcript = parseTranscript(uri, text);
          let summary = summarizeOpen(transcript, undefined, (name) => name);
          expect(plain(summary)).toEqual(plain(summarize(parseTranscript(uri, text))));
          for (const [at, length, insert] of edits) {
            const bodyStart = transcript.frontMatter?.end ?? 0;
            const start = bodyStart + (at % Math.max(1, text.length - bodyStart + 1));
            const end = Math.min(text.length, start + length);
            const next = text.slice(0, start) + insert + text.slice(end);
            const made = editTranscript(transcript, { start, end, text: insert }, next);
            if (made) edited++;
            transcript = made ?? parseTranscript(uri, next);
            summary = summarizeOpen(transcript, summary, (name) => name);
            expect(plain(summary)).toEqual(plain(summarize(parseTranscript(uri, next))));
            text = next;
          }
        },
      ),
      { numRuns: 500 },
    );
    expect(edited).toBeGreaterThan(300);
  }, 60_000);

  it('summarises in full from a summary it did not make', () => {
    const text = '---\nparticipant: R1\n---\n\n**R1:** [Vi ses]{#kontrakt} varje vecka.\n\n[Ja]{#ramar}\n';
    const other = summarize(parseTranscript(uri, text.replace('kontrakt', 'förtroende')));
    const at = text.indexOf('varje');
    const next = `${text.slice(0, at)}x${text.slice(at)}`;
    const transcript = editTranscript(parseTranscript(uri, text), { start: at, end: at, text: 'x' }, next);
    expect(transcript).toBeDefined();
    if (!transcript) return;
    const summary = summarizeOpen(transcript, other, (name) => name);
    expect(plain(summary)).toEqual(plain(summarize(parseTranscript(uri, next))));
  });
});
