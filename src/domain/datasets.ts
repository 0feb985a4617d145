/**
 * The build date of a loaded enrichment dataset (geo, ASN, an IP list, the hosting ASes), as `/healthz` and
 * every assessment report it. Plain data: the enrichment adapters derive it (src/enrich/datasets.ts).
 */
export interface DatasetStamp {
  /** `geo`, `asn`, `list:<kind>` (e.g. `list:datacenter`) or `hosting-asns`. */
  name: string;
  /** ISO date (YYYY-MM-DD) the data was built. */
  builtAt: string;
}

const DAY_MS = 86_400_000;

/** Whole days from `builtAt` (midnight UTC) to `nowMs`; negative when the date lies in the future. */
export function ageDays(builtAt: string, nowMs: number): number {
  return Math.floor((nowMs - Date.parse(`${builtAt}T00:00:00Z`)) / DAY_MS);
}
