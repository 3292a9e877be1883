import type { MatrixParticipant } from '../../server/src/core/analyses/matrix';
import type {
  PanelState,
  Quote,
  QuotePage,
  QuoteQuery,
  ThemeNode,
  ThemeTreeResult,
} from '../../server/src/protocol';
import { describeAttributes, el, plural } from './dom';

/** Quotes fetched per page; more are fetched as the list scrolls to its end. */
const PAGE_SIZE = 100;

export interface ThemesViewHost {
  state: PanelState;
  save(): void;
  loadQuotes(query: QuoteQuery, handle: (page: QuotePage) => void): void;
  openQuote(quote: Quote): void;
}

/**
 * The theme hierarchy (numbered, with counts; unsupported themes marked) beside the quote index of
 * the selected theme or code, with participant, attribute and text filters.
 */
export class ThemesView {
  readonly element = el('section', {
    className: 'themes-view',
    attrs: { 'aria-label': 'Themes and quotes' },
  });
  private readonly tree = document.createElement('vscode-tree');
  private readonly quoteList = el('ol', { className: 'quotes', attrs: { 'aria-label': 'Quotes' } });
  private readonly quoteHeading = el('h2', { className: 'quote-heading' });
  private readonly quoteCount = el('p', { className: 'quote-count', attrs: { 'aria-live': 'polite' } });
  private readonly participantFilter = el('select', { attrs: { 'aria-label': 'Participant' } });
  private readonly attributeFilter = el('select', { attrs: { 'aria-label': 'Attribute' } });
  private readonly textFilter = el('input', {
    attrs: { type: 'search', placeholder: 'Search quotes', 'aria-label': 'Search quotes' },
  });
  private readonly sentinel = el('div', { className: 'sentinel', attrs: { 'aria-hidden': 'true' } });
  private readonly scroller = el('div', { className: 'quote-scroller' });
  private loaded: Quote[] = [];
  private total = 0;
  private loading = false;
  /** Bumped by every reload, so answers to older requests are ignored. */
  private generation = 0;
  private treeSignature = '';

