import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_TIME_POLICY } from '../../../src/boundary/event-time.js';
import { processBatch, type InputRecord, type PipelineDeps } from '../../../src/pipeline/process-batch.js';
import { fixedClock } from '../../../src/platform/clock.js';
import { LendguardError } from '../../../src/platform/errors.js';
import { KNOWN_FEATURES } from '../../../src/rules/features.js';
import { loadRuleSetFile } from '../../../src/rules/file.js';
import { bytes, exampleApp } from '../fixtures.js';
import { unitPipelineDeps } from '../fixtures.js';

const T0 = Date.parse('2026-11-28T03:15:42.123Z');
const ruleSet = loadRuleSetFile(fileURLToPath(new URL('../../../config/rules.yaml', import.meta.url)), { knownFeatures: KNOWN_FEATURES });

function deps(overrides: Partial<PipelineDeps> = {}): PipelineDeps {
  return unitPipelineDeps({ clock: fixedClock(T0 + 40), ...overrides });
}

let offset = 0;
function record(value: Buffer | null, key: string | null = 'k'): InputRecord {
  return { key, value, source: { topic: 'in', partition: 0, offset: String(offset++), timestampMs: T0 } };
}

const farm = (i: number): Buffer =>
  bytes(
    exampleApp((a) => {
      a.applicationId = `farm-${i}`;
      a.applicant.nationalId = `11010119900307${String(1000 + i)}`;
      a.applicant.phone = `+861381234${String(1000 + i)}`;
      a.applicant.email = `farm${i}@example.com`;
      a.applicant.bankAccount = `62220202001122${String(10000 + i)}`;
      a.eventTime = new Date(T0 + i * 60_000).toISOString();
      a.device.emulator = true;
    }),
  );

/** Application `i` (its own identity) on device `deviceId`, at `eventTime`. */
const onDevice = (deviceId: string, i: number, eventTime: string): Buffer =>
  bytes(
    exampleApp((a) => {
      a.applicationId = `${deviceId}-${i}`;
      a.applicant.nationalId = `11010119900307${String(2000 + i)}`;
      a.applicant.phone = `+861391234${String(2000 + i)}`;
      a.device.deviceId = deviceId;
      a.eventTime = eventTime;
    }),
  );

