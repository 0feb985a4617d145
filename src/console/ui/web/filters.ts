/**
 * The feed's filters (pure): read from and written to the URL, sent to GET /api/alerts as they are, and applied
 * in the page to alerts arriving live, so that the live feed shows what a reload would.
 */
import type { AlertSummary } from '../../store/index.js';

export interface FeedFilters {
  level: string[];
  rule: string[];
  ruleMatch: 'any' | 'all';
  partner: string[];
  country: string;
  region: string;
  ipClass: string[];
  ringId: string;
  kind: '' | 'application' | 'ring';
  /** RFC 3339 or '' */
  from: string;
  to: string;
  labelled: '' | 'true' | 'false';
  /** application id prefix */
  q: string;
}

const LISTS = ['level', 'rule', 'partner', 'ipClass'] as const;
const TEXTS = ['country', 'region', 'ringId', 'from', 'to', 'q'] as const;

const list = (params: URLSearchParams, name: string): string[] =>
  params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

export function readFilters(params: URLSearchParams): FeedFilters {
  const kind = params.get('kind');
  const labelled = params.get('labelled');
  return {
    level: list(params, 'level'),
    rule: list(params, 'rule'),
    ruleMatch: params.get('ruleMatch') === 'all' ? 'all' : 'any',
    partner: list(params, 'partner'),
    country: (params.get('country') ?? '').trim().toUpperCase(),
    region: (params.get('region') ?? '').trim(),
    ipClass: list(params, 'ipClass'),
    ringId: (params.get('ringId') ?? '').trim(),
    kind: kind === 'application' || kind === 'ring' ? kind : '',
    from: (params.get('from') ?? '').trim(),
    to: (params.get('to') ?? '').trim(),
    labelled: labelled === 'true' || labelled === 'false' ? labelled : '',
    q: (params.get('q') ?? '').trim(),
  };
}

/** The filters as query parameters (empty ones left out), for the URL and for GET /api/alerts. */
export function filterParams(f: FeedFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const name of LISTS) if (f[name].length) p.set(name, f[name].join(','));
  if (f.rule.length > 1 && f.ruleMatch === 'all') p.set('ruleMatch', 'all');
  for (const name of TEXTS) if (f[name]) p.set(name, f[name]);
  if (f.kind) p.set('kind', f.kind);
  if (f.labelled) p.set('labelled', f.labelled);
  return p;
}

/** Whether a live alert belongs in the feed the filters select (the same rules as the server's query). */
export function matches(a: AlertSummary, f: FeedFilters): boolean {
  if (f.kind && a.kind !== f.kind) return false;
  if (f.level.length && !(a.level && f.level.includes(a.level))) return false;
  if (f.rule.length) {
    const has = (code: string): boolean => a.ruleCodes.includes(code);
    if (f.ruleMatch === 'all' ? !f.rule.every(has) : !f.rule.some(has)) return false;
  }
  if (f.partner.length && !(a.partnerId && f.partner.includes(a.partnerId))) return false;
  if (f.country && a.ipCountry !== f.country) return false;
  if (f.region && a.ipRegion !== f.region) return false;
  if (f.ipClass.length && !(a.ipClass && f.ipClass.includes(a.ipClass))) return false;
  if (f.ringId && a.ringId !== f.ringId) return false;
  if (f.q && !(a.applicationId ?? '').startsWith(f.q)) return false;
  if (f.labelled === 'true' && !a.label) return false;
  if (f.labelled === 'false' && a.label) return false;
  const t = Date.parse(a.detectedAt);
  if (f.from && !(t >= Date.parse(f.from))) return false;
  if (f.to && !(t < Date.parse(f.to))) return false;
  return true;
}
