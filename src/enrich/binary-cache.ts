import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from './crc32.js';

/**
 * Adapter: one cache file holding a JSON header and typed arrays, read back as views on the file's bytes (no
 * parsing, no copying). The ASN tables, the IP lists' merged intervals and the hosting-AS table are kept this way.
 *
 * Layout: 8-byte magic (names the kind and its format version), then four little-endian u32: header length,
 * header CRC-32, payload length, payload CRC-32; the header JSON `{ key, meta, arrays: [[type, length], …] }`;
 * then the arrays back to back, each 8-byte aligned. A cache is used only when the magic, both lengths, both
 * checksums and the key all match; otherwise it is reported (stale, corrupt) and the caller rebuilds it. A file
 * someone else could have written is not used either (`untrustedReason`).
 */
export type CacheArray = Uint8Array | Uint32Array | Float64Array | BigUint64Array;
export type CacheRead<M> =
  { status: 'ok'; meta: M; arrays: CacheArray[] } | { status: 'missing' | 'stale' } | { status: 'corrupt' | 'untrusted'; reason: string };

const FIXED = 24;
const ARRAYS = {
  u8: (b: ArrayBuffer, o: number, n: number) => new Uint8Array(b, o, n),
  u32: (b: ArrayBuffer, o: number, n: number) => new Uint32Array(b, o, n),
  f64: (b: ArrayBuffer, o: number, n: number) => new Float64Array(b, o, n),
  u64: (b: ArrayBuffer, o: number, n: number) => new BigUint64Array(b, o, n),
} as const;
type ArrayType = keyof typeof ARRAYS;
const SIZES: Record<ArrayType, number> = { u8: 1, u32: 4, f64: 8, u64: 8 };

const pad8 = (n: number): number => Math.ceil(n / 8) * 8;

function typeOf(a: CacheArray): ArrayType {
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Uint32Array) return 'u32';
  return a instanceof Float64Array ? 'f64' : 'u64';
}

/**
 * Why a cache file may have been written by someone else (null: safe to use). The file must belong to this user
 * (or root) and be writable by nobody else; its directory must belong to this user (or root) and not be
 * writable by others (group-writable is allowed: with per-user groups, umask 002 makes every directory so).
 */
export function untrustedReason(path: string): string | null {
  const uid = process.getuid?.();
  if (uid === undefined) return null; // Windows: no owner to compare
  const checks: [string, number][] = [
    [path, 0o022],
    [dirname(path), 0o002],
  ];
  for (const [p, forbidden] of checks) {
    const st = statSync(p);
    if (st.uid !== uid && st.uid !== 0) return `${p} belongs to uid ${st.uid}`;
    if ((st.mode & forbidden) !== 0) return `${p} is writable by ${forbidden === 0o002 ? 'others' : 'group or others'}`;
  }
  return null;
}

function readBytes(file: string): Buffer | CacheRead<never> {
  try {
    const buf = readFileSync(file);
    const distrust = untrustedReason(file);
    return distrust ? { status: 'untrusted', reason: distrust } : buf;
  } catch {
    return { status: 'missing' };
  }
}

interface Header<M> {
  key: string;
  meta: M;
  arrays: [ArrayType, number][];
}

function parseHeader<M>(buf: Buffer, magic: string): Header<M> | string {
  if (buf.length < FIXED || buf.toString('latin1', 0, 8) !== magic) return 'not a cache of this kind or version';
  const headerLength = buf.readUInt32LE(8);
  if (FIXED + headerLength > buf.length) return 'truncated header';
  const header = buf.subarray(FIXED, FIXED + headerLength);
  if (crc32(header) !== buf.readUInt32LE(12)) return 'header checksum mismatch';
  return JSON.parse(header.toString('utf8')) as Header<M>;
}

/** The arrays as views on `buf` (copied once if `buf` is not 8-byte aligned). */
function viewArrays(buf: Buffer, start: number, layout: [ArrayType, number][]): CacheArray[] | string {
  const total = layout.reduce((sum, [type, n]) => sum + pad8(n * SIZES[type]), 0);
  if (start + total !== buf.length) return `payload is ${buf.length - start} bytes, expected ${total}`;
  const aligned = (buf.byteOffset + start) % 8 === 0;
  const bytes = aligned ? buf.subarray(start) : Uint8Array.from(buf.subarray(start));
  let at = bytes.byteOffset;
  return layout.map(([type, n]) => {
    const view = ARRAYS[type](bytes.buffer as ArrayBuffer, at, n);
    at += pad8(n * SIZES[type]);
    return view;
  });
}

/** Reads the cache written for `key`; never throws. */
export function readBinaryCache<M>(file: string, magic: string, key: string): CacheRead<M> {
  const buf = readBytes(file);
  if (!Buffer.isBuffer(buf)) return buf;
  try {
    const header = parseHeader<M>(buf, magic);
    if (typeof header === 'string') return { status: 'corrupt', reason: header };
    if (header.key !== key) return { status: 'stale' };
    const start = pad8(FIXED + buf.readUInt32LE(8));
    if (buf.readUInt32LE(16) !== buf.length - start) return { status: 'corrupt', reason: 'payload length mismatch (truncated?)' };
    if (crc32(buf.subarray(start)) !== buf.readUInt32LE(20)) return { status: 'corrupt', reason: 'payload checksum mismatch' };
    const arrays = viewArrays(buf, start, header.arrays);
    return typeof arrays === 'string' ? { status: 'corrupt', reason: arrays } : { status: 'ok', meta: header.meta, arrays };
  } catch (err) {
    return { status: 'corrupt', reason: (err as Error).message };
  }
}

function encode(magic: string, key: string, meta: unknown, arrays: readonly CacheArray[]): Buffer {
  if (Buffer.byteLength(magic, 'latin1') !== 8) throw new Error(`cache magic must be 8 bytes: ${JSON.stringify(magic)}`);
  const header = Buffer.from(JSON.stringify({ key, meta, arrays: arrays.map((a) => [typeOf(a), a.length]) }), 'utf8');
  const start = pad8(FIXED + header.length);
  const out = Buffer.alloc(start + arrays.reduce((sum, a) => sum + pad8(a.byteLength), 0));
  out.write(magic, 0, 'latin1');
  header.copy(out, FIXED);
  let at = start;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += pad8(a.byteLength);
  }
  out.writeUInt32LE(header.length, 8);
  out.writeUInt32LE(crc32(header), 12);
  out.writeUInt32LE(out.length - start, 16);
  out.writeUInt32LE(crc32(out.subarray(start)), 20);
  return out;
}

/**
 * Writes the cache atomically (a temporary file renamed into place), mode 0600, creating its directory 0700.
 * Best effort: returns false when it cannot (the next start rebuilds it again).
 */
export function writeBinaryCache(file: string, magic: string, key: string, meta: unknown, arrays: readonly CacheArray[]): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, encode(magic, key, meta, arrays), { mode: 0o600 });
    renameSync(tmp, file);
    return true;
  } catch {
    rmSync(tmp, { force: true });
    return false;
  }
}

export type CacheWarn = (msg: string, detail: Record<string, unknown>) => void;

/** Tells `warn` about a cache that exists but cannot be used (damaged, or writable by someone else); returns null. */
export function reportCacheProblem(file: string, r: CacheRead<unknown>, warn?: CacheWarn): null {
  if (r.status === 'corrupt' || r.status === 'untrusted') warn?.('enrichment cache not used, rebuilding it', { file, problem: r.status, reason: r.reason });
  return null;
}
