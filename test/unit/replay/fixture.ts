import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { application } from '../../helpers/traffic.js';

/**
 * A small labelled replay file: clean applicants spread over hours, a device farm (one emulator
 * handset, six identities within a few minutes, `_truth.fraud = true`), a few unlabelled clean
 * lines, and bad lines of several kinds (plus a blank line, which is skipped, not a record).
 */
export const T0 = Date.parse('2026-11-20T08:00:00Z');
const MIN = 60_000;

export interface ReplayFixture {
  dir: string;
  input: string;
  /** Line numbers (1-based) of valid lines, in order, with their application ids. */
  valid: { line: number; applicationId: string; fraud: boolean | null }[];
  /** Bad lines with the code the pipeline must give them. */
  bad: { line: number; code: string; bytes: Buffer }[];
  blankLines: number;
  farmIds: string[];
}

export function writeReplayFixture(prefix: string): ReplayFixture {
  const dir = mkdtempSync(join(tmpdir(), 'lendguard-replay-'));
  const lines: Buffer[] = [];
  const valid: ReplayFixture['valid'] = [];
  const bad: ReplayFixture['bad'] = [];
  const push = (value: unknown, fraud: boolean | null): void => {
    const a = value as { applicationId: string };
    lines.push(Buffer.from(JSON.stringify(value)));
    valid.push({ line: lines.length, applicationId: a.applicationId, fraud });
  };
  const pushBad = (bytes: Buffer, code: string): void => {
    lines.push(bytes);
    bad.push({ line: lines.length, code, bytes });
  };

  const clean = (i: number, labelled = true) => ({
    ...application(prefix, i, (a) => (a.eventTime = new Date(T0 + i * 5 * MIN).toISOString())),
    ...(labelled ? { _truth: { fraud: false, pattern: 'clean' } } : {}),
  });
  const farmIds: string[] = [];
  const farm = (k: number) => {
    const a = application(prefix, 100 + k, (x) => {
      x.device.deviceId = `farm-${prefix}`;
      x.device.emulator = true;
      x.eventTime = new Date(T0 + 60 * MIN + k * MIN).toISOString();
    });
    farmIds.push(a.applicationId);
    return { ...a, _truth: { fraud: true, pattern: 'device-farm', ringId: `ring-${prefix}` } };
  };

  for (let i = 0; i < 10; i++) push(clean(i), false);
  pushBad(Buffer.from('{"schemaVersion":1,'), 'INVALID_JSON');
  for (let k = 0; k < 3; k++) push(farm(k), true);
  lines.push(Buffer.from('   ')); // blank: skipped
  pushBad(Buffer.from(JSON.stringify({ ...application(prefix, 900), network: { ip: '10.0.0.300' } })), 'INVALID_IP');
  for (let k = 3; k < 6; k++) push(farm(k), true);
  pushBad(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'INVALID_ENCODING'); // {"\xff\xfe"}
  pushBad(
    Buffer.from(JSON.stringify({ ...application(prefix, 901), schemaVersion: 2, _truth: { fraud: true, pattern: 'device-farm' } })),
    'UNSUPPORTED_SCHEMA_VERSION',
  );
  for (let i = 10; i < 20; i++) push(clean(i), false);
  for (let i = 20; i < 23; i++) push(clean(i, false), null);
  pushBad(Buffer.from(JSON.stringify({ ...application(prefix, 902), device: undefined })), 'SCHEMA_VIOLATION');

  const input = join(dir, 'apps.jsonl');
  writeFileSync(input, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
  return { dir, input, valid, bad, blankLines: 1, farmIds };
}
