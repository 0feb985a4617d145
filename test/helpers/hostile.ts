import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import type { RawApplication } from '../../src/domain/application.js';

/**
 * Hostile input records for property-based fuzzing (test/unit/pipeline/fuzz.test.ts, bench/fuzz.bench.ts):
 * random bytes, random JSON, and valid applications with hostile fields.
 */
const EXAMPLE = readFileSync(new URL('../../contracts/example-application.json', import.meta.url), 'utf8');
const exampleApp = (): RawApplication => JSON.parse(EXAMPLE) as RawApplication;

export const FUZZ_NOW = Date.parse('2026-12-01T10:00:00Z');
const NOW = FUZZ_NOW;

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', '', ' ', '\u0000', '\uFFFF', '\uD800', '${7*7}', '<script>', "'; DROP TABLE x;--", 'a'.repeat(5000)),
  fc.constantFrom(
    'Mozilla/5.0 ' + '('.repeat(3000),
    'python-requests/2.31',
    'HeadlessChrome/120',
    'x'.repeat(2000),
    'Mozilla/5.0 (Linux; Android 99; sdk_gphone64_x86_64)',
  ),
);
const hostileValue = fc.oneof(
  hostileString,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(1e308),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 60 }),
  fc.constant({ __proto__: { polluted: true } }),
  fc.letrec((tie) => ({ deep: fc.oneof({ maxDepth: 30 }, fc.constant(1), fc.tuple(tie('deep'))) })).deep,
);
const ips = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.constantFrom('fe80::1%eth0', 'FE80::ABCD', '::1', '::', '0:0:0:0:0:0:0:0', '::ffff:1.2.3.4', '999.1.1.1', 'localhost', ''),
);
const times = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -3_600_000, max: 60_000 }).map((d) => new Date(NOW + d).toISOString()) },
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2999-01-01T00:00:00Z', '0000-01-01T00:00:00Z', 'not a time', '2026-12-01T10:00:00Z', '2026-12-01T17:59:00+08:00'),
);
const paths = fc.constantFrom(
  ['applicationId'],
  ['eventTime'],
  ['amount'],
  ['partnerId'],
  ['applicant', 'name'],
  ['applicant', 'phone'],
  ['applicant', 'nationalId'],
  ['applicant', 'contacts'],
  ['applicant', 'address'],
  ['applicant', 'email'],
  ['device', 'userAgent'],
  ['device', 'deviceId'],
  ['device', 'gps'],
  ['network', 'ip'],
  ['schemaVersion'],
  ['__proto__'],
  ['applicant', '__proto__'],
);

/** A valid application with some fields replaced by hostile values. */
const mutated = fc
  .tuple(fc.array(fc.tuple(paths, hostileValue), { maxLength: 4 }), ips, times, fc.integer({ min: 0, max: 1e9 }))
  .map(([edits, ip, time, n]) => {
    const a = exampleApp() as unknown as Record<string, Record<string, unknown>>;
    a.applicationId = `fuzz-${n}` as never;
    (a.network as Record<string, unknown>).ip = ip;
    a.eventTime = time as never;
    for (const [path, value] of edits) {
      let node: Record<string, unknown> = a;
      for (const key of path.slice(0, -1)) node = (node[key] ?? {}) as Record<string, unknown>;
      node[path[path.length - 1] as string] = value;
    }
    return Buffer.from(JSON.stringify(a).replace('"amount":1e308', '"amount":1e999'));
  });

export const hostileRecord = fc.oneof(
  { weight: 4, arbitrary: mutated },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 6 }).map((j) => Buffer.from(j)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), Buffer.alloc(0), Buffer.from('{"schemaVersion":1,'), Buffer.from('x'.repeat(70_000))),
  },
  { weight: 1, arbitrary: fc.constant(null) },
);
