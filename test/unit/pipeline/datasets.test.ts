import { describe, expect, it } from 'vitest';
import { createGeoProvider, DeviceParser, NO_IP_LISTS, type EnrichContext } from '../../../src/enrich/index.js';
import { buildPipeline } from '../../../src/pipeline/build-pipeline.js';
import { processBatch } from '../../../src/pipeline/process-batch.js';
import { fixedClock } from '../../../src/platform/clock.js';
import { loadConfig } from '../../../src/platform/config.js';
import { Health } from '../../../src/platform/health.js';
import { createMemoryStateStore } from '../../../src/state/memory-state-store.js';
import { contractErrors } from '../../helpers/contract-validators.js';
import { bytes, defaultRuleSet, exampleApp } from '../fixtures.js';

const T0 = Date.parse('2026-11-28T03:15:42.123Z');
const STAMPS = [
  { name: 'geo', builtAt: '2026-06-05' },
  { name: 'asn', builtAt: '2026-06-17' },
  { name: 'list:datacenter', builtAt: '2026-08-22' },
  { name: 'list:vpn', builtAt: '2026-09-01' },
  { name: 'hosting-asns', builtAt: '2026-12-02' },
];

function pipeline(datasets?: EnrichContext['datasets']) {
  const enrichContext: EnrichContext = { geo: createGeoProvider('dbip'), lists: NO_IP_LISTS, ua: new DeviceParser(100), ...(datasets ? { datasets } : {}) };
  return buildPipeline(loadConfig({ env: {} }), {
    store: createMemoryStateStore(),
    ruleSet: defaultRuleSet,
    enrichContext,
    piiKey: 'unit-test-key-123456',
    clock: fixedClock(T0 + 40),
    processorId: 'unit',
    publishLinks: false,
  });
}

const input = (id: string, patch: Parameters<typeof exampleApp>[0] = () => undefined) => ({
  key: id,
  value: bytes(
    exampleApp((a) => {
      a.applicationId = id;
      patch(a);
    }),
  ),
  source: { topic: 'in', partition: 0, offset: '0', timestampMs: T0 },
});

describe('dataset dates on assessments', () => {
  it('every assessment and application alert carries the build dates of geo, ASN and the oldest list, valid by the contract', async () => {
    const deps = pipeline(STAMPS);
    const farm = (i: number) =>
      input(`farm-${i}`, (a) => {
        a.device.deviceId = 'farm-device';
        a.device.emulator = true;
        a.applicant.nationalId = `11010119900307${1000 + i}`;
        a.applicant.phone = `+861381234${1000 + i}`;
      });
    const result = await processBatch([input('clean-1'), ...[1, 2, 3, 4, 5].map(farm)], deps);
    expect(result.assessments.length).toBe(6);
    for (const a of result.assessments) {
      expect(a.datasets).toEqual({ geo: '2026-06-05', asn: '2026-06-17', lists: '2026-08-22' });
      expect(contractErrors('assessment', a)).toEqual([]);
    }
    const alerts = result.outputs.filter((o) => o.topic === 'fraud.alerts').map((o) => JSON.parse(o.value.toString()) as Record<string, unknown>);
    expect(alerts.some((alert) => alert.alertType === 'application')).toBe(true);
    for (const alert of alerts) {
      if (alert.alertType === 'application') expect(alert.datasets).toEqual({ geo: '2026-06-05', asn: '2026-06-17', lists: '2026-08-22' });
      expect(contractErrors('alert', alert)).toEqual([]);
    }
    const wire = JSON.parse(result.outputs.find((o) => o.topic === 'fraud.assessments')?.value.toString() ?? '{}') as Record<string, unknown>;
    expect(wire.datasets).toEqual({ geo: '2026-06-05', asn: '2026-06-17', lists: '2026-08-22' });
  });

  it('has no datasets field when the pipeline was built without them, and the contract refuses a malformed one', async () => {
    const [a] = (await processBatch([input('plain-1')], pipeline())).assessments;
    expect(a).toBeDefined();
    expect(a && 'datasets' in a).toBe(false);
    expect(contractErrors('assessment', a)).toEqual([]);
    expect(contractErrors('assessment', { ...a, datasets: { geo: 'June' } }).join('\n')).toMatch(/format/);
    expect(contractErrors('assessment', { ...a, datasets: { tor: '2026-06-05' } }).join('\n')).toMatch(/additional/);
  });
});

describe('/healthz datasets', () => {
  it('lists each dataset with its build date and its age at the time of the request', () => {
    const health = new Health();
    expect(health.snapshot().datasets).toEqual([]);
    health.setDatasets(STAMPS.slice(0, 2));
    expect(health.snapshot(Date.parse('2026-12-02T10:00:00Z')).datasets).toEqual([
      { name: 'geo', builtAt: '2026-06-05', ageDays: 180 },
      { name: 'asn', builtAt: '2026-06-17', ageDays: 168 },
    ]);
    expect(health.snapshot(Date.parse('2026-12-12T10:00:00Z')).datasets[0]?.ageDays).toBe(190);
  });
});
