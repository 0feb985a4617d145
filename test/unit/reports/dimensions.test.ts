import { describe, expect, it } from 'vitest';
import { cellsOf, hourOf, networkClass, RollupAccumulator } from '../../../src/reports/dimensions.js';
import { trendStream } from '../../helpers/trend-stream.js';

const stream = trendStream({ nowMs: Date.parse('2026-12-02T10:30:00Z'), perHour: 2, burst: 10 });
const plain = stream.assessments[0];
const burst = stream.assessments[stream.assessments.length - 1];
if (!plain || !burst) throw new Error('fixture');

describe('rollup dimensions', () => {
  it('counts an assessment once in each single-valued dimension, and once per distinct rule', () => {
    const withRepeat = { ...burst, flags: [...burst.flags, ...burst.flags] };
    const cells = cellsOf(withRepeat);
    const dims = cells.map((c) => c.dimension);
    for (const d of ['all', 'partner', 'country', 'region', 'network', 'asn', 'deviceType', 'os', 'partnerNetwork', 'partnerRegion'])
      expect(dims.filter((x) => x === d)).toHaveLength(1);
    expect(cells.filter((c) => c.dimension === 'rule').map((c) => c.value)).toEqual(['IP_DATACENTER', 'PROXY_BURST']);
    expect(cells.find((c) => c.dimension === 'partnerRegion')?.value).toBe('partner-cash-app × CN/Zhejiang');
    expect(cells.find((c) => c.dimension === 'asn')?.value).toBe('AS37963 Alibaba');
  });

  it('keeps identifiers of alerted applications that more than one identity used, labelled by their masked value', () => {
    expect(cellsOf({ ...plain, alert: false }).some((c) => c.dimension === 'identifier')).toBe(false);
    const ids = cellsOf({ ...burst, alert: true }).filter((c) => c.dimension === 'identifier');
    expect(ids.map((c) => c.label)).toEqual(['deviceId d*******']); // device.identities.24h = 5; the phone has one identity
    const unshared = { ...burst, alert: true, features: { 'device.identities.24h': 1 } };
    expect(cellsOf(unshared).some((c) => c.dimension === 'identifier')).toBe(false);
    const both = { ...burst, alert: true, features: { 'device.identities.24h': 2, 'ip.identities.1h': 7 } };
    expect(
      cellsOf(both)
        .filter((c) => c.dimension === 'identifier')
        .map((c) => c.label),
    ).toEqual(['deviceId d*******', 'ip 47.92.*.*']);
  });

  it('classifies the network: tor, vpn, data centre (a list or a hosting ASN), residential, or the address class', () => {
    expect(networkClass({ 'ip.tor': true, 'ip.vpn': true })).toBe('tor');
    expect(networkClass({ 'ip.vpn': true, 'ip.datacenter': true })).toBe('vpn');
    expect(networkClass({ 'ip.hosting': true, 'ip.class': 'public' })).toBe('datacenter');
    expect(networkClass({ 'ip.class': 'public' })).toBe('residential');
    expect(networkClass({ 'ip.class': 'carrier-nat' })).toBe('carrier-nat');
    expect(networkClass({})).toBe('(none)');
  });

  it('bounds hostile values: long values cut, NUL replaced (PostgreSQL text refuses it), unknown values named', () => {
    const hostile = { ...plain, partnerId: `p\u0000${'x'.repeat(5000)}`, enrichment: { ...plain.enrichment, 'ip.region': '', 'device.os': null } };
    const cells = cellsOf(hostile);
    const partner = cells.find((c) => c.dimension === 'partner')?.value ?? '';
    expect(partner.length).toBe(200);
    expect(partner).not.toContain('\u0000');
    expect(cells.find((c) => c.dimension === 'region')?.value).toBe('CN/(none)');
    expect(cells.find((c) => c.dimension === 'os')?.value).toBe('(none)');
    // lone surrogates: PostgreSQL would store both as "p\uFFFD", one key, refused twice in one upsert
    const one = cellsOf({ ...plain, partnerId: 'p\ud800' }).find((c) => c.dimension === 'partner')?.value;
    const other = cellsOf({ ...plain, partnerId: 'p\udc01' }).find((c) => c.dimension === 'partner')?.value;
    expect([one, other]).toEqual(['p\uFFFD', 'p\uFFFD']);
    const cutPair = cellsOf({ ...plain, partnerId: `${'x'.repeat(199)}😀` }).find((c) => c.dimension === 'partner')?.value ?? '';
    expect(cutPair).toBe(`${'x'.repeat(199)}\uFFFD`); // the cut split a pair: its half is replaced, not stored
  });

  it('buckets by the event hour, falling back to the assessment time, then the record time', () => {
    expect(hourOf({ eventTime: '2026-11-02T10:59:59.999Z', assessedAt: 'x' })).toBe(Date.parse('2026-11-02T10:00:00Z'));
    expect(hourOf({ eventTime: 'not a time', assessedAt: '2026-11-02T11:30:00Z' })).toBe(Date.parse('2026-11-02T11:00:00Z'));
    expect(hourOf({ eventTime: '+275760-01-01T00:00:00Z', assessedAt: 'x' }, Date.parse('2026-11-02T12:10:00Z'))).toBe(Date.parse('2026-11-02T12:00:00Z'));
  });

  it('sums a chunk into one cell per (hour, dimension, value), in a fixed order', () => {
    const acc = new RollupAccumulator();
    for (const a of stream.assessments) acc.add(a);
    const cells = acc.result();
    const all = cells.filter((c) => c.dimension === 'all');
    expect(all.reduce((s, c) => s + c.applications, 0)).toBe(stream.assessments.length);
    expect(all.reduce((s, c) => s + c.alerts, 0)).toBe(stream.assessments.filter((a) => a.alert).length);
    for (const c of all) expect(c.low + c.medium + c.high + c.critical).toBe(c.applications);
    const keys = cells.map((c) => `${c.hourMs}|${c.dimension}|${c.value}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort((x, y) => (x < y ? -1 : 1)).length).toBe(keys.length);
    for (let i = 1; i < cells.length; i++) expect((cells[i]?.hourMs ?? 0) >= (cells[i - 1]?.hourMs ?? 0)).toBe(true);
  });
});

describe('rollup dimensions of the model stage', () => {
  it('counts shadow decisions by active → candidate level and the model bin of every feature', () => {
    const a = {
      ...plain,
      level: 'high' as const,
      model: { version: 'sc-1', probability: 0.7, rulesScore: 20, rulesLevel: 'low' as const, contributions: [], bins: 'CAB' },
      shadow: { rulesVersion: 'r1', modelVersion: 'sc-0', score: 10, level: 'low' as const, alert: false, probability: 0.1 },
    };
    const cells = cellsOf(a);
    expect(cells.filter((c) => c.dimension === 'shadow')).toEqual([{ dimension: 'shadow', value: 'high→low sc-0', label: null }]);
    expect(cells.filter((c) => c.dimension === 'modelBin').map((c) => c.value)).toEqual(['sc-1#*', 'sc-1#0#C', 'sc-1#1#A', 'sc-1#2#B']);
    expect(cellsOf(plain).some((c) => c.dimension === 'modelBin' || c.dimension === 'shadow')).toBe(false);
  });
});
