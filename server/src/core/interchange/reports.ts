import { findQuotes, type Quote } from '../analyses/quotes';
import { flattenThemes, type ThemeNode, themeTree } from '../analyses/themeTree';
import type { ProjectIndex } from '../projectIndex';
import { quoteText } from '../transcript';

/**
 * The reports researchers hand in: a results chapter (the numbered theme table, then each theme's
 * definition and quotes with attribution) as Markdown or as a standalone HTML page, and every coding
 * as CSV for a spreadsheet. Everything that comes from transcripts is escaped.
 */

export interface ResultsOptions {
  /** Most quotes per theme, spread over participants; all when undefined. */
  quotesPerTheme?: number;
}

interface ResultsTheme {
  theme: ThemeNode;
  quotes: Quote[];
}

interface Results {
  title: string;
  participants: number;
  segments: number;
  themes: ResultsTheme[];
}

function results(index: ProjectIndex, options: ResultsOptions): Results {
  const themes = flattenThemes(themeTree(index)).map((theme) => {
    // A theme's own quotes: coded with its own codes; its subthemes show theirs.
    const own = findQuotes(index, { theme: theme.number }).items.filter((q) =>
      q.themes.includes(theme.number),
    );
    return { theme, quotes: pickQuotes(own, options.quotesPerTheme) };
  });
  return {
    title: index.settings.title ?? 'Results',
    participants: new Set(index.transcripts().map((t) => t.participant.id)).size,
    segments: index.transcripts().reduce((sum, t) => sum + t.segments.length, 0),
    themes,
  };
}

/** Up to `limit` quotes, taking one participant's quote at a time so that every voice is heard. */
function pickQuotes(quotes: Quote[], limit: number | undefined): Quote[] {
  if (limit === undefined || quotes.length <= limit) return quotes;
  const byParticipant = new Map<string, Quote[]>();
  for (const quote of quotes) {
    const list = byParticipant.get(quote.participant) ?? [];
    list.push(quote);
    byParticipant.set(quote.participant, list);
  }
  const picked = new Set<Quote>();
  for (let round = 0; picked.size < limit; round++) {
    let any = false;
    for (const list of byParticipant.values()) {
      const quote = list[round];
      if (quote && picked.size < limit) {
        picked.add(quote);
        any = true;
      }
    }
    if (!any) break;
  }
  return quotes.filter((quote) => picked.has(quote));
}

/**
 * A quote as a thesis prints it: an ellipsis where it starts or stops inside a sentence, so that
 * `vi ses samma tid varje vecka,` reads `… vi ses samma tid varje vecka …`.
 */
