import { existsSync, readFileSync } from 'node:fs';
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

  it('uses the same contract as ../shared/contracts when that copy is present', () => {
    const shared = new URL('../../../../shared/contracts/loan-application.schema.json', import.meta.url);
    if (!existsSync(shared)) return;
    const ours = readFileSync(new URL('../../../contracts/loan-application.schema.json', import.meta.url), 'utf8');
    expect(JSON.parse(ours)).toEqual(JSON.parse(readFileSync(shared, 'utf8')));
  });
});
