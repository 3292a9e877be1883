import { describe, expect, it } from 'vitest';
import { ProjectIndex } from '../../server/src/core/projectIndex';
import { indexFiles } from '../helpers/project';

const root = 'file:///studie';
const uri = (path: string) => `${root}/${path}`;

function transcript(participant: string, body: string): string {
  return `---\nparticipant: ${participant}\nlabel: Respondent ${participant.slice(1)}\n---\n\n${body}\n`;
}

const codebook = [
  '# 1 Gemensamt',
  '',
  '## 1.1 Kontraktet',
  '',
  '- #kontrakt: Överenskommelser. Aliases: överenskommelse, plattform',
  '- #ramar: Ramen.',
  '',
  '## 1.2 Förtroende',
  '',
  '- #tillit: Tillit.',
  '',
  '# 2 Terapin',
  '',
  '- #närhet: Närhet.',
  '',
].join('\n');

/** Segments and distinct participants of every theme, by number. */
function themeCounts(index: ProjectIndex): Record<string, [number, number]> {
  const totals = index.totals();
  return Object.fromEntries(
    (index.codebook?.themes ?? []).map((theme) => {
      const tally = totals.themes[theme.index];
      return [theme.number, [tally?.segments ?? 0, tally?.participants.size ?? 0]];
    }),
  );
}

function codeSegments(index: ProjectIndex): Record<string, number> {
  return Object.fromEntries([...index.totals().codes].map(([code, tally]) => [code, tally.segments]));
}

describe('classify', () => {
  const index = new ProjectIndex(root);

  it('knows the codebook at the project root only', () => {
    expect(index.classify(uri('codebook.md'))).toBe('codebook');
    expect(index.classify(uri('intervjuer/codebook.md'))).not.toBe('codebook');
  });

  it('takes every Markdown file for a transcript by default', () => {
    expect(index.classify(uri('r1.md'))).toBe('transcript');
    expect(index.classify(uri('intervjuer/djup/r2.md'))).toBe('transcript');
  });

  it('takes memos/ and *.memo.md files for memos by default', () => {
    expect(index.classify(uri('memos/fältanteckningar.md'))).toBe('memo');
    expect(index.classify(uri('memos/2024/vecka-1.md'))).toBe('memo');
    expect(index.classify(uri('intervjuer/r1.memo.md'))).toBe('memo');
  });

  it.each([
    'README.md',
    'readme.md',
    'intervjuer/ReadMe.md',
    'CHANGELOG.md',
    'docs/changelog.md',
    'LICENSE.md',
    'CONTRIBUTING.md',
    'memos/README.md',
  ])('never takes %s for a transcript or memo', (path) => {
    expect(index.classify(uri(path))).toBe('other');
  });

  it.each(['.git/r1.md', '.vscode/anteckning.md', 'intervjuer/.utkast/r1.md', 'node_modules/paket/r1.md'])(
    'ignores %s inside a hidden folder or node_modules',
    (path) => {
      expect(index.classify(uri(path))).toBe('other');
    },
  );

  it('ignores files that are not Markdown, and files outside the project', () => {
    expect(index.classify(uri('r1.txt'))).toBe('other');
    expect(index.classify(uri('r1.md.bak'))).toBe('other');
    expect(index.classify('file:///annan/r1.md')).toBe('other');
    expect(index.classify('file:///studie-2/r1.md')).toBe('other');
    expect(index.classify('file:///studie.md')).toBe('other');
  });

  it('follows the transcripts, exclude and memos globs of the codebook', () => {
    const custom = indexFiles(
      {
        'codebook.md': [
          '---',
          'transcripts: [intervjuer/*.md, fokusgrupper/**/*.md]',
          'exclude: intervjuer/mall.md',
          'memos: anteckningar/*.md',
          '---',
          '',
        ].join('\n'),
      },
      root,
    );
    expect(custom.classify(uri('intervjuer/r1.md'))).toBe('transcript');
    expect(custom.classify(uri('fokusgrupper/grupp-1/session.md'))).toBe('transcript');
    expect(custom.classify(uri('intervjuer/djup/r1.md'))).toBe('other');
    expect(custom.classify(uri('r1.md'))).toBe('other');
    expect(custom.classify(uri('intervjuer/mall.md'))).toBe('other');
    expect(custom.classify(uri('anteckningar/idéer.md'))).toBe('memo');
    expect(custom.classify(uri('memos/gammal.md'))).toBe('other');
    expect(custom.classify(uri('intervjuer/README.md'))).toBe('other');
  });

  it('lets a memo glob win over the transcripts glob', () => {
    const custom = indexFiles({ 'codebook.md': '---\nmemos: intervjuer/*-memo.md\n---\n' }, root);
    expect(custom.classify(uri('intervjuer/r1-memo.md'))).toBe('memo');
    expect(custom.classify(uri('intervjuer/r1.md'))).toBe('transcript');
  });
});

