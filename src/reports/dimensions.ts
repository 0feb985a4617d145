/**
 * What the rollups count (pure): each assessment adds one to its hour's total and to one cell per dimension value
 * it has. Counting is additive, so cells of a chunk are summed here and added to the stored rows in one statement
 * per chunk (src/reports/store.ts).
 *
 * Dimensions (the value stored; unknown values are "(none)"):
 * - `all`: one cell per hour (value "")
 * - `rule`: each distinct flag code of the assessment (zero or more)
 * - `partner`, `country` (IP country), `region` ("CN/Beijing"), `network` (tor, vpn, datacenter, residential, or
 *   the address class when not public: private, carrier-nat …), `asn` ("AS37963 Alibaba"), `deviceType`, `os`
 * - `automation`: bot, headless, emulator (zero or more)
 * - `partnerNetwork`, `partnerRegion`: crosses ("partner-cash-app × datacenter"), where a campaign shows first
 * - `identifier`: the pseudonyms of an alerted application's device, phone, bank card and IP when the assessment's
 *   `<kind>.identities.*` features say more than one identity used it (alerts of shared identifiers only: the rows
 *   grow with the campaigns, not with the traffic, and a one-off identifier could never "rise"), labelled masked
 *
 * - `shadow`: "active level→candidate level candidate-version" of assessments with a shadow decision
 * - `modelBin`: "version#i#bin" for each feature i of the model that decided (its bin character), and "version#*"
 *   once per assessment: the shares the report's drift compares
 *
 * A value is cut to 200 characters: a partner id or an AS name is input an attacker can make long.
 */
import type { Assessment, EvidenceValue, Level } from '../domain/assessment.js';
import type { DimensionName } from './report.js';
import { storable } from './text.js';

export type RollupDimension = 'all' | DimensionName | 'shadow' | 'modelBin';

export interface RollupCounts {
  applications: number;
  alerts: number;
  low: number;
  medium: number;
  high: number;
  critical: number;
  degraded: number;
}

export interface RollupCell extends RollupCounts {
  /** the hour's start, ms since the epoch */
  hourMs: number;
  dimension: RollupDimension;
  value: string;
  /** how the value reads (the masked identifier), else null */
  label: string | null;
}

const NONE = '(none)';
const MAX_VALUE = 200;
const HOUR_MS = 3_600_000;
const MAX_TIME_MS = Date.parse('9999-12-31T00:00:00Z');
/** Identifier kinds kept, and the prefix of the features that count the identities using one (`device.identities.24h`). */
const IDENTIFIER_KINDS = [
  ['deviceId', 'device'],
  ['phone', 'phone'],
  ['bankAccount', 'bank'],
  ['ip', 'ip'],
] as const;

/** True when a `<prefix>.identities.*` feature of the assessment says more than one identity used the identifier. */
function shared(features: Assessment['features'], prefix: string): boolean {
  const head = `${prefix}.identities.`;
  for (const k in features) if (k.startsWith(head) && typeof features[k] === 'number' && features[k] > 1) return true;
  return false;
}

/**
 * At most MAX_VALUE characters, no NUL (PostgreSQL's text refuses it) and no lone surrogate (written as U+FFFD, two
 * such values would be one key in PostgreSQL but two in a chunk, and the upsert would refuse the chunk).
 */
const cut = (v: string): string => storable(storable(v).slice(0, MAX_VALUE));
const text = (v: EvidenceValue | undefined): string | null => (typeof v === 'string' && v.length > 0 ? cut(v) : null);

/** tor, vpn, datacenter (a data-centre list or a hosting ASN), residential, or the address class when not public. */
export function networkClass(e: Assessment['enrichment']): string {
  if (e['ip.tor'] === true) return 'tor';
  if (e['ip.vpn'] === true) return 'vpn';
  if (e['ip.datacenter'] === true || e['ip.hosting'] === true) return 'datacenter';
  const cls = text(e['ip.class']);
  if (cls === null) return NONE;
  return cls === 'public' ? 'residential' : cls;
}

function asn(e: Assessment['enrichment']): string {
  const n = e['ip.asn'];
  if (typeof n !== 'number') return NONE;
  const org = text(e['ip.asOrg']);
  return cut(org ? `AS${n} ${org}` : `AS${n}`);
}

