/**
 * One alert: score, level, every flag with its reason and evidence, the enrichment (IP, device, geo, travel),
 * velocity counts and latency, the masked identifiers, the ring, labels with who and when, cases, similar alerts.
 * Only masked identifiers and pseudonyms reach the console; nothing here is raw personal data.
 */
import * as api from '../api.js';
import type { Ctx } from '../context.js';
import { formatRoute } from '../route.js';
import { badge, h, kv, show, when } from '../dom.js';
import type { ApplicationAlert, RingAlert } from '../../../../domain/alert.js';
import { casePicker } from './case-picker.js';
import { labelChip } from './feed.js';
import { labelApplication, labelButtons } from './label-actions.js';

type Detail = Awaited<ReturnType<typeof api.getAlert>>;

export async function renderDetail(ctx: Ctx, el: HTMLElement, id: string): Promise<Detail | null> {
  el.replaceChildren(h('p', { class: 'muted' }, 'loading…'));
  let d: Detail;
  try {
    d = await api.getAlert(id);
  } catch (err) {
    el.replaceChildren(h('p', { class: 'error' }, `alert ${id}: ${(err as Error).message}`));
    return null;
  }
  const payload = d.alert.payload;
  const body = payload.alertType === 'ring' ? ringAlert(ctx, payload) : applicationAlert(ctx, d, payload);
  el.replaceChildren(
    h(
      'article',
      { class: 'detail', 'data-alert-id': d.alert.id },
      ...body,
      casesSection(ctx, d, () => void renderDetail(ctx, el, id)),
    ),
  );
  if (payload.alertType === 'application') void similarSection(ctx, el, id);
  return d;
}

function section(title: string, ...children: (Node | string | null)[]): HTMLElement {
  return h('section', { class: 'block' }, h('h3', {}, title), ...children);
}

function applicationAlert(ctx: Ctx, d: Detail, a: ApplicationAlert): HTMLElement[] {
  const head = h(
    'header',
    { class: 'detail-head' },
    h('h2', { class: 'mono' }, a.applicationId),
    badge(a.level),
    h('span', { class: 'score', title: 'score' }, String(a.score)),
    a.ring ? h('a', { href: `#/rings/${encodeURIComponent(a.ring.id)}`, class: 'ring-link', id: 'open-ring' }, `ring ${a.ring.id} (${a.ring.size})`) : null,
    a.degraded ? h('span', { class: 'chip warn', title: a.degradedReason ?? '' }, 'degraded') : null,
  );
  const meta = kv([
    ['partner', a.partnerId],
    ['applied', when(a.eventTime)],
    ['assessed', when(a.assessedAt)],
    ['rules version', a.rulesVersion],
  ]);
  // After a label the page moves on to the next unlabelled alert (ctx.labelled), or shows this one again.
  const labelled = (value: 'fraud' | 'legit', note: string): Promise<unknown> => labelApplication(ctx, a.applicationId, value, note || undefined);
  return [
    head,
    meta,
    section('Labels', labelsList(d.labels), labelButtons(ctx, labelled)),
    section('Reasons', flagsTable(a)),
    a.model ? section('Model', modelTable(a)) : h('span'),
    a.graph.reasons.length ? section('Graph', h('ul', {}, ...a.graph.reasons.map((r) => h('li', {}, r)))) : h('span'),
    section('Enrichment', ...grouped(a.enrichment)),
    section('Velocity and features', ...grouped(a.features)),
    section(
      'Latency',
      kv([
        ['since the record (ms)', a.latency.sinceRecordMs],
        ['processing (ms)', a.latency.processingMs],
        ['budget (ms)', a.latency.budgetMs],
        ['within budget', a.latency.withinBudget],
        ['window p99 (ms)', a.latency.windowP99Ms],
      ]),
    ),
    section('Identifiers (masked)', kv(Object.entries(a.subject).map(([kind, p]) => [kind, p.masked]))),
  ];
}

function flagsTable(a: ApplicationAlert): HTMLElement {
  if (!a.flags.length) return h('p', { class: 'muted' }, 'no flags');
  const rows = a.flags.map((f) =>
    h(
      'tr',
      { class: 'flag', 'data-code': f.code },
      h('td', { class: 'mono' }, f.code),
      h('td', {}, h('span', { class: `sev sev-${f.severity}` }, f.severity)),
      h('td', { class: 'num' }, f.weight),
      h('td', { class: 'reason' }, f.reason),
      h('td', { class: 'evidence' }, ...Object.entries(f.evidence).map(([k, v]) => h('span', { class: 'chip' }, `${k}=${show(v)}`))),
    ),
  );
  return h(
    'table',
    { class: 'flags' },
    h('thead', {}, h('tr', {}, ...['code', 'severity', 'weight', 'reason', 'evidence'].map((t) => h('th', {}, t)))),
    h('tbody', {}, ...rows),
  );
}

