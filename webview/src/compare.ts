import type { AgreementResult, FromComparison, ToComparison } from '../../server/src/protocol';
import { el, plural } from './dom';

declare function acquireVsCodeApi(): { postMessage(message: FromComparison): void };
const api = acquireVsCodeApi();

const figure = (value: number | null, percent = false) =>
  value === null ? '—' : percent ? `${(value * 100).toFixed(1)} %` : value.toFixed(3);

/** The comparison: a table per code and overall, then the disagreements, each opening both versions. */
function render(result: AgreementResult, coders: string[]): HTMLElement {
  if (result.status === 'text-differs') {
    return el('section', { className: 'comparison' }, [
      el('h1', { text: 'The coders’ transcripts differ' }),
      el('p', {
        text: 'Agreement is only computed on the same text. Make the transcripts equal (tags aside) first:',
      }),
      el(
        'ol',
        {},
        result.mismatches.map((m) => {
          const item = el('li', { className: 'quote', attrs: { tabindex: '0', role: 'link' } }, [
            el('strong', { text: `${m.path}, line ${m.lines[0]}` }),
            el('span', { className: 'quote-codes', text: `${m.coders[0]}: ${m.texts[0]}` }),
            el('span', { className: 'quote-codes', text: `${m.coders[1]}: ${m.texts[1]}` }),
            ...(m.hint ? [el('span', { className: 'note', text: m.hint })] : []),
          ]);
          // m.lines are one-based, as printed; a range's lines are zero-based.
          const open = () =>
            api.postMessage({
              type: 'open',
              places: m.uris.map((uri, i) => ({
                uri,
                coder: m.coders[i] ?? '',
                range: {
                  start: { line: (m.lines[i] ?? 1) - 1, character: 0 },
                  end: { line: (m.lines[i] ?? 1) - 1, character: 0 },
                },
              })),
            });
          activate(item, open);
          return item;
        }),
      ),
    ]);
  }
  const header = el('tr', {}, [
    ...['Code', 'Theme', 'Units'].map((text) => el('th', { text, attrs: { scope: 'col' } })),
    ...result.coders.map((c) => el('th', { text: c.name, attrs: { scope: 'col' } })),
    ...['Agreement', result.coders.length > 2 ? 'Kappa*' : 'Kappa', 'Alpha'].map((text) =>
      el('th', { text, attrs: { scope: 'col' } }),
    ),
  ]);
  const rows = result.codes.map((code) =>
    el('tr', {}, [
      el('th', { className: 'code-label', text: `#${code.code}`, attrs: { scope: 'row' } }),
      el('td', { text: code.theme ?? '—' }),
      el('td', { text: String(code.units) }),
      ...code.coded.map((n) => el('td', { text: String(n) })),
      el('td', { text: figure(code.agreement, true) }),
      el('td', { text: figure(code.kappa) }),
      el('td', { text: figure(code.alpha) }),
    ]),
  );
  const overall = el('tr', { className: 'overall' }, [
    el('th', { text: 'All codes', attrs: { scope: 'row' } }),
    el('td', { text: '' }),
    el('td', { text: String(result.overall.units) }),
    ...result.coders.map(() => el('td', { text: '' })),
    el('td', { text: figure(result.overall.agreement, true) }),
    el('td', { text: figure(result.overall.meanKappa) }),
    el('td', { text: figure(result.overall.alpha) }),
  ]);
  const disagreements = result.disagreements.map((d) => {
    const item = el('li', { className: 'quote disagreement', attrs: { tabindex: '0', role: 'link' } }, [
      el('strong', { text: `${d.path}:${d.line}${d.speaker ? ` (${d.speaker})` : ''}` }),
      ' ',
      el('q', { className: 'quote-text', text: d.text }),
      ...d.coders.map((copy) =>
        el('span', {
          className: 'quote-codes',
          text: `${copy.coder}: ${copy.codes === null ? 'no copy of this transcript' : copy.codes.length === 0 ? '(no code)' : copy.codes.map((c) => `#${c}`).join(' ')}`,
        }),
      ),
    ]);
    const places = d.coders.flatMap((copy) =>
      copy.uri ? [{ uri: copy.uri, coder: copy.coder, ...(copy.range ? { range: copy.range } : {}) }] : [],
    );
    activate(item, () => api.postMessage({ type: 'open', places }));
    return item;
  });
  return el('section', { className: 'comparison' }, [
    el('h1', { text: `Agreement between ${coders.join(', ')}` }),
    el('p', {
      className: 'summary',
      text: `Unit: ${result.unit}. ${plural(result.transcripts.length, 'transcript')}, ${plural(result.overall.units, 'unit')}, ${plural(result.overall.codes, 'code')}.${result.unpaired.length > 0 ? ` Not compared (only one coder has them): ${result.unpaired.map((u) => u.path).join(', ')}.` : ''}`,
    }),
    el('table', { className: 'matrix agreement' }, [
      el('thead', {}, [header]),
      el('tbody', {}, [...rows, overall]),
    ]),
    el('h2', { text: `Disagreements (${result.disagreements.length})` }),
    result.disagreements.length > 0
      ? el('ol', { className: 'quotes', attrs: { 'aria-label': 'Disagreements' } }, disagreements)
      : el('p', { text: 'The coders agree on every unit.' }),
  ]);
}

function activate(item: HTMLElement, open: () => void): void {
  item.addEventListener('click', open);
  item.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open();
    }
  });
}

window.addEventListener('message', (event: MessageEvent<ToComparison>) => {
  if (event.data.type === 'result')
    document.getElementById('app')?.replaceChildren(render(event.data.result, event.data.coders));
});
api.postMessage({ type: 'ready' });
