import type { Codeline, Range, SequenceResult } from '../../server/src/protocol';
import { el, plural } from './dom';

type Segment = Codeline['transcripts'][number]['segments'][number];

export interface CodelineHost {
  querySequence(a: string, b: string, within: number): void;
  openRange(uri: string, range: Range): void;
}

/**
 * The codeline of one transcript: a row per code (or per theme) and the turns along the axis, each coded
 * segment a mark over the turns it covers; and the sequence query "how often does B follow A within N turns".
 */
export class CodelineView {
  readonly element = el('section', { className: 'codeline-view', attrs: { 'aria-label': 'Codeline' } });
  private readonly transcriptSelect = el('select', { attrs: { 'aria-label': 'Transcript' } });
  private readonly rowsSelect = el('select', { attrs: { 'aria-label': 'Rows' } });
  private readonly chart = el('div', { className: 'codeline-chart' });
  private readonly sequenceResult = el('div', {
    className: 'sequence-result',
    attrs: { 'aria-live': 'polite' },
  });
  private data: Codeline | undefined;

  constructor(private readonly host: CodelineHost) {
    this.rowsSelect.append(
      el('option', { text: 'A row per code', attrs: { value: 'code' } }),
      el('option', { text: 'A row per theme', attrs: { value: 'theme' } }),
    );
    this.transcriptSelect.addEventListener('change', () => this.draw());
    this.rowsSelect.addEventListener('change', () => this.draw());
    const a = el('input', {
      attrs: { 'aria-label': 'A: code or theme', placeholder: 'A: #code or theme number' },
    });
    const b = el('input', {
      attrs: { 'aria-label': 'B: code or theme', placeholder: 'B: #code or theme number' },
    });
    const within = el('input', {
      attrs: { type: 'number', min: '0', value: '2', 'aria-label': 'Within turns' },
    });
    const run = el('button', { className: 'action', text: 'Count' });
    // Reads as a sentence: "How often does B follow A within N turns?"
    const form = el('form', { className: 'sequence-form' }, [
      el('span', { text: 'How often does' }),
      b,
      el('span', { text: 'follow' }),
      a,
      el('span', { text: 'within' }),
      within,
      el('span', { text: 'turns?' }),
      run,
    ]);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (a.value.trim() && b.value.trim())
        this.host.querySequence(a.value.trim(), b.value.trim(), Number(within.value) || 0);
    });
    this.element.append(
      el('div', { className: 'filters' }, [this.transcriptSelect, this.rowsSelect]),
      this.chart,
      el('h2', { text: 'Sequences' }),
      form,
      this.sequenceResult,
    );
  }

  show(data: Codeline): void {
    const previous = this.transcriptSelect.value;
    this.data = data;
    this.transcriptSelect.replaceChildren(
      ...data.transcripts.map((t) => {
        const option = el('option', { text: `${t.label} (${t.path})`, attrs: { value: t.uri } });
        option.selected = t.uri === previous;
        return option;
      }),
    );
    this.draw();
  }

  showSequence(result: SequenceResult | null): void {
    if (!result) {
      this.sequenceResult.replaceChildren(el('p', { text: 'Nothing to count.' }));
      return;
    }
    const share = (s: number | null) => (s === null ? '—' : `${Math.round(s * 100)} %`);
    const rows = result.transcripts.map((t) =>
      el('tr', {}, [
        el('th', { text: t.path, attrs: { scope: 'row' } }),
        el('td', { text: String(t.occurrences) }),
        el('td', { text: String(t.followed) }),
        el('td', { text: share(t.share) }),
      ]),
    );
    const o = result.overall;
    // Names what was counted: a misspelt code gives "0 of 0", and only its name shows why.
    const name = (s: SequenceResult['a']) => (s.kind === 'code' ? `#${s.name}` : `${s.number} ${s.name}`);
    this.sequenceResult.replaceChildren(
      el('p', {
        className: 'summary',
        text: `Overall: ${o.followed} of ${plural(o.occurrences, 'passage')} coded ${name(result.a)} are followed by ${name(result.b)} within ${plural(result.within, 'turn')} (${share(o.share)}).`,
      }),
      el('table', { className: 'matrix' }, [
        el('thead', {}, [
          el(
            'tr',
            {},
            ['Transcript', 'A', 'Followed by B', 'Share'].map((text) =>
              el('th', { text, attrs: { scope: 'col' } }),
            ),
          ),
        ]),
        el('tbody', {}, rows),
      ]),
    );
  }

  private draw(): void {
    const data = this.data;
    const transcript =
      data?.transcripts.find((t) => t.uri === this.transcriptSelect.value) ?? data?.transcripts[0];
    if (!data || !transcript) {
      this.chart.replaceChildren(el('p', { text: 'No transcript has coded segments yet.' }));
      return;
    }
    const byTheme = this.rowsSelect.value === 'theme';
    // A theme's row also holds the passages of the themes below it, as the sequence query counts them:
    // segments name only the themes their codes are listed under, so main themes had no row at all.
    const inRow = (segment: Segment, key: string) =>
      byTheme
        ? segment.themes.some((t) => t === key || t.startsWith(`${key}.`))
        : segment.codes.includes(key);
    const keys = byTheme
      ? data.themes
          .filter((theme) => transcript.segments.some((s) => inRow(s, theme.number)))
          .map((t) => ({ key: t.number, label: `${t.number} ${t.name}` }))
      : data.codes
          .filter((code) => transcript.segments.some((s) => s.codes.includes(code.name)))
          .map((c) => ({ key: c.name, label: `#${c.name}` }));
    const steps = Math.max(1, transcript.steps.length);
    const rows = keys.map(({ key, label }) => {
      const track = el('div', { className: 'codeline-track' });
      for (const segment of transcript.segments) {
        if (!inRow(segment, key)) continue;
        const mark = el('button', {
          className: 'codeline-mark',
          title: `${transcript.axis} ${segment.from + 1}${segment.to > segment.from ? `–${segment.to + 1}` : ''}: ${segment.text}`,
          attrs: { 'aria-label': `${label}, ${transcript.axis} ${segment.from + 1}: ${segment.text}` },
        });
        mark.style.setProperty('--from', String(segment.from / steps));
        mark.style.setProperty('--span', String((segment.to - segment.from + 1) / steps));
        mark.addEventListener('click', () => this.host.openRange(transcript.uri, segment.range));
        track.append(mark);
      }
      return el('div', { className: 'codeline-row' }, [
        el('span', { className: byTheme ? 'theme-label' : 'code-label', text: label }),
        track,
      ]);
    });
    this.chart.replaceChildren(
      el('p', {
        className: 'summary',
        text: `${plural(transcript.segments.length, 'coded segment')} over ${plural(transcript.steps.length, transcript.axis)}.`,
      }),
      ...rows,
    );
  }
}