/** The model stage's decision beside the rules': probability, versions, and the bins with the most risk points. */
function modelTable(a: ApplicationAlert): HTMLElement {
  const m = a.model as NonNullable<ApplicationAlert['model']>;
  const facts = kv([
    ['model version', m.version],
    ['probability of fraud', `${(100 * m.probability).toFixed(1)}%`],
    ['rules alone', `${m.rulesScore} (${m.rulesLevel})`],
    ...(a.shadow ? ([['shadow', `${a.shadow.level} (${a.shadow.modelVersion ?? a.shadow.rulesVersion})`]] as [string, unknown][]) : []),
  ]);
  const rows = m.contributions.map((c) =>
    h(
      'tr',
      { class: 'contribution', 'data-feature': c.feature },
      h('td', { class: 'mono' }, c.feature),
      h('td', {}, c.bin),
      h('td', { class: 'num' }, c.points > 0 ? `+${c.points}` : String(c.points)),
      h('td', { class: 'mono' }, show(c.value)),
    ),
  );
  const table = h(
    'table',
    { class: 'flags contributions' },
    h('thead', {}, h('tr', {}, ...['feature', 'bin', 'points', 'value'].map((t) => h('th', {}, t)))),
    h('tbody', {}, ...rows),
  );
  return h('div', {}, facts, table);
}

/** Keys grouped by their prefix (ip., device., geo., travel., …), one small table each. */
function grouped(values: Record<string, unknown>): HTMLElement[] {
  const groups = new Map<string, [string, unknown][]>();
  for (const [k, v] of Object.entries(values)) {
    const dot = k.indexOf('.');
    const g = dot > 0 ? k.slice(0, dot) : 'other';
    groups.set(g, [...(groups.get(g) ?? []), [dot > 0 ? k.slice(dot + 1) : k, v]]);
  }
  return [...groups].map(([g, entries]) => h('div', { class: 'group', 'data-group': g }, h('h4', {}, g), kv(entries)));
}

function labelsList(labels: api.Label[]): HTMLElement {
  if (!labels.length) return h('p', { class: 'muted', id: 'labels' }, 'not labelled');
  return h(
    'ul',
    { id: 'labels', class: 'labels' },
    ...labels.map((l) => h('li', {}, labelChip(l.label), ` by ${l.author} at ${when(l.createdAt)}`, l.note ? h('q', {}, l.note) : '')),
  );
}

function ringAlert(_ctx: Ctx, r: RingAlert): HTMLElement[] {
  return [
    h(
      'header',
      { class: 'detail-head' },
      h('h2', { class: 'mono' }, r.ringId),
      h('span', { class: 'chip' }, r.event),
      h('span', { class: 'score' }, String(r.ring.score)),
    ),
    h('p', { class: 'reason' }, r.reason),
    h('p', {}, h('a', { href: `#/rings/${encodeURIComponent(r.ringId)}`, id: 'open-ring', class: 'ring-link' }, `open the ring view (${r.ring.size} members)`)),
    section(
      'Ring',
      kv([
        ['pattern', r.ring.pattern],
        ['size', r.ring.size],
        ['identities', r.ring.identities],
        ['known fraud', r.ring.knownFraud],
        ['previous size', r.previousSize],
        ['first seen', when(r.ring.firstSeen)],
        ['last seen', when(r.ring.lastSeen)],
      ]),
    ),
    section('Binders', h('ul', {}, ...r.ring.binders.map((b) => h('li', {}, `${b.kind} ${b.masked ?? ''} — ${b.members} members`)))),
    section('New members', h('p', { class: 'mono' }, r.newMembers.join(' '))),
  ];
}

function casesSection(ctx: Ctx, d: Detail, refresh: () => void): HTMLElement {
  const list = d.cases.length
    ? h(
        'ul',
        {},
        ...d.cases.map((c) => h('li', {}, h('a', { href: `#/cases/${c.id}` }, `#${c.id} ${c.title}`), ` — ${c.status}`, c.assignee ? `, ${c.assignee}` : '')),
      )
    : h('p', { class: 'muted' }, 'in no case');
  return section('Cases', list, casePicker(ctx, d.alert.id, refresh));
}

async function similarSection(ctx: Ctx, el: HTMLElement, id: string): Promise<void> {
  const box = section('Similar alerts', h('p', { class: 'muted' }, 'loading…'));
  box.id = 'similar';
  el.querySelector('article')?.append(box);
  try {
    const { items } = await api.similar(id);
    const rows = items.map((s) =>
      h(
        'li',
        { class: 'similar', 'data-id': s.alert.id },
        h('a', { href: formatRoute({ view: 'alerts', id: s.alert.id, query: ctx.route().query }) }, s.alert.applicationId ?? s.alert.id),
        ' ',
        badge(s.alert.level),
        ' ',
        labelChip(s.alert.label?.label),
        ' shares ',
        s.shared.map((x) => `${x.kind} ${x.masked}`).join(', '),
      ),
    );
    box.replaceChildren(
      h('h3', {}, `Similar alerts (${items.length})`),
      items.length ? h('ul', {}, ...rows) : h('p', { class: 'muted' }, 'no other alert shares an identifier'),
    );
  } catch (err) {
    box.replaceChildren(h('h3', {}, 'Similar alerts'), h('p', { class: 'error' }, (err as Error).message));
  }
}