/**
 * The hour an assessment counts in: its event time's hour (UTC); the assessment time, then `fallbackMs` (the
 * record's timestamp), when that is unreadable or outside years 1970–9999.
 */
export function hourOf(a: Pick<Assessment, 'eventTime' | 'assessedAt'>, fallbackMs = 0): number {
  const ms = [Date.parse(a.eventTime), Date.parse(a.assessedAt), fallbackMs].find((t) => Number.isFinite(t) && t >= 0 && t < MAX_TIME_MS) ?? 0;
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** The (dimension, value, label) triples an assessment counts in, `all` first; no duplicates. */
export function cellsOf(a: Assessment): { dimension: RollupDimension; value: string; label: string | null }[] {
  const e = a.enrichment;
  const partner = a.partnerId ? cut(a.partnerId) : NONE;
  const country = text(e['ip.country']) ?? NONE;
  const region = `${country}/${text(e['ip.region']) ?? NONE}`;
  const network = networkClass(e);
  const cells: { dimension: RollupDimension; value: string; label: string | null }[] = [
    { dimension: 'all', value: '', label: null },
    { dimension: 'partner', value: partner, label: null },
    { dimension: 'country', value: country, label: null },
    { dimension: 'region', value: region, label: null },
    { dimension: 'network', value: network, label: null },
    { dimension: 'asn', value: asn(e), label: null },
    { dimension: 'deviceType', value: text(e['device.type']) ?? NONE, label: null },
    { dimension: 'os', value: text(e['device.os']) ?? NONE, label: null },
    { dimension: 'partnerNetwork', value: `${partner} × ${network}`, label: null },
    { dimension: 'partnerRegion', value: `${partner} × ${region}`, label: null },
  ];
  for (const code of new Set(a.flags.map((f) => cut(f.code)))) cells.push({ dimension: 'rule', value: code, label: null });
  if (e['device.bot'] === true) cells.push({ dimension: 'automation', value: 'bot', label: null });
  if (e['device.headless'] === true) cells.push({ dimension: 'automation', value: 'headless', label: null });
  if (e['device.emulator'] === true) cells.push({ dimension: 'automation', value: 'emulator', label: null });
  if (a.shadow) cells.push({ dimension: 'shadow', value: cut(`${a.level}→${a.shadow.level} ${a.shadow.modelVersion ?? a.shadow.rulesVersion}`), label: null });
  if (a.model) {
    const version = cut(a.model.version);
    cells.push({ dimension: 'modelBin', value: `${version}#*`, label: null });
    const bins = a.model.bins.slice(0, 500);
    for (let i = 0; i < bins.length; i++) cells.push({ dimension: 'modelBin', value: `${version}#${i}#${bins[i] as string}`, label: null });
  }
  if (a.alert) {
    for (const [kind, prefix] of IDENTIFIER_KINDS) {
      const id = a.subject[kind];
      if (id && shared(a.features, prefix)) cells.push({ dimension: 'identifier', value: cut(id.id), label: cut(`${kind} ${id.masked}`) });
    }
  }
  return cells;
}

const zero = (): RollupCounts => ({ applications: 0, alerts: 0, low: 0, medium: 0, high: 0, critical: 0, degraded: 0 });

/** Sums assessments into cells (pure): one cell per (hour, dimension, value). */
export class RollupAccumulator {
  private readonly cells = new Map<string, RollupCell>();

  add(a: Assessment, fallbackMs = 0): void {
    const hourMs = hourOf(a, fallbackMs);
    const level: Level = a.level;
    for (const c of cellsOf(a)) {
      const key = `${hourMs}\u0000${c.dimension}\u0000${c.value}`;
      let cell = this.cells.get(key);
      if (!cell) {
        cell = { hourMs, dimension: c.dimension, value: c.value, label: c.label, ...zero() };
        this.cells.set(key, cell);
      }
      cell.applications += 1;
      if (a.alert) cell.alerts += 1;
      cell[level] += 1;
      if (a.degraded) cell.degraded += 1;
    }
  }

  /** The cells in a fixed order (hour, dimension, value): concurrent writers lock rows in the same order, so never deadlock. */
  result(): RollupCell[] {
    return [...this.cells.values()].sort(
      (x, y) => x.hourMs - y.hourMs || (x.dimension < y.dimension ? -1 : x.dimension > y.dimension ? 1 : x.value < y.value ? -1 : x.value > y.value ? 1 : 0),
    );
  }
}
