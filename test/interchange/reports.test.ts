import { describe, expect, it } from 'vitest';
import { exportProject } from '../../server/src/core/interchange';
import { excerpt } from '../../server/src/core/interchange/reports';
import { exampleStudy } from '../helpers/cli';
import { indexFiles, loadFixture } from '../helpers/project';

const example = loadFixture(exampleStudy);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const hostile = indexFiles({
  'codebook.md':
    '---\ntitle: Test <i>studie</i>\n---\n\n# 1 Tema <b>ett</b>\n\nDefinition & <em>mer</em>.\n\n- #a: Kod a.\n',
  'r1.md':
    '---\nparticipant: R1\nlabel: "<img src=x onerror=alert(1)>"\nattributes:\n  yrke: "=HYPERLINK(\\"http://x\\")"\n---\n\n**R1:** [<script>alert("hej")</script> sa hon, "ja"]{#a "not, med komma"}\n\n**R1:** [# inte rubrik]{#a}\n',
});

describe('the results chapter as Markdown', () => {
  const md = text(exportProject(example, 'md').bytes);

  it('starts with the numbered theme table', () => {
    const lines = md.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      '# Alliansen i terapi och i handledning',
      '',
      expect.stringMatching(/^24 themes, \d+ coded segments, 7 participants\.$/),
      '',
      '*Table 1. Themes with the number of coded segments and of participants who support them.*',
      '',
      '| No. | Theme | Segments | Participants |',
    ]);
    const rows = lines.filter((line) => /^\| \d/.test(line));
    expect(rows).toHaveLength(example.codebook?.themes.length ?? -1);
    expect(rows[1]).toMatch(/^\| 1\.1 \| Kontraktet reglerar situationen och relationen \| \d+ \| \d+ \|$/);
  });

  it('gives each theme its definition and its quotes as block quotes with attribution', () => {
    const start = md.indexOf('### 1.1 Kontraktet reglerar situationen och relationen');
    const section = md.slice(start, md.indexOf('\n### 1.2', start));
    expect(section).toContain('Överenskommelser om tid, plats, frekvens, arvode och uppdrag');
    expect(section).toContain(
      '> Med patienterna bestämmer vi ju från början vilka dagar, vilken tid, vad det kostar och vad som gäller om man får förhinder. Det går jag igenom ganska noga första gångerna. (Respondent 1)',
    );
    expect(section.split('\n').filter((l) => l.startsWith('> ')).length).toBeGreaterThan(3);
  });

  it('limits quotes per theme, spread over participants', () => {
    const limited = text(exportProject(example, 'md', { quotesPerTheme: 2 }).bytes);
    for (const part of limited.split(/\n#+ \d/).slice(1)) {
      const quotes = part.split('\n').filter((l) => l.startsWith('> '));
      expect(quotes.length).toBeLessThanOrEqual(2);
      if (quotes.length === 2)
        expect(quotes[0]?.match(/\(([^)]*)\)$/)?.[1]).not.toBe(quotes[1]?.match(/\(([^)]*)\)$/)?.[1]);
    }
  });

  it('keeps transcript text from becoming HTML or Markdown blocks', () => {
    const out = text(exportProject(hostile, 'md').bytes);
    expect(out).toContain(
      '> \\<script>alert("hej")\\</script> sa hon, "ja" (\\<img src=x onerror=alert(1)>)',
    );
    expect(out).toContain('> \\# inte rubrik … (');
  });

  it('marks quotes that start or stop inside a sentence with an ellipsis', () => {
    expect(excerpt('vi ses samma tid varje vecka,')).toBe('… vi ses samma tid varje vecka …');
    expect(excerpt('Det var så.')).toBe('Det var så.');
    expect(excerpt('Det var så')).toBe('Det var så …');
    expect(excerpt('Ärligt talat?')).toBe('Ärligt talat?');
  });
});

describe('the results chapter as HTML', () => {
  it('escapes everything from transcripts and the codebook: no script, no markup', () => {
    const html = text(exportProject(hostile, 'html').bytes);
    expect(html).not.toMatch(/<script|<img|<b>|<em>|<i>/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;hej&quot;)&lt;/script&gt; sa hon, &quot;ja&quot;');
    expect(html).toContain('<span class="attribution">(&lt;img src=x onerror=alert(1)&gt;)</span>');
    expect(html).toContain('<h1>Test &lt;i&gt;studie&lt;/i&gt;</h1>');
  });

  it('is a standalone page with no remote content', () => {
    const html = text(exportProject(example, 'html').bytes);
    expect(html.startsWith('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
    expect(html).not.toMatch(/\b(src|href)=|@import|url\(|https?:/);
    expect(html).toContain('<caption>Table 1.');
    expect(html).toContain(
      '<blockquote><p>Med patienterna bestämmer vi ju från början vilka dagar, vilken tid, vad det kostar och vad som gäller om man får förhinder. Det går jag igenom ganska noga första gångerna. <span class="attribution">(Respondent 1)</span></p></blockquote>',
    );
  });
});

describe('codings as CSV', () => {
  const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(exportProject(example, 'csv').bytes);
  const rows = csv.slice(1).split('\r\n').slice(0, -1);

  it('has one row per coding with file, participant, attributes, code, theme path, lines and text', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(rows[0]).toBe(
      'file,segment,participant,label,kön,yrke,yrkesår,tyngdpunkt,code,theme,theme path,lines,speaker,note,text',
    );
    expect(rows[1]).toBe(
      'intervjuer/respondent-1.md,1,R1,Respondent 1,kvinna,psykolog,32,mer terapi,kontrakt,1.1,1 Gemensamt för den terapeutiska alliansen och handledningsalliansen > 1.1 Kontraktet reglerar situationen och relationen,18,R1,,"Med patienterna bestämmer vi ju från början vilka dagar, vilken tid, vad det kostar och vad som gäller om man får förhinder. Det går jag igenom ganska noga första gångerna."',
    );
    const codings = example
      .transcripts()
      .reduce(
        (sum, t) =>
          sum +
          t.segments.reduce((n, s) => n + new Set(s.codes.map((c) => example.resolveCode(c.name))).size, 0),
        0,
      );
    expect(rows).toHaveLength(codings + 1);
  });

  it('quotes cells with commas and quotes, and defuses cells a spreadsheet would run as formulas', () => {
    const out = text(exportProject(hostile, 'csv').bytes);
    expect(out).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(out).toContain('"not, med komma","<script>alert(""hej"")</script> sa hon, ""ja"""');
  });
});
