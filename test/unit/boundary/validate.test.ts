import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeApplication } from '../../../src/boundary/validate.js';
import { LendguardError } from '../../../src/platform/errors.js';
import { bytes, EXAMPLE_BYTES, exampleApp } from '../fixtures.js';

const limits = { maxRecordBytes: 65536 };

function codeOf(value: Buffer | null, lim = limits): string {
  try {
    decodeApplication(value, lim);
    return 'OK';
  } catch (err) {
    expect(err).toBeInstanceOf(LendguardError);
    expect((err as LendguardError).policy).toBe('poison');
    return (err as LendguardError).code;
  }
}

describe('decodeApplication', () => {
  it('accepts the contract example', () => {
    expect(decodeApplication(EXAMPLE_BYTES, limits).applicationId).toBe('app-20261128-000001');
  });

  it('ignores unknown properties (forward compatible)', () => {
    expect(codeOf(bytes({ ...exampleApp(), futureField: { x: 1 } }))).toBe('OK');
  });

  it.each([
    ['null value', null, 'EMPTY_VALUE'],
    ['empty value', Buffer.alloc(0), 'EMPTY_VALUE'],
    ['not JSON', bytes('hello'), 'INVALID_JSON'],
    ['truncated JSON', bytes('{"schemaVersion":1,'), 'INVALID_JSON'],
    ['bad UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'INVALID_ENCODING'],
    ['schema version 2', bytes(exampleApp((a) => ((a as { schemaVersion: number }).schemaVersion = 2))), 'UNSUPPORTED_SCHEMA_VERSION'],
    ['missing schemaVersion', bytes({ ...exampleApp(), schemaVersion: undefined }), 'SCHEMA_VIOLATION'],
    ['a JSON array', bytes('[1,2]'), 'SCHEMA_VIOLATION'],
    ['missing applicant', bytes({ ...exampleApp(), applicant: undefined }), 'SCHEMA_VIOLATION'],
    ['missing phone', bytes(exampleApp((a) => delete (a.applicant as Partial<typeof a.applicant>).phone)), 'SCHEMA_VIOLATION'],
    ['amount not positive', bytes(exampleApp((a) => (a.amount = 0))), 'SCHEMA_VIOLATION'],
    ['bad platform', bytes(exampleApp((a) => ((a.device as { platform: string }).platform = 'nokia'))), 'SCHEMA_VIOLATION'],
    ['latitude out of range', bytes(exampleApp((a) => (a.device.gps = { lat: 95, lon: 1 }))), 'SCHEMA_VIOLATION'],
    ['oversized field', bytes(exampleApp((a) => (a.applicant.address = 'x'.repeat(600)))), 'SCHEMA_VIOLATION'],
    ['too many contacts', bytes(exampleApp((a) => (a.applicant.contacts = Array.from({ length: 51 }, () => '+8613900001111')))), 'SCHEMA_VIOLATION'],
    ['bad event time', bytes(exampleApp((a) => (a.eventTime = '28/11/2026'))), 'SCHEMA_VIOLATION'],
    ['invalid IPv4', bytes(exampleApp((a) => (a.network.ip = '300.1.2.3'))), 'INVALID_IP'],
    ['invalid IPv6', bytes(exampleApp((a) => (a.network.ip = '2001:db8:::1'))), 'INVALID_IP'],
    ['hostname instead of IP', bytes(exampleApp((a) => (a.network.ip = 'example.com'))), 'INVALID_IP'],
  ])('%s → %s', (_name, value, code) => {
    expect(codeOf(value)).toBe(code);
  });

  it('rejects records over the byte limit before parsing', () => {
    expect(codeOf(EXAMPLE_BYTES, { maxRecordBytes: 100 })).toBe('OVERSIZED_RECORD');
  });

  it('says which fields are wrong, without echoing their values', () => {
    const value = bytes(exampleApp((a) => delete (a.applicant as Partial<typeof a.applicant>).nationalId));
    expect(() => decodeApplication(value, limits)).toThrow(/applicant\.nationalId is required/);
    const ip = bytes(exampleApp((a) => (a.network.ip = '300.1.2.3')));
    expect(() => decodeApplication(ip, limits)).toThrow(/^(?!.*300\.1\.2\.3).*network\.ip/);
  });

  it('enforces every property the contract (contracts/loan-application.schema.json) requires', () => {
    type Node = { required?: string[]; properties?: Record<string, Node> };
    const contract = JSON.parse(readFileSync(new URL('../../../contracts/loan-application.schema.json', import.meta.url), 'utf8')) as Node;
    const required: string[][] = [];
    const walk = (node: Node, path: string[]): void => {
      for (const key of node.required ?? []) required.push([...path, key]);
      for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, [...path, key]);
    };
    walk(contract, []);
    expect(required.length).toBeGreaterThanOrEqual(10);
    for (const path of required) {
      const app = exampleApp() as unknown as Record<string, unknown>;
      const parent = path.slice(0, -1).reduce((o, k) => o[k] as Record<string, unknown>, app);
      delete parent[path[path.length - 1] as string];
      expect(codeOf(bytes(app)), path.join('.')).toBe('SCHEMA_VIOLATION');
    }
  });

  it('takes an optional bureau multi-lender count: absent, null or a whole number 0–1000', () => {
    const withBureau = (bureau: unknown) => bytes({ ...exampleApp(), bureau });
    expect(codeOf(bytes(exampleApp()))).toBe('OK'); // old records, without it
    for (const ok of [
      {},
      { multiLenderCount: null },
      { multiLenderCount: 0 },
      { multiLenderCount: 7 },
      { multiLenderCount: 1000 },
      { multiLenderCount: 3, provider: 'x' },
    ]) {
      expect(codeOf(withBureau(ok)), JSON.stringify(ok)).toBe('OK');
    }
    for (const bad of [{ multiLenderCount: -1 }, { multiLenderCount: 2.5 }, { multiLenderCount: 1001 }, { multiLenderCount: '3' }, 'many', 5]) {
      expect(codeOf(withBureau(bad)), JSON.stringify(bad)).toBe('SCHEMA_VIOLATION');
    }
    expect(() => decodeApplication(withBureau({ multiLenderCount: -1 }), limits)).toThrow(/bureau\.multiLenderCount must be >= 0/);
  });
});