describe('URIs and paths', () => {
  it('accepts percent-encoded and decoded spellings of å alike', () => {
    const index = new ProjectIndex('file:///hem/studie-%C3%A5r-2');
    for (const spelling of [
      'file:///hem/studie-%C3%A5r-2/intervjuer/r%C3%A5.md',
      'file:///hem/studie-år-2/intervjuer/rå.md',
      'file:///hem/studie-%C3%A5r-2/intervjuer/rå.md',
    ]) {
      expect(index.relativePath(spelling)).toBe('intervjuer/rå.md');
      expect(index.classify(spelling)).toBe('transcript');
    }
    expect(index.classify('file:///hem/studie-år-2/codebook.md')).toBe('codebook');
  });

  it('matches a decomposed å in the project folder with a precomposed one in a file', () => {
    const index = new ProjectIndex('file:///hem/a%CC%8Ar');
    expect(index.relativePath('file:///hem/%C3%A5r/r1.md')).toBe('r1.md');
    expect(index.classify('file:///hem/%C3%A5r/r1.md')).toBe('transcript');
  });

  it('gives relative paths in NFC, so that globs with å match decomposed file names', () => {
    const index = indexFiles({ 'codebook.md': '---\ntranscripts: intervjuer/år-*.md\n---\n' }, root);
    expect(index.relativePath(uri('intervjuer/a%CC%8Ar-1.md'))).toBe('intervjuer/år-1.md');
    expect(index.classify(uri('intervjuer/a%CC%8Ar-1.md'))).toBe('transcript');
  });

  it('ignores a trailing slash on the project folder', () => {
    const index = new ProjectIndex(`${root}/`);
    expect(index.relativePath(uri('r1.md'))).toBe('r1.md');
    expect(index.classify(uri('codebook.md'))).toBe('codebook');
  });

  it('attributes quotes of a transcript without participant to its decoded file name', () => {
    const index = new ProjectIndex(root);
    index.update(uri('intervjuer/respondent-%C3%A5.md'), '[text]{#kod}\n');
    expect(index.transcripts()[0]?.participant.id).toBe('respondent-å');
  });
});

describe('update and remove', () => {
  it('returns the kind of each file and keeps transcripts and memos apart', () => {
    const index = new ProjectIndex(root);
    expect(index.update(uri('codebook.md'), codebook)).toBe('codebook');
    expect(index.update(uri('r1.md'), transcript('R1', '[text]{#kontrakt}'))).toBe('transcript');
    expect(index.update(uri('memos/idé.md'), 'Jämför #kontrakt och #tillit.')).toBe('memo');
    expect(index.update(uri('README.md'), '[text]{#kontrakt}')).toBe('other');
    expect(index.transcripts().map((t) => t.uri)).toEqual([uri('r1.md')]);
    expect(index.memos().map((memo) => memo.mentions.map((mention) => mention.name))).toEqual([
      ['kontrakt', 'tillit'],
    ]);
    expect(index.memo(uri('memos/idé.md'))?.text).toBe('Jämför #kontrakt och #tillit.');
    expect(index.transcript(uri('README.md'))).toBeUndefined();
    expect(index.codebook?.themes).toHaveLength(4);
  });

  it('lists transcripts sorted by URI, whatever the order they arrived in', () => {
    const index = indexFiles({ 'r3.md': '', 'a/r2.md': '', 'r1.md': '' }, root);
    expect(index.transcripts().map((t) => index.relativePath(t.uri))).toEqual(['a/r2.md', 'r1.md', 'r3.md']);
  });

  it('forgets a removed transcript and memo', () => {
    const index = indexFiles(
      { 'codebook.md': codebook, 'r1.md': transcript('R1', '[a]{#kontrakt}'), 'memos/m.md': '#ramar' },
      root,
    );
    index.remove(uri('r1.md'));
    index.remove(uri('memos/m.md'));
    expect(index.transcripts()).toEqual([]);
    expect(index.memos()).toEqual([]);
    expect(index.totals().codes.size).toBe(0);
    expect(themeCounts(index)['1']).toEqual([0, 0]);
  });

  it('raises the version with every change', () => {
    const index = new ProjectIndex(root);
    const versions = [index.version];
    index.update(uri('r1.md'), '');
    versions.push(index.version);
    index.update(uri('codebook.md'), codebook);
    versions.push(index.version);
    index.remove(uri('r1.md'));
    versions.push(index.version);
    expect(new Set(versions).size).toBe(4);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });
});

