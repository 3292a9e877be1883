import type { MatrixResult } from '../../server/src/protocol';
import { describeAttributes, el, plural } from './dom';

/**
 * Participants × themes: did every participant raise every theme? A heat map of coded segments, with
 * empty cells marked so gaps stand out.
 */
export function renderMatrix(result: MatrixResult, onSelectTheme: (theme: string) => void): HTMLElement {
  const max = Math.max(1, ...result.counts.flat());
  const header = el('tr', {}, [
    el('th', { text: 'Participant', attrs: { scope: 'col' } }),
    ...result.themes.map((theme) => {
      const button = el('button', {
        className: 'link',
        text: theme.number,
        title: `${theme.number} ${theme.name}`,
      });
      button.addEventListener('click', () => onSelectTheme(theme.number));
      return el('th', { className: `depth-${theme.depth}`, attrs: { scope: 'col' } }, [button]);
    }),
  ]);
  const rows = result.participants.map((participant, p) =>
    el('tr', {}, [
      el('th', {
        text: participant.label,
        title: describeAttributes(participant.attributes) || participant.id,
        attrs: { scope: 'row' },
      }),
      ...result.themes.map((theme, t) => {
        const count = result.counts[p]?.[t] ?? 0;
        const cell = el('td', {
          className: count === 0 ? 'empty' : 'filled',
          text: count === 0 ? '·' : String(count),
          title: `${participant.label} · ${theme.number} ${theme.name}: ${plural(count, 'segment')}`,
        });
        if (count > 0) cell.style.setProperty('--heat', String(0.15 + 0.85 * (count / max)));
        return cell;
      }),
    ]),
  );
  const table = el('table', { className: 'matrix' }, [
    el('caption', { text: 'Coded segments per participant and theme (themes include their subthemes)' }),
    el('thead', {}, [header]),
    el('tbody', {}, rows),
  ]);
  return el('div', { className: 'matrix-scroller' }, [table]);
}

/** Code frequencies as a bar chart, and the codes most often applied to the same passages. */
export function renderCodes(result: MatrixResult, onSelectCode: (code: string) => void): HTMLElement {
  const max = Math.max(1, ...result.codes.map((c) => c.segments));
  const bars = result.codes.map((code) => {
    const name = el('button', { className: 'link code-label', text: `#${code.name}` });
    name.addEventListener('click', () => onSelectCode(code.name));
    const bar = el('span', { className: 'bar', attrs: { 'aria-hidden': 'true' } });
    bar.style.setProperty('--share', String(code.segments / max));
    return el(
      'li',
      { title: `${plural(code.segments, 'segment')}, ${plural(code.participants, 'participant')}` },
      [
        name,
        el('span', { className: 'theme-number', text: code.theme ?? '—' }),
        bar,
        el('span', { className: 'value', text: String(code.segments) }),
      ],
    );
  });
  const pairs = result.cooccurrence
    .slice(0, 20)
    .map((pair) =>
      el('li', {}, [
        el('span', { className: 'code-label', text: `#${pair.a} + #${pair.b}` }),
        el('span', { className: 'value', text: String(pair.count) }),
      ]),
    );
  return el('div', { className: 'codes-view' }, [
    el('h2', { text: 'Code frequencies' }),
    el('ol', { className: 'bars', attrs: { 'aria-label': 'Code frequencies' } }, bars),
    el('h2', { text: 'Codes that occur together' }),
    pairs.length > 0
      ? el('ol', { className: 'pairs' }, pairs)
      : el('p', { text: 'No passage carries two codes yet.' }),
  ]);
}