describe('processBatch', () => {
  it('assesses a resent application once: the other record goes to the DLQ as a duplicate, a retry of the first does not', async () => {
    const d = deps();
    const first = record(bytes(exampleApp()));
    const resent = record(bytes(exampleApp()));
    const batch = await processBatch([first, resent], d);
    expect(batch.assessments).toHaveLength(1);
    expect(batch.deadLettered).toEqual([{ code: 'DUPLICATE_APPLICATION', source: resent.source }]);
    const dlq = batch.outputs.find((o) => o.topic === 'dlq');
    expect(dlq?.headers?.['dlq.error.message']).toBe(`application app-20261128-000001 was already assessed from in/0/${first.source.offset}`);
    const retry = await processBatch([first], d); // the batch's transaction aborted: the same record again
    expect(retry.assessments).toHaveLength(1);
    expect(retry.deadLettered).toEqual([]);
  });

  it('assesses a clean application: one assessment, no flags, low level, latency measured', async () => {
    const result = await processBatch([record(bytes(exampleApp()))], deps());
    expect(result.deadLettered).toEqual([]);
    expect(result.outputs.map((o) => o.topic)).toEqual(['out']);
    const a = result.assessments[0];
    expect(a).toMatchObject({ applicationId: 'app-20261128-000001', score: 0, level: 'low', alert: false, flags: [], rulesVersion: ruleSet.version });
    expect(a?.latency).toEqual({ sinceRecordMs: 40, processingMs: 0, budgetMs: 100, withinBudget: true, windowP99Ms: 0 });
    expect(a).toMatchObject({ degraded: false, degradedReason: null });
    expect(a?.subject.phone?.masked).toBe('138****5678');
  });

  it('never lets a raw identifier reach an output record', async () => {
    const raw = exampleApp();
    const result = await processBatch([record(bytes(raw))], deps());
    const text = result.outputs.map((o) => o.value.toString()).join('\n');
    for (const v of [
      raw.applicant.nationalId,
      raw.applicant.phone,
      '13812345678',
      raw.applicant.email,
      raw.applicant.bankAccount,
      raw.device.deviceId,
      raw.network.ip,
    ]) {
      expect(text).not.toContain(v as string);
    }
  });

  it('dead-letters bad records with the original bytes and provenance, and keeps going', async () => {
    const bad = bytes('not json');
    const result = await processBatch([record(bad, 'bad-key'), record(bytes(exampleApp()))], deps());
    expect(result.assessments).toHaveLength(1);
    const dlq = result.outputs.find((o) => o.topic === 'dlq');
    expect(dlq?.key).toBe('bad-key');
    expect(Buffer.compare(dlq?.value as Buffer, bad)).toBe(0);
    expect(dlq?.headers).toMatchObject({ 'dlq.error.code': 'INVALID_JSON', 'dlq.source.topic': 'in', 'dlq.source.partition': '0' });
    expect(dlq?.headers?.['dlq.error.message']).toMatch(/not JSON/);
  });

  it('counts a device farm across a batch and raises an alert', async () => {
    const result = await processBatch(
      [0, 1, 2, 3, 4].map((i) => record(farm(i))),
      deps(),
    );
    const last = result.assessments[4];
    expect(last?.features['device.identities.24h']).toBe(5);
    expect(last?.flags.map((f) => f.code)).toEqual([
      'DEVICE_MANY_IDENTITIES',
      'DEVICE_IDENTITY_CYCLING',
      'DEVICE_MANY_PHONES',
      'DEVICE_EMULATOR',
      'CYCLING_ON_TAMPERED_DEVICE',
    ]);
    expect(last?.flags[0]?.reason).toMatch(/^device de\*+ used by 5 identities in 24h \(limit 3\)$/);
    expect(last).toMatchObject({ score: 100, level: 'critical', alert: true });
    expect(result.outputs.filter((o) => o.topic === 'alerts')).toHaveLength(4);
  });

  it('does not count a replayed application twice', async () => {
    const d = deps();
    const once = record(farm(1));
    await processBatch([once], d);
    const again = await processBatch([once], d); // the same record, e.g. after an aborted transaction
    expect(again.assessments[0]?.features['device.apps.1h']).toBe(1);
  });

  it('lets a state failure fail the whole batch (retriable), emitting nothing', async () => {
    const store = { apply: async () => Promise.reject(new LendguardError('REDIS_UNAVAILABLE', 'down')) };
    await expect(processBatch([record(bytes(exampleApp()))], deps({ store }))).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE', policy: 'retriable' });
  });

  it("does not let a far-future eventTime wipe a device's windows: it is dead-lettered and the count goes on", async () => {
    const d = deps();
    const at = (i: number): string => new Date(T0 - 3_600_000 + i * 1000).toISOString();
    await processBatch(
      [1, 2, 3, 4, 5, 6].map((i) => record(onDevice('the-farm-device', i, at(i)))),
      d,
    );
    const bomb = await processBatch([record(onDevice('the-farm-device', 7, '2999-01-01T00:00:00Z'))], d);
    expect(bomb.deadLettered.map((x) => x.code)).toEqual(['EVENT_TIME_OUT_OF_RANGE']);
    const next = await processBatch(
      [8, 9, 10].map((i) => record(onDevice('the-farm-device', i, at(i)))),
      d,
    );
    expect(next.assessments.map((a) => a.features['device.identities.24h'])).toEqual([7, 8, 9]);
    expect(next.assessments.every((a) => a.flags.some((f) => f.code === 'DEVICE_MANY_IDENTITIES'))).toBe(true);
  });

  it('counts a burst backdated a window further each time: older claimed times count as an hour before the record', async () => {
    const backdated = (i: number): Buffer => onDevice('the-backdating-device', i, new Date(T0 - i * 61 * 60_000).toISOString()); // each 61 minutes before the last
    const counts = async (d: PipelineDeps) => {
      const out: unknown[] = [];
      for (const i of [0, 1, 2, 3, 4, 5]) out.push((await processBatch([record(backdated(i))], d)).assessments[0]?.features['device.identities.24h']);
      return out;
    };
    // Trusted for a week, the burst counts one identity each: every earlier member is newer than the next claim.
    expect(await counts(deps({ eventTime: { ...DEFAULT_EVENT_TIME_POLICY, maxLatenessMs: 7 * 86_400_000 } }))).toEqual([1, 1, 1, 1, 1, 1]);
    // From an hour before the record on, they count together; only the newest (within the hour) stays apart.
    const d = deps();
    expect(await counts(d)).toEqual([1, 1, 2, 3, 4, 5]);
    const [late] = (await processBatch([record(backdated(6))], d)).assessments;
    expect(late?.eventTime).toBe(new Date(T0 - 6 * 61 * 60_000).toISOString()); // the claim is kept and shown
    expect(late?.enrichment['app.eventTimeLateMs']).toBe(6 * 61 * 60_000);
    expect(late?.flags.map((f) => f.code)).toContain('DEVICE_MANY_IDENTITIES');
  });

  it('clamps an out-of-range eventTime when so configured, and says so on the assessment', async () => {
    const d = deps({ eventTime: { maxPastMs: 7 * 86_400_000, maxFutureMs: 300_000, outOfRange: 'clamp' } });
    const batch = await processBatch([record(bytes(exampleApp((a) => (a.eventTime = '2999-01-01T00:00:00Z'))))], d);
    expect(batch.assessments[0]?.eventTime).toBe(new Date(T0 + 300_000).toISOString());
    expect(batch.assessments[0]?.enrichment['app.eventTimeClamped']).toBe(true);
  });
});

describe('enrichment.ipDefaultAccuracyKm', () => {
  it('reaches the travel check: a wide IP radius makes an IP-only hop between cities possible', async () => {
    const hop = (id: string, ip: string, atMs: number): InputRecord =>
      record(
        bytes(
          exampleApp((a) => {
            a.applicationId = id;
            a.network.ip = ip;
            a.eventTime = new Date(atMs).toISOString();
            delete a.device.gps;
          }),
        ),
      );
    const impossible = async (km?: number): Promise<unknown> => {
      const d = deps(km === undefined ? {} : { ipDefaultAccuracyKm: km });
      await processBatch([hop(`beijing-${km}`, '123.123.0.1', T0)], d);
      const [second] = (await processBatch([hop(`hangzhou-${km}`, '223.5.5.5', T0 + 60_000)], d)).assessments;
      return second?.features['travel.identity.impossible'];
    };
    expect(await impossible()).toBe(true); // ~1,100 km in a minute, 50 km radii
    expect(await impossible(1000)).toBe(false); // radii of 1,000 km each cover the hop
  });
});
