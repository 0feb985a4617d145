import { parse } from 'yaml';

/** One hosting or cloud AS (config/hosting-asns.yaml). */
export interface HostingAsn {
  asn: number;
  provider: string;
  scope: 'cn' | 'global';
  as: string;
}

export interface HostingAsns {
  readonly version: string;
  readonly entries: readonly HostingAsn[];
  lookup(asn: number): HostingAsn | undefined;
}

export const NO_HOSTING_ASNS: HostingAsns = { version: '', entries: [], lookup: () => undefined };

/** Parses the classification file; throws an Error naming the entry that is wrong. */
export function parseHostingAsns(text: string, file: string): HostingAsns {
  return hostingAsnsOf(parse(text) as unknown, file);
}

/** The table from the parsed document (YAML, or the copy in the start-up cache); checks every entry. */
export function hostingAsnsOf(parsed: unknown, file: string): HostingAsns {
  const doc = parsed as { version?: unknown; asns?: unknown } | null;
  if (!doc || !Array.isArray(doc.asns)) throw new Error(`${file}: expected "asns:" with a list of { asn, provider, scope, as }`);
  const byAsn = new Map<number, HostingAsn>();
  doc.asns.forEach((raw: unknown, i) => {
    const e = raw as Partial<HostingAsn>;
    const ok =
      Number.isInteger(e.asn) &&
      (e.asn as number) > 0 &&
      typeof e.provider === 'string' &&
      (e.scope === 'cn' || e.scope === 'global') &&
      typeof e.as === 'string';
    if (!ok) throw new Error(`${file}: entry ${i + 1} needs asn (a positive integer), provider, scope (cn or global) and as (the registered name)`);
    if (byAsn.has(e.asn as number)) throw new Error(`${file}: AS${e.asn} is listed twice`);
    byAsn.set(e.asn as number, { asn: e.asn as number, provider: e.provider as string, scope: e.scope as 'cn' | 'global', as: e.as as string });
  });
  // The version is a scalar (`version: 2026-12-02`); anything else is no version rather than '[object Object]'.
  const version = typeof doc.version === 'string' || typeof doc.version === 'number' ? String(doc.version) : '';
  return { version, entries: [...byAsn.values()], lookup: (asn) => byAsn.get(asn) };
}
