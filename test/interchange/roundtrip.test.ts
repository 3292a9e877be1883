import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { report } from '../../server/src/core/analyses/report';
import { exportProject, planImport } from '../../server/src/core/interchange';
import { exampleStudy } from '../helpers/cli';
import { indexFiles, loadFixture } from '../helpers/project';
import { filesIn, indexOfPlan, interchangeFixtures } from './helpers';

/** A transcript's text after its front matter. */
function body(text: string): string {
  const end = text.indexOf('\n---\n', 3);
  return text.slice(end + 5);
}

describe('round trip of the example study', () => {
  const original = loadFixture(exampleStudy);
  const qdpx = exportProject(original, 'qdpx').bytes;
  const plan = planImport(qdpx, 'study.qdpx');
  const imported = indexOfPlan(plan);

  it('exports, imports and exports again to identical files', () => {
    expect(exportProject(imported, 'qdpx').bytes).toEqual(qdpx);
    expect(exportProject(imported, 'qdc').bytes).toEqual(exportProject(original, 'qdc').bytes);
  });

  it('imports back unchanged: every transcript body byte for byte, the same report', () => {
    const folder = join(exampleStudy, 'intervjuer');
    for (const file of readdirSync(folder)) {
      const back = plan.files.find((f) => f.path === `transcripts/${file}`);
      expect(back, file).toBeDefined();
      expect(body(back?.text ?? '')).toBe(body(readFileSync(join(folder, file), 'utf8')));
    }
    expect(report(imported, 'md')).toBe(report(original, 'md'));
  });

  it('brings back participants, labels, attributes and notes', () => {
    const r3 = imported.transcripts().find((t) => t.participant.id === 'R3');
    expect(r3?.participant).toEqual({
      id: 'R3',
      label: 'Respondent 3',
      attributes: { kön: 'kvinna', yrke: 'socionom', yrkesår: 18, tyngdpunkt: 'lika mycket' },
      declared: true,
    });
    expect(r3?.segments.some((s) => s.kind === 'overlap')).toBe(true);
    const notes = imported
      .transcripts()
      .flatMap((t) => t.segments.flatMap((s) => (s.note ? [s.note.text] : [])));
    const originalNotes = original
      .transcripts()
      .flatMap((t) => t.segments.flatMap((s) => (s.note ? [s.note.text] : [])));
    expect(notes).toEqual(originalNotes);
  });

  it('says what was not carried over: settings and speaker declarations', () => {
    expect(exportProject(original, 'qdpx').warnings).toEqual([
      "codebook settings are Kodkarta's own and not carried over: min_participants: 2",
      'speakers: declarations in front matter are not carried over (REFI-QDA has no place for them)',
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('imports the codebook alone from a .qdc', () => {
    const codebookPlan = planImport(exportProject(original, 'qdc').bytes, 'alliance.qdc');
    expect(codebookPlan.kind).toBe('codebook');
    expect(codebookPlan.files.map((f) => f.path)).toEqual(['codebook.md']);
    const index = indexOfPlan(codebookPlan);
    expect(index.codebook?.themes.map((t) => `${t.number} ${t.name}`)).toEqual(
      original.codebook?.themes.map((t) => `${t.number} ${t.name}`),
    );
    expect(index.codebook?.problems).toEqual([]);
    expect(exportProject(index, 'qdc').bytes.length).toBeGreaterThan(0);
  });
});

describe('round trip of a project with CRLF files, memos, aliases and codes outside themes', () => {
  const files = filesIn(`${interchangeFixtures}small-project`);
  const texts = Object.fromEntries(
    Object.entries(files).map(([path, bytes]) => {
      const text = new TextDecoder().decode(bytes);
      return [path, path === 'intervjuer/r2.md' ? `\ufeff${text.replace(/\n/g, '\r\n')}` : text];
    }),
  );
  const original = indexFiles(texts);
  const qdpx = exportProject(original, 'qdpx').bytes;
  const plan = planImport(qdpx, 'liten.qdpx');

  it('exports, imports and exports again to identical files', () => {
    const imported = indexOfPlan(plan);
    expect(exportProject(imported, 'qdpx').bytes).toEqual(qdpx);
    expect(exportProject(imported, 'qdc').bytes).toEqual(exportProject(original, 'qdc').bytes);
    expect(plan.files.map((f) => f.path)).toEqual([
      'codebook.md',
      'transcripts/r1.md',
      'transcripts/r2.md',
      'memos/tankar.md',
    ]);
  });

  it('writes the codebook with codes outside themes first, aliases kept', () => {
    expect(plan.files[0]?.text).toBe(
      [
        '---',
        'title: Liten studie',
        'description: En liten studie för exporttesterna.',
        'transcripts: transcripts/**/*.md',
        '---',
        '',
        '- #lös: En kod utan tema.',
        '- #okänd',
        '',
        '# 1 Tillit',
        '',
        'Hur förtroende byggs mellan två parter.',
        '',
        'Hit hör inte brotten.',
        '',
        '- #tillit: Tillit mellan parter. Aliases: förtroende',
        '- #närhet',
        '',
        '## 1.1 Ramar',
        '',
        '- #ramar: Tid och plats.',
        '',
        '# 2 Brott',
        '',
        '- #brott: Alliansbrott.',
        '',
      ].join('\n'),
    );
  });

  it('writes transcripts with typed attributes and the overlap form for crossing passages', () => {
    expect(plan.files[1]?.text).toBe(
      [
        '---',
        'participant: R1',
        'label: Respondent 1',
        'attributes:',
        '  yrke: psykolog',
        '  yrkesår: 12',
        '  handleder: true',
        '  datum: 2024-03-05',
        '  vikt: 1.5',
        '---',
        '',
        '# Intervju 1',
        '',
        '**I:** Hur började det? 😀',
        '',
        '**R1:** Det började 🎉 med att [vi litade på varandra]{#tillit "viktig start"} och [sen [kom ramen]{#ramar} på plats]{#närhet}. [Vi bestämde tiden, {#brott>}men jag kom sent]{#ramar}, två gånger{<#brott}. [Ett plattformsord]{#tillit} och [något nytt]{#okänd} och [lös kod]{#lös}. [paus] Klart.',
        '',
      ].join('\n'),
    );
    expect(plan.files[2]?.text).toContain(
      '**R2:** [Närhet 𝔸 är allt]{#närhet}. Och [ramar]{#ramar #tillit}.\n',
    );
    expect(plan.files[3]?.text).toBe('# Tankar\n\n#tillit och #närhet hänger ihop, tänker jag.\n');
  });
});
