import { ipKey, parseCidr, RangeSet, type IpKey, type IpRange } from './ip-ranges.js';

/**
 * Operator-supplied CIDR lists (pure part): parse list text, build one matcher over all named lists.
 * File format: one CIDR (or bare address) per line, IPv4 and IPv6 mixed, `#` starts a comment, blank lines ignored.
 */
export const IP_LIST_KINDS = ['datacenter', 'vpn', 'tor', 'block', 'allow'] as const;
export type IpListKind = (typeof IP_LIST_KINDS)[number];

export interface IpListWarning {
  source: string;
  /** 1-based line number. */
  line: number;
  text: string;
  reason: string;
  /** 'skipped': the line was not used; 'normalised': it was used after a fix (e.g. host bits masked). */
  action: 'skipped' | 'normalised';
}

export interface ParsedCidrList {
  ranges: IpRange[];
  warnings: IpListWarning[];
  lines: number;
}

export function parseCidrList(text: string, source = '<text>'): ParsedCidrList {
  const ranges: IpRange[] = [];
  const warnings: IpListWarning[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const hash = raw.indexOf('#');
    const line = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    if (line === '') return;
    const r = parseCidr(line);
    if (!r.ok) {
      warnings.push({ source, line: i + 1, text: raw.slice(0, 200), reason: r.reason, action: 'skipped' });
      return;
    }
    if (r.note !== undefined) warnings.push({ source, line: i + 1, text: raw.slice(0, 200), reason: r.note, action: 'normalised' });
    ranges.push(r.range);
  });
  return { ranges, warnings, lines: lines.length };
}

export interface IpListSpec {
  name: string;
  kind: IpListKind;
  ranges: Iterable<IpRange>;
  /** The list's merged set, when already built (a cache): `ranges` is then ignored. */
  set?: RangeSet;
}

export interface IpListInfo {
  name: string;
  kind: IpListKind;
  /** Merged intervals actually searched (after joining overlapping and adjacent ranges). */
  v4Intervals: number;
  v6Intervals: number;
}

export interface IpListHit {
  /** Per kind: null when no list of that kind is loaded, else whether any list of that kind contains the IP. */
  kinds: Record<IpListKind, boolean | null>;
  /** Names of the lists that contain the IP (for explanations). */
  lists: string[];
}

export interface IpListMatcher {
  readonly lists: readonly IpListInfo[];
  hasKind(kind: IpListKind): boolean;
  /** An unparseable address matches nothing (kinds that are loaded report false). */
  match(ip: string): IpListHit;
  matchKey(key: IpKey | null): IpListHit;
}

export function buildIpListMatcher(specs: readonly IpListSpec[]): IpListMatcher {
  const built = specs.map((s) => ({ name: s.name, kind: s.kind, set: s.set ?? new RangeSet(s.ranges) }));
  const loaded = new Set(built.map((b) => b.kind));
  const lists = built.map((b) => ({ name: b.name, kind: b.kind, v4Intervals: b.set.v4Count, v6Intervals: b.set.v6Count }));
  const matchKey = (key: IpKey | null): IpListHit => {
    const kinds = {} as Record<IpListKind, boolean | null>;
    for (const k of IP_LIST_KINDS) kinds[k] = loaded.has(k) ? false : null;
    const names: string[] = [];
    if (key !== null) {
      for (const b of built) {
        if (b.set.has(key)) {
          kinds[b.kind] = true;
          names.push(b.name);
        }
      }
    }
    return { kinds, lists: names };
  };
  return {
    lists,
    hasKind: (kind) => loaded.has(kind),
    match: (ip) => matchKey(ipKey(ip)),
    matchKey,
  };
}

/** A matcher with no lists: every kind reports null (unknown). */
export const NO_IP_LISTS: IpListMatcher = buildIpListMatcher([]);
