import { describe, expect, it } from 'vitest';
import { decodeAlert, type AlertRecord } from '../../../src/console/decode-alert.js';
import { contractErrors } from '../../helpers/contract-validators.js';
import { syntheticAlert, syntheticAlerts } from '../../helpers/console-alerts.js';

const START = Date.parse('2026-11-01T00:00:00.000Z');
const source = { topic: 'fraud.alerts', partition: 2, offset: '41' };
const record = (value: Buffer | string | null, key: string | null = 'k'): AlertRecord => ({
  source,
  key,
  value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value,
});

describe('decodeAlert', () => {
  it('the synthetic test alerts follow the alert contract (both kinds)', () => {
    const all = syntheticAlerts('t', 200, START);
    expect(all.some((a) => a.alert.alertType === 'ring')).toBe(true);
    expect(all.flatMap((a) => contractErrors('alert', a.alert).map((e) => `${a.index}: ${e}`))).toEqual([]);
  });

  it('maps an application alert to its filter columns and keeps the payload as produced', () => {
    const a = syntheticAlert('t', 7, START); // in a ring (7 % 100 < 3 is false) → no ring; rare code (7 % 500 === 7)
    const decoded = decodeAlert(record(a.value, a.key));
    if (!('row' in decoded)) throw new Error(decoded.dead.reason);
    const { row } = decoded;
    expect(row).toMatchObject({
      kind: 'application',
      applicationId: 't-000007',
      ringId: null,
      ringEvent: null,
      level: 'high',
      score: 80,
      partnerId: 'partner-7',
      ipCountry: 'CN',
      ipRegion: 'Region 7',
      ipClass: 'public',
      detectedAt: a.alert.alertType === 'application' ? a.alert.assessedAt : '',
      source,
      recordKey: 't-000007',
    });
    expect(row.ruleCodes).toContain('RARE_TEST_CODE');
    expect(row.subjectIds).toEqual(expect.arrayContaining(['nid_t7', 'ph_t3', 'ip_t7']));
    expect(row.payload).toBe(a.value);
  });

  it('maps a ring alert: ring id and event, the ring score, event time = the ring last seen', () => {
    const a = syntheticAlert('t', 19, START);
    const decoded = decodeAlert(record(a.value, a.key));
    if (!('row' in decoded) || a.alert.alertType !== 'ring') throw new Error('expected a ring alert row');
    expect(decoded.row).toMatchObject({
      kind: 'ring',
      applicationId: null,
      ringId: 'ring:t-r0',
      ringEvent: 'formed',
      level: null,
      score: 75,
      ruleCodes: [],
      subjectIds: [],
      eventTime: a.alert.ring.lastSeen,
      detectedAt: a.alert.detectedAt,
    });
  });

  it('puts every bad record in a dead alert with its code, bytes and a reason; nothing is dropped', () => {
    const cases: [Buffer | string | null, string][] = [
      [null, 'EMPTY_VALUE'],
      ['', 'EMPTY_VALUE'],
      [Buffer.from([0xff, 0xfe, 0x00]), 'INVALID_ENCODING'],
      ['{"alertType":"application",', 'INVALID_JSON'],
      ['{"alertType":"application","applicationId":"x"}', 'SCHEMA_VIOLATION'],
      ['{"alertType":"weather"}', 'SCHEMA_VIOLATION'],
      ['[1,2,3]', 'SCHEMA_VIOLATION'],
    ];
    for (const [value, code] of cases) {
      const decoded = decodeAlert(record(value));
      expect('dead' in decoded, String(value)).toBe(true);
      if (!('dead' in decoded)) continue;
      expect(decoded.dead.code, String(value)).toBe(code);
      expect(decoded.dead.source).toEqual(source);
      expect(decoded.dead.reason.length).toBeGreaterThan(10);
    }
  });

  it('says which fields break the contract, without echoing values', () => {
    const a = syntheticAlert('t', 4, START);
    const broken = JSON.parse(a.value) as Record<string, unknown>;
    delete broken.level;
    broken.secretField = 'do-not-echo-me';
    const decoded = decodeAlert(record(JSON.stringify(broken)));
    if (!('dead' in decoded)) throw new Error('expected a dead alert');
    expect(decoded.dead.reason).toMatch(/level is required/);
    expect(decoded.dead.reason).not.toContain('do-not-echo-me');
  });
});