  constructor(private readonly host: ThemesViewHost) {
    const filters = el('div', { className: 'filters' }, [
      this.participantFilter,
      this.attributeFilter,
      this.textFilter,
    ]);
    this.scroller.append(this.quoteHeading, this.quoteCount, this.quoteList, this.sentinel);
    const quotes = el('div', { className: 'quote-pane' }, [filters, this.scroller]);
    this.tree.setAttribute('aria-label', 'Theme hierarchy');
    this.tree.setAttribute('indent-guides', 'always');
    const treePane = el('div', { className: 'tree-pane' }, [this.tree]);
    this.element.append(treePane, quotes);

    // vscode-tree has no event for opening or closing a theme, but reflects it in the `open` attribute:
    // remembered at once, the open themes survive a reload of the window.
    new MutationObserver(() => this.rememberExpanded()).observe(this.tree, {
      attributeFilter: ['open'],
      subtree: true,
    });
    this.tree.addEventListener('vsc-tree-select', (event) => {
      // vscode-elements 2.5 declares the detail as { selectedItems } but sends the array of items itself
      // (vscode-elements/elements#649).
      const [item] = event.detail as unknown as HTMLElementTagNameMap['vscode-tree-item'][];
      if (!item) return;
      const theme = item.dataset.theme;
      const code = item.dataset.code;
      this.host.state.selection = theme ? { theme } : code ? { code } : {};
      this.host.save();
      this.reloadQuotes(false);
    });
    this.participantFilter.addEventListener('change', () =>
      this.setFilter('participant', this.participantFilter.value),
    );
    this.attributeFilter.addEventListener('change', () =>
      this.setFilter('attribute', this.attributeFilter.value),
    );
    let typing: ReturnType<typeof setTimeout> | undefined;
    this.textFilter.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => this.setFilter('text', this.textFilter.value), 200);
    });
    this.textFilter.value = host.state.filters.text ?? '';
    this.scroller.addEventListener('scroll', () => {
      this.host.state.scrollTop = this.scroller.scrollTop;
      this.host.save();
    });
    new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && this.loaded.length < this.total) this.loadMore();
      },
      { root: this.scroller },
    ).observe(this.sentinel);
  }

  /** New tree data: rebuilt when themes or codes changed, otherwise only the counts are updated in place. */
  showTree(result: ThemeTreeResult, participants: MatrixParticipant[]): void {
    const signature = JSON.stringify(shape(result.themes)) + result.unlistedCodes.map((c) => c.name).join();
    if (signature !== this.treeSignature) {
      this.treeSignature = signature;
      this.tree.replaceChildren(...result.themes.map((theme) => this.themeItem(theme)));
      if (result.unlistedCodes.length > 0) this.tree.append(this.unlistedItem(result));
    } else {
      this.updateCounts(result);
    }
    this.fillFilters(participants);
  }

  /** The transcripts the listed quotes come from. */
  listedTranscripts(): Set<string> {
    return new Set(this.loaded.map((quote) => quote.uri));
  }

  /** Reloads the visible quotes after an edit, keeping as many as were loaded and the scroll position. */
  refreshQuotes(): void {
    this.reloadQuotes(true);
  }

  select(selection: { theme?: string; code?: string }): void {
    this.host.state.selection = selection;
    this.host.save();
    for (const item of this.tree.querySelectorAll('vscode-tree-item')) {
      const match = selection.theme
        ? item.dataset.theme === selection.theme
        : item.dataset.code === selection.code;
      item.selected = match;
      if (match) {
        for (let parent = item.parentElement; parent && parent !== this.tree; parent = parent.parentElement) {
          if (parent.tagName === 'VSCODE-TREE-ITEM')
            (parent as HTMLElementTagNameMap['vscode-tree-item']).open = true;
        }
        item.scrollIntoView({ block: 'nearest' });
      }
    }
    this.reloadQuotes(false);
  }

  private themeItem(theme: ThemeNode): HTMLElement {
    const item = document.createElement('vscode-tree-item');
    item.dataset.theme = theme.number;
    item.open = this.host.state.expanded.includes(theme.number);
    item.selected = this.host.state.selection?.theme === theme.number;
    const label = el('span', {
      className: theme.supported ? 'theme-label' : 'theme-label unsupported',
      text: `${theme.number} ${theme.name}`,
    });
    if (!theme.supported) label.title = 'Not supported by enough participants';
    item.append(label, this.counts(theme.segments, theme.participants, theme.supported));
    if (theme.definition) item.title = theme.definition;
    for (const code of theme.codes) {
      const child = document.createElement('vscode-tree-item');
      child.dataset.code = code.name;
      child.selected = this.host.state.selection?.code === code.name;
      child.append(
        el('span', { className: 'code-label', text: `#${code.name}` }),
        this.counts(code.segments, code.participants, true),
      );
      if (code.definition) child.title = code.definition;
      item.append(child);
    }
    for (const child of theme.children) item.append(this.themeItem(child));
    return item;
  }

  private unlistedItem(result: ThemeTreeResult): HTMLElement {
    const item = document.createElement('vscode-tree-item');
    item.dataset.group = 'unlisted';
    item.append(el('span', { className: 'theme-label unlisted', text: 'Not in the codebook' }));
    for (const code of result.unlistedCodes) {
      const child = document.createElement('vscode-tree-item');
      child.dataset.code = code.name;
      child.append(
        el('span', { className: 'code-label', text: `#${code.name}` }),
        this.counts(code.segments, code.participants, true),
      );
      item.append(child);
    }
    return item;
  }

  private counts(segments: number, participants: number, supported: boolean): HTMLElement {
    const text = `${segments} · ${participants}`;
    return el('span', {
      className: supported ? 'counts' : 'counts unsupported',
      text: supported ? text : `${text} ⚠`,
      title: `${plural(segments, 'coded segment')}, ${plural(participants, 'participant')}`,
      // The decoration slot keeps the counts visible; a description is the first thing hidden when narrow.
      attrs: { slot: 'decoration' },
    });
  }

  private updateCounts(result: ThemeTreeResult): void {
    const byTheme = new Map<string, ThemeNode>();
    const byCode = new Map<string, { segments: number; participants: number }>();
    const visit = (themes: ThemeNode[]) => {
      for (const theme of themes) {
        byTheme.set(theme.number, theme);
        for (const code of theme.codes) byCode.set(code.name, code);
        visit(theme.children);
      }
    };
    visit(result.themes);
    for (const code of result.unlistedCodes) byCode.set(code.name, code);
    for (const item of this.tree.querySelectorAll('vscode-tree-item')) {
      const theme = item.dataset.theme ? byTheme.get(item.dataset.theme) : undefined;
      const code = item.dataset.code ? byCode.get(item.dataset.code) : undefined;
      const data = theme ?? code;
      const old = item.querySelector(':scope > .counts');
      if (!data || !old) continue;
      const supported = theme ? theme.supported : true;
      old.replaceWith(this.counts(data.segments, data.participants, supported));
      item.querySelector(':scope > .theme-label')?.classList.toggle('unsupported', !supported);
    }
  }

  private rememberExpanded(): void {
    this.host.state.expanded = [...this.tree.querySelectorAll('vscode-tree-item')]
      .filter((i) => i.open && i.dataset.theme)
      .map((i) => i.dataset.theme ?? '');
    this.host.save();
  }

  private fillFilters(participants: MatrixParticipant[]): void {
    const filters = this.host.state.filters;
    const option = (value: string, label: string, selected: boolean) => {
      const o = el('option', { text: label, attrs: { value } });
      o.selected = selected;
      return o;
    };
    this.participantFilter.replaceChildren(
      option('', 'All participants', !filters.participant),
      ...participants.map((p) =>
        option(p.id, p.label === p.id ? p.id : `${p.label} (${p.id})`, filters.participant === p.id),
      ),
    );
    const values = new Set<string>();
    for (const p of participants)
      for (const [key, value] of Object.entries(p.attributes)) values.add(`${key}=${String(value)}`);
    this.attributeFilter.replaceChildren(
      option('', 'All attributes', !filters.attribute),
      ...[...values].sort().map((v) => option(v, v.replace('=', ': '), filters.attribute === v)),
    );
  }

  private setFilter(key: 'participant' | 'attribute' | 'text', value: string): void {
    if (value) this.host.state.filters[key] = value;
    else delete this.host.state.filters[key];
    this.host.save();
    this.reloadQuotes(false);
  }

  private query(offset: number, limit: number): QuoteQuery {
    const { selection, filters } = this.host.state;
    const query: QuoteQuery = { offset, limit };
    if (selection?.theme) query.theme = selection.theme;
    if (selection?.code) query.code = selection.code;
    if (filters.participant) query.participant = filters.participant;
    if (filters.text) query.text = filters.text;
    if (filters.attribute) {
      const [key = '', ...rest] = filters.attribute.split('=');
      query.attributes = { [key]: rest.join('=') };
    }
    return query;
  }

  private reloadQuotes(keepPosition: boolean): void {
    const selection = this.host.state.selection;
    if (!selection?.theme && !selection?.code) {
      this.quoteHeading.textContent = 'Select a theme or a code';
      this.quoteCount.textContent = '';
      this.quoteList.replaceChildren();
      this.loaded = [];
      this.total = 0;
      return;
    }
    const limit = keepPosition ? Math.max(PAGE_SIZE, this.loaded.length) : PAGE_SIZE;
    const generation = ++this.generation;
    this.loading = true;
    this.host.loadQuotes(this.query(0, limit), (page) => {
      if (generation !== this.generation) return;
      this.loading = false;
      this.loaded = page.items;
      this.total = page.total;
      this.renderQuotes();
      this.scroller.scrollTop = keepPosition ? (this.host.state.scrollTop ?? 0) : 0;
    });
  }

  private loadMore(): void {
    if (this.loading) return;
    const generation = this.generation;
    this.loading = true;
    this.host.loadQuotes(this.query(this.loaded.length, PAGE_SIZE), (page) => {
      if (generation !== this.generation) return;
      this.loading = false;
      this.loaded = [...this.loaded, ...page.items];
      this.total = page.total;
      this.quoteList.append(...page.items.map((quote) => this.quoteItem(quote)));
      this.quoteCount.textContent = this.countText();
    });
  }

  private renderQuotes(): void {
    const selection = this.host.state.selection;
    this.quoteHeading.textContent = selection?.theme
      ? `Theme ${selection.theme}`
      : `#${selection?.code ?? ''}`;
    this.quoteCount.textContent = this.countText();
    this.quoteList.replaceChildren(...this.loaded.map((quote) => this.quoteItem(quote)));
  }

  private countText(): string {
    return this.total === 0
      ? 'No quotes match.'
      : `${plural(this.total, 'quote')}${this.loaded.length < this.total ? `, ${this.loaded.length} shown` : ''}`;
  }

  private quoteItem(quote: Quote): HTMLElement {
    const attribution = el('span', {
      className: 'attribution',
      text: `(${quote.label})`,
      title: describeAttributes(quote.attributes) || quote.participant,
    });
    const codes = el('span', { className: 'quote-codes', text: quote.codes.map((c) => `#${c}`).join(' ') });
    const children: (Node | string)[] = [
      el('q', { className: 'quote-text', text: quote.text }),
      ' ',
      attribution,
      codes,
    ];
    if (quote.note) children.push(el('span', { className: 'note', text: quote.note }));
    const item = el(
      'li',
      {
        className: 'quote',
        attrs: { tabindex: '0', role: 'link', 'aria-label': `${quote.text} (${quote.label})` },
      },
      children,
    );
    const open = () => this.host.openQuote(quote);
    item.addEventListener('click', open);
    item.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        open();
      }
    });
    return item;
  }
}

function shape(themes: ThemeNode[]): unknown {
  return themes.map((t) => [t.number, t.name, t.codes.map((c) => c.name), shape(t.children)]);
}
