/** The feed's filter form: every filter of GET /api/alerts; submitting it changes the URL (so it can be shared). */
import { h } from '../dom.js';
import { filterParams, type FeedFilters } from '../filters.js';

const LEVELS = ['low', 'medium', 'high', 'critical'];
const IP_CLASSES = ['public', 'carrier-nat', 'private', 'reserved'];

/** A text field's value ('' for a missing field or a file). */
const text = (v: FormDataEntryValue | null): string => (typeof v === 'string' ? v : '');

const csv = (v: FormDataEntryValue | null): string[] =>
  text(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The form's values as filters; datetime-local fields become RFC 3339 in the browser's time zone. */
function formFilters(form: HTMLFormElement): FeedFilters {
  const d = new FormData(form);
  const iso = (name: string): string => {
    const v = text(d.get(name));
    const t = v ? new Date(v) : null;
    return t && !Number.isNaN(t.getTime()) ? t.toISOString() : '';
  };
  const kind = text(d.get('kind'));
  const labelled = text(d.get('labelled'));
  return {
    level: d.getAll('level').map(String),
    rule: csv(d.get('rule')).map((r) => r.toUpperCase()),
    ruleMatch: d.get('ruleMatch') === 'all' ? 'all' : 'any',
    partner: csv(d.get('partner')),
    country: text(d.get('country')).trim().toUpperCase(),
    region: text(d.get('region')).trim(),
    ipClass: d.getAll('ipClass').map(String),
    ringId: text(d.get('ringId')).trim(),
    kind: kind === 'application' || kind === 'ring' ? kind : '',
    from: iso('from'),
    to: iso('to'),
    labelled: labelled === 'true' || labelled === 'false' ? labelled : '',
    q: text(d.get('q')).trim(),
  };
}

const local = (iso: string): string => {
  if (!iso) return '';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  return new Date(t.getTime() - t.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

function checks(name: string, values: string[], chosen: string[]): HTMLElement {
  return h('span', { class: 'checks' }, ...values.map((v) => h('label', {}, h('input', { type: 'checkbox', name, value: v, checked: chosen.includes(v) }), v)));
}

function select(name: string, options: [string, string][], value: string): HTMLSelectElement {
  return h('select', { name, 'aria-label': name }, ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

export function filterBar(f: FeedFilters, apply: (params: URLSearchParams) => void): HTMLFormElement {
  const form = h(
    'form',
    { class: 'filters', id: 'filters', autocomplete: 'off' },
    h('input', { name: 'q', id: 'search', type: 'search', placeholder: 'application id…  ( / )', value: f.q, 'aria-label': 'application id prefix' }),
    checks('level', LEVELS, f.level),
    h('input', { name: 'rule', placeholder: 'rule codes, comma-separated', value: f.rule.join(','), 'aria-label': 'rule codes' }),
    select(
      'ruleMatch',
      [
        ['any', 'any rule'],
        ['all', 'all rules'],
      ],
      f.ruleMatch,
    ),
    h('input', { name: 'partner', placeholder: 'partners', value: f.partner.join(','), 'aria-label': 'partners', size: 10 }),
    h('input', { name: 'country', placeholder: 'country', value: f.country, maxlength: 2, size: 3, 'aria-label': 'country' }),
    h('input', { name: 'region', placeholder: 'region', value: f.region, size: 10, 'aria-label': 'region' }),
    checks('ipClass', IP_CLASSES, f.ipClass),
    h('input', { name: 'ringId', placeholder: 'ring id', value: f.ringId, size: 12, 'aria-label': 'ring id' }),
    select(
      'kind',
      [
        ['', 'all kinds'],
        ['application', 'applications'],
        ['ring', 'rings'],
      ],
      f.kind,
    ),
    select(
      'labelled',
      [
        ['', 'labelled or not'],
        ['false', 'unlabelled'],
        ['true', 'labelled'],
      ],
      f.labelled,
    ),
    h('label', {}, 'from ', h('input', { type: 'datetime-local', name: 'from', value: local(f.from) })),
    h('label', {}, 'to ', h('input', { type: 'datetime-local', name: 'to', value: local(f.to) })),
    h('button', { type: 'submit' }, 'Apply'),
    h('button', { type: 'button', onclick: () => apply(new URLSearchParams()) }, 'Clear'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply(filterParams(formFilters(form)));
  });
  return form;
}
