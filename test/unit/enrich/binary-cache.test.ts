import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readBinaryCache, writeBinaryCache, type CacheArray } from '../../../src/enrich/binary-cache.js';
import { crc32Portable } from '../../../src/enrich/crc32.js';

const MAGIC = 'LGTEST1\n';
const arrays = (): CacheArray[] => [
  Uint32Array.from([1, 2, 0xffffffff]),
  new Uint8Array([7, 8, 9, 10, 11]),
  Float64Array.from([0.5, 2 ** 32 - 1]),
  BigUint64Array.from([0n, (1n << 64n) - 1n]),
  new Uint32Array(0),
];

function written(meta: unknown = { n: 1, s: 'é' }): { file: string; bytes: Buffer } {
  const file = join(mkdtempSync(join(tmpdir(), 'lg-bincache-')), 'sub', 'c.bin');
  expect(writeBinaryCache(file, MAGIC, 'k1', meta, arrays())).toBe(true);
  return { file, bytes: readFileSync(file) };
}

describe('binary cache file', () => {
  it('reads back the header and every array, as aligned views of the same values', () => {
    const { file } = written();
    const r = readBinaryCache<{ n: number; s: string }>(file, MAGIC, 'k1');
    if (r.status !== 'ok') throw new Error(r.status);
    expect(r.meta).toEqual({ n: 1, s: 'é' });
    expect(r.arrays).toEqual(arrays());
    for (const a of r.arrays) expect(a.byteOffset % 8).toBe(0);
  });

  it('is written atomically, readable by its owner only, in a directory of its own', () => {
    const { file } = written();
    expect(readdirSync(join(file, '..'))).toEqual(['c.bin']); // no temporary file left
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
  });

  it('tells a missing cache from a stale one (another key)', () => {
    const { file } = written();
    expect(readBinaryCache(`${file}.nope`, MAGIC, 'k1').status).toBe('missing');
    expect(readBinaryCache(file, MAGIC, 'k2').status).toBe('stale');
  });

  it('detects damage anywhere: magic, header, payload, length', () => {
    const { file, bytes } = written();
    const damaged = (patch: (b: Buffer) => Buffer): unknown => {
      writeFileSync(file, patch(Buffer.from(bytes)));
      return readBinaryCache(file, MAGIC, 'k1');
    };
    expect(readBinaryCache(file, 'LGOTHER\n', 'k1')).toMatchObject({ status: 'corrupt', reason: 'not a cache of this kind or version' });
    const flip = (at: number) => (b: Buffer) => ((b[at] = (b[at] as number) ^ 0x40), b);
    expect(damaged(flip(30))).toMatchObject({ status: 'corrupt', reason: 'header checksum mismatch' });
    expect(damaged(flip(bytes.length - 20))).toMatchObject({ status: 'corrupt', reason: 'payload checksum mismatch' });
    expect(damaged((b) => b.subarray(0, b.length - 8))).toMatchObject({ status: 'corrupt', reason: 'payload length mismatch (truncated?)' });
    expect(damaged((b) => b.subarray(0, 40))).toMatchObject({ status: 'corrupt' });
    expect(damaged(() => Buffer.alloc(0))).toMatchObject({ status: 'corrupt' });
    expect(damaged((b) => Buffer.concat([b, Buffer.alloc(8)]))).toMatchObject({ status: 'corrupt', reason: 'payload length mismatch (truncated?)' });
  });

  it.skipIf(process.getuid === undefined)('does not use a cache that others could have written', () => {
    const { file } = written();
    chmodSync(file, 0o666);
    expect(readBinaryCache(file, MAGIC, 'k1')).toMatchObject({ status: 'untrusted', reason: expect.stringMatching(/writable by group or others/) });
    chmodSync(file, 0o600);
    chmodSync(join(file, '..'), 0o777);
    expect(readBinaryCache(file, MAGIC, 'k1')).toMatchObject({ status: 'untrusted', reason: expect.stringMatching(/writable by others/) });
  });

  it('computes the same CRC-32 as zlib without it', () => {
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff));
    expect(crc32Portable(data)).toBe(zlib.crc32(data));
    expect(crc32Portable(new Uint8Array(0))).toBe(0);
  });
});
