import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AsnTables } from './asn.js';

/**
 * A binary copy of the parsed ASN tables, so that only the first start after an update parses the CSV
 * (about 0.7 s); later starts read about 6 MB in a few milliseconds. Layout: "LGASN1\n", a JSON header line
 * ({ key, n4, n6, orgs }), then the typed arrays back to back, 8-byte aligned. A cache for another `key`
 * (another data version), or a damaged one, is ignored and rewritten.
 */
const MAGIC = 'LGASN1\n';

export function readAsnCache(file: string, key: string): AsnTables | null {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return null;
  }
  try {
    if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
    const nl = buf.indexOf(10, MAGIC.length);
    const header = JSON.parse(buf.toString('utf8', MAGIC.length, nl)) as { key: string; n4: number; n6: number; orgs: [number, string][] };
    if (header.key !== key) return null;
    // The header is padded so the arrays start 8-byte aligned; a pooled or offset buffer is copied once.
    const start = nl + 1;
    const aligned = (buf.byteOffset + start) % 8 === 0;
    const bytes = aligned ? new Uint8Array(buf.buffer, buf.byteOffset + start, buf.byteLength - start) : Uint8Array.from(buf.subarray(start));
    let at = 0;
    const take = <A>(make: (b: ArrayBuffer, offset: number, n: number) => A, n: number, size: number): A => {
      const view = make(bytes.buffer as ArrayBuffer, bytes.byteOffset + at, n);
      at += Math.ceil((n * size) / 8) * 8;
      return view;
    };
    const u32 = (b: ArrayBuffer, o: number, n: number): Uint32Array => new Uint32Array(b, o, n);
    const u64 = (b: ArrayBuffer, o: number, n: number): BigUint64Array => new BigUint64Array(b, o, n);
    const v4 = { starts: take(u32, header.n4, 4), ends: take(u32, header.n4, 4), asns: take(u32, header.n4, 4) };
    const v6 = { starts: take(u64, header.n6, 8), ends: take(u64, header.n6, 8), asns: take(u32, header.n6, 4) };
    return at === bytes.byteLength ? { v4, v6, orgs: header.orgs } : null;
  } catch {
    return null;
  }
}

/** Writes the cache (atomically: a temporary file renamed into place). Best effort: returns false if it cannot. */
export function writeAsnCache(file: string, key: string, t: AsnTables): boolean {
  let json = `${MAGIC}${JSON.stringify({ key, n4: t.v4.starts.length, n6: t.v6.starts.length, orgs: t.orgs })}`;
  while ((Buffer.byteLength(json) + 1) % 8 !== 0) json += ' ';
  const header = Buffer.from(`${json}\n`, 'utf8');
  const parts = [t.v4.starts, t.v4.ends, t.v4.asns, t.v6.starts, t.v6.ends, t.v6.asns].map((a) => {
    const padded = Buffer.alloc(Math.ceil(a.byteLength / 8) * 8);
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(padded);
    return padded;
  });
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([header, ...parts]));
    renameSync(tmp, file);
    return true;
  } catch {
    return false;
  }
}