export function excerpt(text: string): string {
  let out = text;
  if (/^\p{Ll}/u.test(out)) out = `… ${out}`;
  if (/[,;:\s–-]$/u.test(out)) out = `${out.replace(/[,;:\s–-]+$/u, '')} …`;
  else if (!/[.!?…"'”’)\]]$/u.test(out)) out = `${out} …`;
  return out;
}

function summary(r: Results): string {
  return `${plural(r.themes.length, 'theme')}, ${plural(r.segments, 'coded segment')}, ${plural(r.participants, 'participant')}.`;
}

const tableCaption =
  'Table 1. Themes with the number of coded segments and of participants who support them.';

// ---------------------------------------------------------------------------------------------------
// Markdown

export function resultsMarkdown(index: ProjectIndex, options: ResultsOptions = {}): string {
  const r = results(index, options);
  const lines = [`# ${mdText(r.title)}`, '', summary(r), '', `*${tableCaption}*`, ''];
  lines.push('| No. | Theme | Segments | Participants |', '|---|---|---:|---:|');
  for (const { theme } of r.themes) {
    lines.push(
      `| ${theme.number} | ${mdText(theme.name).replace(/\|/g, '\\|')} | ${theme.segments} | ${theme.participants} |`,
    );
  }
  for (const { theme, quotes } of r.themes) {
    lines.push('', `${'#'.repeat(Math.min(theme.depth + 2, 6))} ${theme.number} ${mdText(theme.name)}`, '');
    if (theme.definition) lines.push(theme.definition, '');
    for (const quote of quotes) lines.push(`> ${mdText(excerpt(quote.text))} (${mdText(quote.label)})`, '');
    if (lines[lines.length - 1] === '') lines.pop();
  }
  return `${lines.join('\n')}\n`;
}

/** Text from a transcript inside Markdown: no raw HTML, and nothing at the start that makes a block. */
function mdText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/^([#>+*-]|\d+[.)])/, (start) => `\\${start}`);
}

// ---------------------------------------------------------------------------------------------------
// HTML

const style = `
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #111; }
h1, h2, h3, h4, h5, h6 { font-family: system-ui, sans-serif; line-height: 1.25; }
table { border-collapse: collapse; margin: 1em 0; }
caption { caption-side: top; text-align: left; font-style: italic; padding-bottom: 0.5em; }
th, td { border-bottom: 1px solid #bbb; padding: 0.25em 0.75em; text-align: left; vertical-align: top; }
td.count, th.count { text-align: right; }
blockquote { margin: 1em 2em; }
.attribution { white-space: nowrap; }
.summary { color: #444; }
`;

export function resultsHtml(index: ProjectIndex, options: ResultsOptions = {}): string {
  const r = results(index, options);
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(r.title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    `<h1>${html(r.title)}</h1>`,
    `<p class="summary">${html(summary(r))}</p>`,
    '<table>',
    `<caption>${html(tableCaption)}</caption>`,
    '<thead><tr><th>No.</th><th>Theme</th><th class="count">Segments</th><th class="count">Participants</th></tr></thead>',
    '<tbody>',
  ];
  for (const { theme } of r.themes) {
    out.push(
      `<tr><td>${html(theme.number)}</td><td>${html(theme.name)}</td><td class="count">${theme.segments}</td><td class="count">${theme.participants}</td></tr>`,
    );
  }
  out.push('</tbody>', '</table>');
  for (const { theme, quotes } of r.themes) {
    const level = Math.min(theme.depth + 2, 6);
    out.push('<section>', `<h${level}>${html(theme.number)} ${html(theme.name)}</h${level}>`);
    for (const paragraph of theme.definition.split(/\n\s*\n/)) {
      if (paragraph.trim()) out.push(`<p>${html(paragraph.replace(/\s+/g, ' ').trim())}</p>`);
    }
    for (const quote of quotes) {
      out.push(
        `<blockquote><p>${html(quote.text)} <span class="attribution">(${html(quote.label)})</span></p></blockquote>`,
      );
    }
    out.push('</section>');
  }
  out.push('</body>', '</html>');
  return `${out.join('\n')}\n`;
}

export function html(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// ---------------------------------------------------------------------------------------------------
// CSV

/**
 * One row per coding: a coded segment with two codes gives two rows, with the same file and segment
 * number, so that a spreadsheet can filter and count by code. UTF-8 with a BOM and CRLF, as Excel
 * expects; cells that a spreadsheet would run as a formula are prefixed with `'`.
 */
export function codingsCsv(index: ProjectIndex): string {
  const codebook = index.codebook;
  const transcripts = index.transcripts();
  const attributeKeys: string[] = [];
  for (const transcript of transcripts)
    for (const key of Object.keys(transcript.participant.attributes))
      if (!attributeKeys.includes(key)) attributeKeys.push(key);
  const themePath = (themeIndex: number | undefined): string => {
    const names: string[] = [];
    let at = themeIndex;
    while (at !== undefined) {
      const theme = codebook?.themes[at];
      if (!theme) break;
      names.unshift(`${theme.number} ${theme.name}`);
      at = theme.parent;
    }
    return names.join(' > ');
  };
  const rows: string[][] = [
    [
      'file',
      'segment',
      'participant',
      'label',
      ...attributeKeys,
      'code',
      'theme',
      'theme path',
      'lines',
      'speaker',
      'note',
      'text',
    ],
  ];
  for (const transcript of transcripts) {
    const file = index.relativePath(transcript.uri) ?? transcript.uri;
    const participant = transcript.participant;
    for (const segment of transcript.segments) {
      const text = quoteText(transcript, segment);
      const range = transcript.lines.rangeOf(segment.text);
      const lines =
        range.start.line === range.end.line
          ? `${range.start.line + 1}`
          : `${range.start.line + 1}-${range.end.line + 1}`;
      const codes: string[] = [];
      for (const occurrence of segment.codes) {
        const code = index.resolveCode(occurrence.name);
        if (!codes.includes(code)) codes.push(code);
      }
      for (const code of codes) {
        const theme = index.themeOf(code);
        rows.push([
          file,
          String(segment.index + 1),
          participant.id,
          participant.label,
          ...attributeKeys.map((key) =>
            key in participant.attributes ? String(participant.attributes[key]) : '',
          ),
          code,
          theme === undefined ? '' : (codebook?.themes[theme]?.number ?? ''),
          themePath(theme),
          lines,
          segment.speaker ?? '',
          segment.note?.text ?? '',
          text,
        ]);
      }
    }
  }
  return `\ufeff${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