describe('codes and aliases', () => {
  const index = indexFiles({ 'codebook.md': codebook }, root);

  it('resolves an alias to its code and leaves other names as they are', () => {
    expect(index.resolveCode('plattform')).toBe('kontrakt');
    expect(index.resolveCode('överenskommelse')).toBe('kontrakt');
    expect(index.resolveCode('kontrakt')).toBe('kontrakt');
    expect(index.resolveCode('okänd')).toBe('okänd');
  });

  it('knows listed codes and the theme each belongs to', () => {
    expect(index.isKnownCode('kontrakt')).toBe(true);
    expect(index.isKnownCode('plattform')).toBe(false);
    expect(index.themeOf('tillit')).toBe(2);
    expect(index.themeOf('närhet')).toBe(3);
    expect(index.themeOf('okänd')).toBeUndefined();
  });

  it('resolves nothing without a codebook', () => {
    const bare = new ProjectIndex(root);
    expect(bare.resolveCode('plattform')).toBe('plattform');
    expect(bare.isKnownCode('kontrakt')).toBe(false);
  });

  it('counts a code listed under two themes for the first', () => {
    const twice = indexFiles(
      {
        'codebook.md': '# A\n\n- #kod: En.\n\n# B\n\n- #kod: Två.\n',
        'r1.md': transcript('R1', '[text]{#kod}'),
      },
      root,
    );
    expect(twice.themeOf('kod')).toBe(0);
    expect(themeCounts(twice)).toEqual({ '1': [1, 1], '2': [0, 0] });
  });
});

describe('totals', () => {
  it('counts a segment with two codes of the same theme once for the theme', () => {
    const index = indexFiles(
      { 'codebook.md': codebook, 'r1.md': transcript('R1', '[Tiden och ramen]{#kontrakt #ramar}') },
      root,
    );
    expect(codeSegments(index)).toEqual({ kontrakt: 1, ramar: 1 });
    expect(themeCounts(index)).toEqual({ '1': [1, 1], '1.1': [1, 1], '1.2': [0, 0], '2': [0, 0] });
  });

  it('counts a segment once for a code written twice or as the code and its alias', () => {
    const index = indexFiles(
      { 'codebook.md': codebook, 'r1.md': transcript('R1', '[text]{#kontrakt #plattform #kontrakt}') },
      root,
    );
    expect(codeSegments(index)).toEqual({ kontrakt: 1 });
    expect(themeCounts(index)['1.1']).toEqual([1, 1]);
  });

  it('rolls counts up to every ancestor, a segment counting once per theme', () => {
    const index = indexFiles(
      {
        'codebook.md': codebook,
        'r1.md': transcript('R1', '[Ramen]{#ramar} och [tilliten]{#tillit} och [båda]{#kontrakt #tillit}'),
      },
      root,
    );
    expect(themeCounts(index)).toEqual({ '1': [3, 1], '1.1': [2, 1], '1.2': [2, 1], '2': [0, 0] });
  });

  it('counts nested passages as separate segments', () => {
    const index = indexFiles(
      { 'codebook.md': codebook, 'r1.md': transcript('R1', '[yttre [inre]{#tillit} yttre]{#kontrakt}') },
      root,
    );
    expect(themeCounts(index)).toEqual({ '1': [2, 1], '1.1': [1, 1], '1.2': [1, 1], '2': [0, 0] });
  });

  it('counts aliases under their code and unknown codes under their own name', () => {
    const index = indexFiles(
      { 'codebook.md': codebook, 'r1.md': transcript('R1', '[a]{#plattform} [b]{#humor} [c]{#humor}') },
      root,
    );
    expect(codeSegments(index)).toEqual({ kontrakt: 1, humor: 2 });
    expect(themeCounts(index)['1']).toEqual([1, 1]);
  });

  it('counts distinct participants, and two files of the same participant as one', () => {
    const index = indexFiles(
      {
        'codebook.md': codebook,
        'r1-del-1.md': transcript('R1', '[a]{#kontrakt}'),
        'r1-del-2.md': transcript('R1', '[b]{#kontrakt} [c]{#närhet}'),
        'r2.md': transcript('R2', '[d]{#ramar}'),
      },
      root,
    );
    const totals = index.totals();
    expect(totals.codes.get('kontrakt')?.segments).toBe(2);
    expect(new Map(totals.codes.get('kontrakt')?.participants)).toEqual(new Map([['R1', 2]]));
    expect(themeCounts(index)).toEqual({ '1': [3, 2], '1.1': [3, 2], '1.2': [0, 0], '2': [1, 1] });
    expect(new Map(totals.themes[0]?.participants)).toEqual(
      new Map([
        ['R1', 2],
        ['R2', 1],
      ]),
    );
  });

  it('has no theme totals without a codebook but still counts codes', () => {
    const index = indexFiles({ 'r1.md': transcript('R1', '[a]{#kontrakt}') }, root);
    expect(index.totals().themes).toEqual([]);
    expect(codeSegments(index)).toEqual({ kontrakt: 1 });
  });
});

