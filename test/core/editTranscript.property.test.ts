import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  editTranscript,
  parseTranscript,
  parseTranscriptInSteps,
  type Transcript,
} from '../../server/src/core/transcript';
import { transcriptText } from '../helpers/transcripts';

/**
 * Re-parsing only the edited lines must give exactly what parsing the whole new text gives, whatever
 * the edit: prose, tag syntax, line breaks, brackets that open or close passages across lines.
 */

const uri = 'file:///studie/intervjuer/r1.md';

/** Everything a transcript holds, as plain data (segment objects also carry their tags and codes). */
function model(transcript: Transcript) {
  return JSON.parse(
    JSON.stringify({
      participant: transcript.participant,
      speakers: [...transcript.speakers],
      turns: transcript.turns,
      segments: transcript.segments,
      tags: transcript.tags,
      headings: transcript.headings,
      frontMatter: transcript.frontMatter,
      problems: transcript.problems,
      lines: Array.from({ length: transcript.lines.lineCount }, (_, i) => [
        transcript.lines.lineStart(i),
        transcript.lines.lineEnd(i),
      ]),
    }),
  );
}

const inserted = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', 'ö', ' ', 'så ', 'x', '😀', 'e\u0301') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '[',
      ']',
      '{',
      '}',
      '#',
      '{#ramar}',
      ']{#kontrakt}',
      '[ny]{#ny}',
      '{#a>}',
      '{<#a}',
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
      'R1: ',
      '# Rubrik\n',
      '```\n',
      '<!--',
      '-->',
      '`',
      '\\',
      '"',
    ),
  },
  { weight: 1, arbitrary: fc.constant('') },
);

describe('editTranscript', () => {
  it('equals a full parse of the new text whenever it answers', () => {
    let answered = 0;
    fc.assert(
      fc.property(
        fc.array(transcriptText, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(8), inserted), { minLength: 1, maxLength: 6 }),
        (parts, edits) => {
          let text = `---\nparticipant: R1\nspeakers:\n  I: Intervjuare\n---\n${parts.map((p) => p.text).join('\n')}`;
          let transcript = parseTranscript(uri, text);
          for (const [at, length, insert] of edits) {
            const bodyStart = transcript.frontMatter?.end ?? 0;
            const start = bodyStart + (at % Math.max(1, text.length - bodyStart + 1));
            const end = Math.min(text.length, start + length);
            const next = text.slice(0, start) + insert + text.slice(end);
            const edited = editTranscript(transcript, { start, end, text: insert }, next);
            const full = parseTranscript(uri, next);
            if (edited) {
              answered++;
              expect(model(edited)).toEqual(model(full));
              transcript = edited;
            } else {
              transcript = full;
            }
            text = next;
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(answered).toBeGreaterThan(100);
  }, 60_000);

  it('refuses an edit that does not match the texts', () => {
    const text = '---\nparticipant: R1\n---\n\n**R1:** [Vi ses]{#kontrakt} varje vecka.\n';
    const transcript = parseTranscript(uri, text);
    const at = text.indexOf('varje');
    expect(editTranscript(transcript, { start: at, end: at, text: 'x' }, text)).toBeUndefined();
    const next = `${text.slice(0, at)}y${text.slice(at)}`;
    expect(editTranscript(transcript, { start: at, end: at, text: 'x' }, next)).toBeUndefined();
  });

  it('parses the front matter again in full', () => {
    const text = '---\nparticipant: R1\n---\n\n**R1:** text\n';
    const transcript = parseTranscript(uri, text);
    const at = text.indexOf('R1\n');
    const next = `${text.slice(0, at)}R2${text.slice(at + 2)}`;
    expect(editTranscript(transcript, { start: at, end: at + 2, text: 'R2' }, next)).toBeUndefined();
  });
});

describe('parseTranscriptInSteps', () => {
  /** Runs every step; returns the transcript and how many steps it took. */
  function inSteps(text: string, stepChars: number): { transcript: Transcript; steps: number } {
    const steps = parseTranscriptInSteps(uri, text, stepChars);
    let count = 1;
    let step = steps.next();
    while (!step.done) {
      count++;
      step = steps.next();
    }
    return { transcript: step.value, steps: count };
  }

  it('gives what one full parse gives, wherever the steps end', () => {
    fc.assert(
      fc.property(
        fc.array(transcriptText, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 200 }),
        (parts, stepChars) => {
          const text = parts.map((p) => p.text).join('\n');
          expect(model(inSteps(text, stepChars).transcript)).toEqual(model(parseTranscript(uri, text)));
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);

  it('takes about one step per step size, ending each at a line start', () => {
    const line = '**R1:** [Vi bestämmer tiden tillsammans]{#kontrakt} och sen [paus] pratar vi.\n';
    const text = `---\nparticipant: R1\n---\n${line.repeat(400)}`;
    const { transcript, steps } = inSteps(text, 1024);
    expect(steps).toBeGreaterThan(text.length / 1024 - 2);
    expect(steps).toBeLessThan(text.length / 1024 + 2);
    expect(transcript.segments).toHaveLength(400);
    expect(model(transcript)).toEqual(model(parseTranscript(uri, text)));
  });
});
