/**
 * The alert feed: a page of GET /api/alerts with the URL's filters, newest first, "older" for the next keyset page,
 * and live alerts from the stream prepended in batches. Keeps the rows in order for keyboard triage (selection,
 * next unlabelled). At most MAX_ROWS rows stay on the page: past that the oldest are dropped and "older" reloads.
 */
import * as api from '../api.js';
import { badge, h, when } from '../dom.js';
import { matches, type FeedFilters } from '../filters.js';

const MAX_ROWS = 2000;

export class FeedView {
  readonly el: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly footer: HTMLElement;
  private items: api.AlertSummary[] = [];
  private rows = new Map<string, HTMLTableRowElement>();
  private next: string | null = null;
  private trimmed = false;
  private selectedId: string | null = null;

  constructor(
    private readonly filters: FeedFilters,
    private readonly query: URLSearchParams,
    private readonly open: (id: string) => void,
  ) {
    this.body = h('tbody', { id: 'feed-rows' });
    this.footer = h('div', { class: 'feed-footer' });
    const head = h('tr', {}, ...['', 'level', 'score', 'application / ring', 'rules', 'partner', 'IP', 'label', 'detected'].map((t) => h('th', {}, t)));
    this.el = h('section', { class: 'feed', id: 'feed' }, h('table', { class: 'feed-table' }, h('thead', {}, head), this.body), this.footer);
  }

  async load(): Promise<void> {
    this.footer.replaceChildren(h('span', { class: 'muted' }, 'loading…'));
    const page = await api.listAlerts(this.pageQuery(null));
    this.items = [];
    this.rows.clear();
    this.body.replaceChildren();
    this.append(page.items, page.nextCursor);
  }

  private pageQuery(cursor: string | null): string {
    const q = new URLSearchParams(this.query);
    q.set('limit', '100');
    if (cursor) q.set('cursor', cursor);
    return q.toString();
  }

  private append(items: api.AlertSummary[], next: string | null): void {
    const frag = document.createDocumentFragment();
    for (const a of items) {
      if (this.rows.has(a.id)) continue;
      this.items.push(a);
      frag.append(this.row(a));
    }
    this.body.append(frag);
    this.next = next;
    this.renderFooter();
  }

  private renderFooter(): void {
    const older = this.trimmed
      ? h('button', { onclick: () => void this.load() }, 'older alerts: reload')
      : this.next
        ? h('button', { id: 'older', onclick: () => void this.older() }, 'older')
        : h('span', { class: 'muted' }, this.items.length ? 'end of the feed' : 'no alerts match');
    this.footer.replaceChildren(h('span', { class: 'muted' }, `${this.items.length} shown `), older);
  }

  private async older(): Promise<void> {
    if (!this.next) return;
    const page = await api.listAlerts(this.pageQuery(this.next));
    this.append(page.items, page.nextCursor);
  }

  /** Live alerts (oldest first, as streamed): those the filters select go on top. Returns how many. */
  prepend(batch: api.AlertSummary[]): number {
    // Each batch in feed order (newest detection first, then the higher row id), as a reload would show it.
    const fresh = batch.filter((a) => !this.rows.has(a.id) && matches(a, this.filters)).sort(feedOrder);
    if (!fresh.length) return 0;
    const frag = document.createDocumentFragment();
    for (const a of fresh) frag.append(this.row(a, true));
    this.body.prepend(frag);
    this.items.unshift(...fresh);
    while (this.items.length > MAX_ROWS) {
      const old = this.items.pop();
      if (old) this.rows.get(old.id)?.remove();
      if (old) this.rows.delete(old.id);
      this.trimmed = true;
    }
    this.renderFooter();
    return fresh.length;
  }

  private row(a: api.AlertSummary, fresh = false): HTMLTableRowElement {
    const subject = a.kind === 'ring' ? `${a.ringId ?? ''} (${a.ringEvent ?? 'ring'})` : (a.applicationId ?? '');
    const tr = h(
      'tr',
      {
        class: `alert-row${fresh ? ' fresh' : ''}${a.id === this.selectedId ? ' selected' : ''}`,
        'data-id': a.id,
        'data-kind': a.kind,
        onclick: () => this.open(a.id),
      },
      h('td', {}, a.ringId && a.kind === 'application' ? h('span', { class: 'ring-dot', title: `in ${a.ringId}` }, '◉') : ''),
      h('td', {}, badge(a.level)),
      h('td', { class: 'num' }, a.score ?? ''),
      h('td', { class: 'mono' }, subject),
      h('td', { class: 'codes' }, a.ruleCodes.slice(0, 4).join(' '), a.ruleCodes.length > 4 ? ` +${a.ruleCodes.length - 4}` : ''),
      h('td', {}, a.partnerId ?? ''),
      h(
        'td',
        { class: 'ip' },
        [a.ipCountry, a.ipRegion].filter(Boolean).join(' / '),
        a.ipClass && a.ipClass !== 'public' ? h('span', { class: 'chip' }, a.ipClass) : '',
      ),
      h('td', { class: 'label-cell' }, labelChip(a.label?.label)),
      h('td', { class: 'muted' }, when(a.detectedAt)),
    );
    this.rows.set(a.id, tr);
    return tr;
  }

  select(id: string | null): void {
    if (this.selectedId) this.rows.get(this.selectedId)?.classList.remove('selected');
    this.selectedId = id;
    const tr = id ? this.rows.get(id) : undefined;
    tr?.classList.add('selected');
    tr?.scrollIntoView({ block: 'nearest' });
  }

  /** The id `step` rows from the selected one (or the first), or null at either end. */
  neighbour(step: number): string | null {
    const i = this.selectedId ? this.items.findIndex((a) => a.id === this.selectedId) : -1;
    const j = i < 0 ? 0 : i + step;
    return this.items[j]?.id ?? null;
  }

  /** The next unlabelled application alert below the selected one (then from the top). */
  nextUnlabelled(): string | null {
    const i = this.selectedId ? this.items.findIndex((a) => a.id === this.selectedId) : -1;
    const order = [...this.items.slice(i + 1), ...this.items.slice(0, Math.max(i, 0))];
    return order.find((a) => a.kind === 'application' && !a.label)?.id ?? null;
  }

  summary(id: string): api.AlertSummary | undefined {
    return this.items.find((a) => a.id === id);
  }

  /** Shows a new label on every row of the application. */
  labelled(applicationId: string, label: api.Label): void {
    for (const a of this.items) {
      if (a.applicationId !== applicationId) continue;
      a.label = { label: label.label, author: label.author, createdAt: label.createdAt };
      this.rows.get(a.id)?.querySelector('.label-cell')?.replaceChildren(labelChip(label.label));
    }
  }
}

/** detected_at DESC, id DESC (ids are decimal strings of bigints). */
function feedOrder(a: api.AlertSummary, b: api.AlertSummary): number {
  if (a.detectedAt !== b.detectedAt) return a.detectedAt < b.detectedAt ? 1 : -1;
  return b.id.length - a.id.length || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function labelChip(label: string | null | undefined): HTMLElement | string {
  return label ? h('span', { class: `chip label-${label}` }, label) : '';
}