describe('incremental changes', () => {
  function study() {
    return indexFiles(
      {
        'codebook.md': codebook,
        'r1.md': transcript('R1', '[a]{#kontrakt} [b]{#tillit}'),
        'r2.md': transcript('R2', '[c]{#kontrakt}'),
      },
      root,
    );
  }

  it('changes the totals by what an updated transcript changed', () => {
    const index = study();
    expect(themeCounts(index)).toEqual({ '1': [3, 2], '1.1': [2, 2], '1.2': [1, 1], '2': [0, 0] });
    index.update(uri('r2.md'), transcript('R2', '[c]{#närhet} [d]{#tillit} [e]{#tillit}'));
    expect(themeCounts(index)).toEqual({ '1': [4, 2], '1.1': [1, 1], '1.2': [3, 2], '2': [1, 1] });
    expect(codeSegments(index)).toEqual({ kontrakt: 1, tillit: 3, närhet: 1 });
  });

  it('moves segments when a transcript changes its participant', () => {
    const index = study();
    index.update(uri('r2.md'), transcript('R1', '[c]{#kontrakt}'));
    expect(themeCounts(index)['1.1']).toEqual([2, 1]);
    expect(new Map(index.totals().codes.get('kontrakt')?.participants)).toEqual(new Map([['R1', 2]]));
  });

  it('recounts every transcript when the codebook moves a code to another theme', () => {
    const index = study();
    index.totals();
    index.update(
      uri('codebook.md'),
      codebook.replace('- #tillit: Tillit.', '').replace('#närhet', '#tillit'),
    );
    expect(themeCounts(index)).toEqual({ '1': [2, 2], '1.1': [2, 2], '1.2': [0, 0], '2': [1, 1] });
  });

  it('reclassifies files it already has when the transcripts glob changes', () => {
    const index = new ProjectIndex(root);
    index.update(uri('codebook.md'), `---\ntranscripts: intervjuer/*.md\n---\n\n${codebook}`);
    expect(index.update(uri('intervjuer/r1.md'), transcript('R1', '[a]{#kontrakt}'))).toBe('transcript');
    expect(index.update(uri('fokus/grupp.md'), transcript('G1', '[b]{#kontrakt}'))).toBe('other');
    expect(themeCounts(index)['1.1']).toEqual([1, 1]);

    index.update(uri('codebook.md'), `---\ntranscripts: fokus/*.md\n---\n\n${codebook}`);
    expect(index.transcripts().map((t) => t.participant.id)).toEqual(['G1']);
    expect(themeCounts(index)['1.1']).toEqual([1, 1]);
    expect(new Map(index.totals().codes.get('kontrakt')?.participants)).toEqual(new Map([['G1', 1]]));

    index.update(
      uri('codebook.md'),
      `---\ntranscripts: ['**/*.md']\nmemos: intervjuer/*.md\n---\n\n${codebook}`,
    );
    expect(index.transcripts().map((t) => t.participant.id)).toEqual(['G1']);
    expect(index.memos().map((memo) => memo.uri)).toEqual([uri('intervjuer/r1.md')]);
  });

  it('falls back to the default settings when the codebook is removed', () => {
    const index = new ProjectIndex(root);
    index.update(
      uri('codebook.md'),
      `---\ntranscripts: intervjuer/*.md\nmin_participants: 3\n---\n\n${codebook}`,
    );
    index.update(uri('intervjuer/r1.md'), transcript('R1', '[a]{#kontrakt}'));
    index.update(uri('r2.md'), transcript('R2', '[b]{#plattform}'));
    expect(index.transcripts()).toHaveLength(1);

    index.remove(uri('codebook.md'));
    expect(index.codebook).toBeUndefined();
    expect(index.settings.minParticipants).toBe(1);
    expect(index.transcripts()).toHaveLength(2);
    expect(index.totals().themes).toEqual([]);
    expect(index.resolveCode('plattform')).toBe('plattform');
    expect(codeSegments(index)).toEqual({ kontrakt: 1, plattform: 1 });

    index.update(uri('codebook.md'), codebook);
    expect(codeSegments(index)).toEqual({ kontrakt: 2 });
  });

  it('keeps a removed transcript out when the codebook changes later', () => {
    const index = study();
    index.remove(uri('r2.md'));
    index.update(uri('codebook.md'), `---\ntranscripts: '*.md'\n---\n\n${codebook}`);
    expect(index.transcripts().map((t) => t.participant.id)).toEqual(['R1']);
  });

  it('keeps its totals up to date in place, and tells what changed', () => {
    const index = study();
    const first = index.totals();
    const version = index.countsVersion;
    index.update(uri('r1.md'), transcript('R1', ''));
    expect(index.totals()).toBe(first);
    expect(index.countsVersion).toBeGreaterThan(version);
    expect(themeCounts(index)['1']).toEqual([1, 1]);
  });
});
