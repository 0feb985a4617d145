/**
 * The signed-in page: header, the view the URL names, the live stream, the keys. The feed stays on the page while
 * alerts are opened beside it (same filters), so the selection and the live rows survive triage.
 */
import * as api from './api.js';
import type { Ctx } from './context.js';
import { h } from './dom.js';
import { readFilters } from './filters.js';
import { bindKeys } from './keys.js';
import { LiveFeed, type LiveStatus } from './live.js';
import { formatRoute, parseRoute, type PageRoute } from './route.js';
import { renderCase, renderCases } from './views/cases.js';
import { renderDetail } from './views/detail.js';
import { filterBar } from './views/filter-bar.js';
import { FeedView } from './views/feed.js';
import { labelApplication } from './views/label-actions.js';
import { renderRing, type RingHandle } from './views/ring.js';

export class App {
  private readonly main = h('main', { id: 'view' });
  private readonly status = h('span', { class: 'live-status', id: 'live-status' }, 'connecting');
  private feed: { view: FeedView; query: string; el: HTMLElement; detail: HTMLElement } | undefined;
  private ring: RingHandle | null = null;
  private openAlert: { id: string; applicationId: string | null; ringId: string | null } | null = null;
  readonly live: LiveFeed;
  readonly ctx: Ctx;

  constructor(
    private readonly root: HTMLElement,
    readonly me: api.Me,
    private readonly onSignOut: () => void,
  ) {
    this.ctx = {
      me,
      canWrite: me.role !== 'viewer',
      go: (hash) => (location.hash = hash),
      route: () => parseRoute(location.hash),
      labelled: (applicationId, label) => this.labelled(applicationId, label),
    };
    this.live = new LiveFeed({
      onBatch: (items) => this.feed?.view.prepend(items) ?? 0,
      onStatus: (s) => this.setStatus(s),
      onOverflow: () => void this.feed?.view.load(),
    });
  }

  start(): void {
    // The trend report (docs/reports.md) opens in its own tab: a sandboxed document, signed in by the session cookie.
    const report = h('a', { href: '/api/reports/trends?since=7d', target: '_blank', rel: 'noopener', title: 'Fraud trends of the last 7 days' }, 'Trends');
    const nav = h('nav', {}, h('a', { href: '#/alerts' }, 'Alerts'), h('a', { href: '#/cases' }, 'Cases'), report);
    const user = h('span', { class: 'user', id: 'user', 'data-role': this.me.role }, `${this.me.name} (${this.me.role})`);
    const out = h('button', { class: 'link', onclick: () => void api.logout().finally(() => this.onSignOut()) }, 'sign out');
    this.root.replaceChildren(
      h(
        'header',
        { class: 'top' },
        h('strong', { class: 'brand' }, 'lendguard'),
        nav,
        this.status,
        h('span', { class: 'spacer' }),
        h('span', { class: 'muted' }, '? keys'),
        user,
        out,
      ),
      this.main,
    );
    window.addEventListener('hashchange', () => void this.render());
    bindKeys(this.keyActions());
    this.live.start();
    void this.render();
  }

  private setStatus(s: LiveStatus): void {
    this.status.textContent = s;
    this.status.className = `live-status live-${s}`;
  }

  async render(): Promise<void> {
    const route = parseRoute(location.hash);
    if (route.view !== 'rings') this.closeRing();
    try {
      if (route.view === 'rings' && route.id) await this.showRing(route.id);
      else if (route.view === 'cases') await this.showCases(route);
      else await this.showAlerts(route);
    } catch (err) {
      this.main.replaceChildren(h('p', { class: 'error' }, (err as Error).message));
    }
  }

  private async showAlerts(route: PageRoute): Promise<void> {
    const query = route.query.toString();
    if (!this.feed || this.feed.query !== query || !this.main.contains(this.feed.el)) {
      const filters = readFilters(route.query);
      const view = new FeedView(filters, route.query, (id) => this.ctx.go(formatRoute({ view: 'alerts', id, query: route.query })));
      const detail = h('div', { class: 'detail-pane', id: 'detail' });
      const el = h(
        'div',
        { class: 'triage' },
        h(
          'div',
          { class: 'feed-pane' },
          filterBar(filters, (p) => this.ctx.go(formatRoute({ view: 'alerts', query: p }))),
          view.el,
        ),
        detail,
      );
      this.feed = { view, query, el, detail };
      this.main.replaceChildren(el);
      await view.load();
    }
    const { view, detail } = this.feed;
    view.select(route.id);
    this.openAlert = null;
    if (!route.id) {
      detail.replaceChildren(h('p', { class: 'muted hint' }, 'Select an alert: j / k to move, f / l to label, r for the ring, ? for every key.'));
      return;
    }
    const d = await renderDetail(this.ctx, detail, route.id);
    if (d) this.openAlert = { id: d.alert.id, applicationId: d.alert.applicationId, ringId: d.alert.ringId };
  }

  private async showRing(ringId: string): Promise<void> {
    this.closeRing();
    const el = h('div', { class: 'ring-page' });
    this.main.replaceChildren(el);
    this.ring = await renderRing(this.ctx, el, ringId);
  }

  private closeRing(): void {
    this.ring?.close();
    this.ring = null;
  }

  private async showCases(route: PageRoute): Promise<void> {
    const el = h('div', { class: 'cases-page' });
    this.main.replaceChildren(el);
    if (route.id) await renderCase(this.ctx, el, route.id);
    else await renderCases(this.ctx, el, route.query);
  }

  /** A label was stored: the feed shows it, and the next unlabelled alert opens (or this one again). */
  private labelled(applicationId: string, label: api.Label): void {
    const route = parseRoute(location.hash);
    if (!this.feed || route.view !== 'alerts') return;
    this.feed.view.labelled(applicationId, label);
    const next = this.feed.view.nextUnlabelled();
    if (next && next !== route.id) this.ctx.go(formatRoute({ view: 'alerts', id: next, query: route.query }));
    else void this.render();
  }

  /** The ring the page shows (tests and the bench read it through window.__lendguard). */
  ringHandle(): RingHandle | null {
    return this.ring;
  }

  private keyActions(): Parameters<typeof bindKeys>[0] {
    const route = (): PageRoute => parseRoute(location.hash);
    const move = (step: number): void => {
      const id = this.feed?.view.neighbour(step);
      if (id) this.ctx.go(formatRoute({ view: 'alerts', id, query: route().query }));
    };
    return {
      next: () => move(1),
      previous: () => move(-1),
      open: () => move(0),
      label: (value) => {
        const a = this.openAlert;
        if (a?.applicationId && route().view === 'alerts') void labelApplication(this.ctx, a.applicationId, value);
      },
      ring: () => {
        if (this.openAlert?.ringId) this.ctx.go(formatRoute({ view: 'rings', id: this.openAlert.ringId }));
      },
      back: () => {
        const r = route();
        if (r.view === 'alerts' && r.id) this.ctx.go(formatRoute({ view: 'alerts', query: r.query }));
        else if (r.view !== 'alerts') this.ctx.go(this.feed ? formatRoute({ view: 'alerts', query: this.feed.query }) : '#/alerts');
      },
      search: () => document.getElementById('search')?.focus(),
      cases: () => this.ctx.go('#/cases'),
      alerts: () => this.ctx.go('#/alerts'),
    };
  }
}
