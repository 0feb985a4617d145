import { beforeAll, describe, expect, it } from 'vitest';
import { ALERT_TYPES, applicationAlert, applicationAlertJson, RING_ALERT_EVENTS, type Alert, type RingAlert } from '../../../src/domain/alert.js';
import type { RawApplication } from '../../../src/domain/application.js';
import { LEVELS, type Assessment, type Flag } from '../../../src/domain/assessment.js';
import { BINDER_CLASSES } from '../../../src/graph/binding.js';
import { GraphService } from '../../../src/graph/graph-service.js';
import { IDENTIFIER_KINDS, LINK_KINDS } from '../../../src/graph/kinds.js';
import { readLinkRecord } from '../../../src/graph/link-record.js';
import { FULL_WORK } from '../../../src/pipeline/assess.js';
import { processBatch, type InputRecord, type PipelineDeps } from '../../../src/pipeline/process-batch.js';
import type { OutputRecord } from '../../../src/pipeline/ports.js';
import { fixedClock } from '../../../src/platform/clock.js';
import { ERROR_CODES } from '../../../src/platform/errors.js';
import { parseLabel } from '../../../src/replication/graph-replica.js';
import { SEVERITIES } from '../../../src/rules/schema.js';
import { bytes, exampleApp } from '../fixtures.js';
import { unitPipelineDeps } from '../fixtures.js';
import { contractErrors, contractSchema, violations, type Contract } from '../../helpers/contract-validators.js';

/**
 * The output contracts (contracts/*.schema.json) against what the in-process pipeline really produces: clean
 * applicants, a device farm (application alerts), a ring of eight on two devices and a mule account (ring
 * alerts, formed, grown and touching confirmed fraud), link records, bad input and an output too large for its
 * topic (dead letters of both kinds). Each schema also rejects a mutated record, and its vocabularies are the code's.
 */
const T0 = Date.parse('2026-11-28T03:15:42.123Z');
const TOPICS = { assessments: 'assessments', alerts: 'alerts', dlq: 'dlq', graphLinks: 'links' };

let shedding = false;
function deps(overrides: Partial<PipelineDeps> = {}): PipelineDeps {
  return unitPipelineDeps({
    degradation: () =>
      shedding
        ? { shedding, reason: 'latency p99 150 ms over the 100 ms budget', windowP99Ms: 150, skipRuleTags: ['optional'], skipCounters: [] }
        : { ...FULL_WORK, skipCounters: [] },
    graph: new GraphService({ maxNodes: 1000, growthWindowMs: 3_600_000, minIdentities: 3, ringGrowBy: 3, ringGrowRatio: 0.25 }),
    clock: fixedClock(T0 + 3_600_000),
    topics: TOPICS,
    processorId: 'contracts-unit',
    ...overrides,
  });
}

let offset = 0;
const record = (value: Buffer | null): InputRecord => ({
  key: `k${offset}`,
  value,
  source: { topic: 'in', partition: 0, offset: String(offset++), timestampMs: T0 + 60_000 },
});

/** A valid application with identifiers of its own, `i` seconds after T0. */
const applicant = (id: string, i: number, patch: (a: RawApplication) => void = () => undefined): RawApplication =>
  exampleApp((a) => {
    a.applicationId = id;
    a.eventTime = new Date(T0 + i * 1000).toISOString();
    a.applicant.nationalId = `11010119900101${String(i).padStart(4, '0')}`;
    a.applicant.phone = `+86139${String(10_000_000 + i).slice(-8)}`;
    a.applicant.email = `user${i}@example.com`;
    a.applicant.bankAccount = `6222020200${String(i).padStart(9, '0')}`;
    a.applicant.contacts = [`+86137${String(20_000_000 + i).slice(-8)}`];
    a.device.deviceId = `dev-${i}`;
    a.network.ip = `123.123.${i >> 8}.${i & 255}`;
    patch(a);
  });

const clean = Array.from({ length: 10 }, (_, i) => applicant(`clean-${i}`, i, i % 2 === 0 ? (a) => delete a.partnerId : undefined));
const farm = Array.from({ length: 5 }, (_, i) =>
  applicant(`farm-${i}`, 100 + i, (a) => {
    a.device.deviceId = 'farm-device';
    a.device.emulator = true;
  }),
);
/** Eight applicants on two devices paying into one mule account; the first seven form it, the eighth after a fraud label. */
const ring = Array.from({ length: 8 }, (_, i) =>
  applicant(`ring-${i}`, 200 + i, (a) => {
    a.device.deviceId = `ring-device-${i % 2}`;
    a.applicant.bankAccount = '6222020200999888777';
  }),
);
const bad = [
  bytes('not json'),
  null,
  bytes({ ...applicant('bad-schema', 900), device: undefined }),
  bytes(applicant('bad-ip', 901, (a) => (a.network.ip = '10.0.0.300'))),
  bytes({ ...applicant('bad-big', 902), padding: 'x'.repeat(70_000) }),
  bytes(clean[0]), // the same application id from another record: a duplicate
];

const byTopic = (outputs: readonly OutputRecord[], topic: string): OutputRecord[] => outputs.filter((o) => o.topic === topic);
const json = (o: OutputRecord): unknown => JSON.parse(String(o.value));

describe('output contracts', () => {
  const outputs: OutputRecord[] = [];
  const tooLarge: OutputRecord[] = [];
  let assessments: Assessment[] = [];
  let alerts: Alert[] = [];

  beforeAll(async () => {
    const d = deps();
    const run = async (values: (Buffer | null)[]): Promise<void> => {
      const result = await processBatch(
        values.map((v) => record(v)),
        d,
      );
      d.graph?.acknowledge(result.reportedRings);
      outputs.push(...result.outputs);
    };
    await run([...clean.slice(0, 5), ...farm, ...ring.slice(0, 3)].map(bytes));
    await run([...ring.slice(3, 7).map(bytes), ...bad]);
    d.graph?.label('ring-0', 'fraud', T0 + 300_000);
    shedding = true;
    await run([...clean.slice(5), ring[7]].map(bytes));
    shedding = false;
    // An alerts topic that takes 4 KB at most: a ring alert and the farm's application alerts go to the DLQ instead.
    const limits = { maxMessageBytes: new Map([['alerts', 4096]]), dlq: 'dlq', maxValueBytes: 65536 };
    const small = deps({ outputLimits: limits });
    tooLarge.push(
      ...(
        await processBatch(
          [...farm, ...ring].map((a) => record(bytes(a))),
          small,
        )
      ).outputs,
    );
    assessments = byTopic(outputs, 'assessments').map((o) => json(o) as Assessment);
    alerts = byTopic(outputs, 'alerts').map((o) => json(o) as Alert);
  });

  it('the pipeline produced every kind of record the contracts describe', () => {
    expect(assessments).toHaveLength(clean.length + farm.length + ring.length);
    expect(assessments.some((a) => a.ring !== null) && assessments.some((a) => a.partnerId === null) && assessments.some((a) => a.degraded)).toBe(true);
    const kinds = alerts.map((a) => (a.alertType === 'ring' ? `ring:${a.event}` : 'application'));
    expect(new Set(kinds)).toEqual(new Set(['application', 'ring:formed', 'ring:grew', 'ring:touched-known-fraud']));
    expect(byTopic(outputs, 'links')).toHaveLength(assessments.length);
    const codes = byTopic([...outputs, ...tooLarge], 'dlq').map((o) => o.headers?.['dlq.error.code']);
    expect(new Set(codes)).toEqual(
      new Set(['INVALID_JSON', 'EMPTY_VALUE', 'SCHEMA_VIOLATION', 'INVALID_IP', 'OVERSIZED_RECORD', 'DUPLICATE_APPLICATION', 'OUTPUT_TOO_LARGE']),
    );
  });

  it('every assessment, alert, link record and dead letter conforms to its contract', () => {
    const all = [...outputs, ...tooLarge];
    const check = (name: Contract, topic: string, read: (o: OutputRecord) => unknown) =>
      violations(
        name,
        byTopic(all, topic).map((o) => ({ what: String(o.key), value: read(o) })),
      );
    const found = [
      ...check('assessment', 'assessments', json),
      ...check('alert', 'alerts', json),
      ...check('graph-link', 'links', json),
      ...check('dead-letter', 'dlq', (o) => o.headers),
    ];
    expect(found).toEqual([]);
    // The link records are also what the replica reads back, and ring alerts are keyed by their ring.
    for (const o of byTopic(all, 'links')) expect(typeof readLinkRecord(Buffer.from(String(o.value)))).toBe('object');
    for (const o of byTopic(all, 'alerts'))
      expect(o.key).toBe((json(o) as { ringId?: string; applicationId?: string }).ringId ?? (json(o) as Assessment).applicationId);
  });

  it('an application alert is its assessment with alertType first, byte for byte', () => {
    const alerted = assessments.filter((a) => a.alert);
    expect(alerted.length).toBeGreaterThan(0);
    const values = new Set(byTopic(outputs, 'alerts').map((o) => String(o.value)));
    for (const a of alerted) {
      expect(applicationAlertJson(JSON.stringify(a))).toBe(JSON.stringify(applicationAlert(a)));
      expect(values.has(JSON.stringify(applicationAlert(a)))).toBe(true);
      expect(Object.keys(JSON.parse(applicationAlertJson(JSON.stringify(a))) as object)[0]).toBe('alertType');
    }
  });

  it('labels that conform to the contract are read by the processor', () => {
    const labels = [
      { applicationId: 'ring-0', label: 'fraud', at: '2026-11-28T04:00:00Z', by: 'analyst-1' },
      { applicationId: 'ring-0', label: 'legit', at: '2026-11-28T04:05:00.123+08:00', note: 'extra fields are ignored' },
    ];
    expect(
      violations(
        'label',
        labels.map((value) => ({ what: value.label, value })),
      ),
    ).toEqual([]);
    for (const l of labels) expect(parseLabel(bytes(l))).toMatchObject({ applicationId: l.applicationId, label: l.label });
  });

  describe('each contract rejects a mutated record', () => {
    const first = <T>(xs: readonly T[]): T => structuredClone(xs[0] as T);
    const mutate = <T>(x: T, f: (x: T) => void): T => {
      f(x);
      return x;
    };
    const applicationAlertOf = () => first(alerts.filter((a) => a.alertType === 'application'));
    const ringAlertOf = () => first(alerts.filter((a): a is RingAlert => a.alertType === 'ring'));
    const linkOf = () => first(byTopic(outputs, 'links').map(json)) as { atMs: unknown; links: unknown[][] };
    const headersOf = (code: string) =>
      first(byTopic([...outputs, ...tooLarge], 'dlq').filter((o) => o.headers?.['dlq.error.code'] === code)).headers as Record<string, string>;
    const label = () => ({ applicationId: 'ring-0', label: 'fraud', at: '2026-11-28T04:00:00Z' });
    const cases: [string, Contract, () => unknown][] = [
      [
        'assessment: a renamed field',
        'assessment',
        () => mutate(first(assessments) as unknown as Record<string, unknown>, (a) => ((a.scoring = a.score), delete a.score)),
      ],
      ['assessment: an unknown level', 'assessment', () => mutate(first(assessments), (a) => ((a as { level: string }).level = 'severe'))],
      ['assessment: a score as a string', 'assessment', () => mutate(first(assessments), (a) => ((a as { score: unknown }).score = '100'))],
      [
        'assessment: a flag without its reason',
        'assessment',
        () => mutate(first(assessments.filter((a) => a.flags.length > 0)), (a) => delete (a.flags[0] as Partial<Flag>).reason),
      ],
      [
        'assessment: a raw identifier field in the subject',
        'assessment',
        () => mutate(first(assessments), (a) => (a.subject.name = { id: 'x', masked: 'Z*' })),
      ],
      ['alert: an unknown alert type', 'alert', () => mutate(applicationAlertOf(), (a) => ((a as { alertType: string }).alertType = 'app'))],
      ['alert: an application alert that is not an alert', 'alert', () => mutate(applicationAlertOf(), (a) => ((a as Assessment).alert = false))],
      ['alert: an unknown ring event', 'alert', () => mutate(ringAlertOf(), (a) => ((a as { event: string }).event = 'dissolved'))],
      ['alert: ring members as a string', 'alert', () => mutate(ringAlertOf(), (a) => ((a.ring as { members: unknown }).members = 'ring-0,ring-1'))],
      ['alert: a ring alert with an assessment field', 'alert', () => mutate(ringAlertOf(), (a) => ((a as unknown as Record<string, unknown>).score = 80))],
      ['graph-link: an unknown link kind', 'graph-link', () => mutate(linkOf(), (r) => ((r.links[0] as unknown[])[0] = 'passport'))],
      ['graph-link: atMs as a string', 'graph-link', () => mutate(linkOf(), (r) => (r.atMs = String(r.atMs)))],
      ['graph-link: a link without its pseudonym', 'graph-link', () => mutate(linkOf(), (r) => (r.links[0] = ['device']))],
      ['label: an unknown label', 'label', () => mutate(label(), (l) => (l.label = 'suspect'))],
      ['label: a time that is not RFC 3339', 'label', () => mutate(label(), (l) => (l.at = 'yesterday'))],
      [
        'dead-letter: a renamed header',
        'dead-letter',
        () => mutate(headersOf('INVALID_JSON'), (h) => ((h['dlq.error.reason'] = String(h['dlq.error.message'])), delete h['dlq.error.message'])),
      ],
      [
        'dead-letter: a retriable error dead-lettered',
        'dead-letter',
        () => mutate(headersOf('INVALID_JSON'), (h) => Object.assign(h, { 'dlq.error.code': 'REDIS_UNAVAILABLE', 'dlq.error.policy': 'retriable' })),
      ],
      ['dead-letter: a truncated value without its size', 'dead-letter', () => mutate(headersOf('OVERSIZED_RECORD'), (h) => delete h['dlq.value.bytes'])],
      ['dead-letter: an output refusal without its topic', 'dead-letter', () => mutate(headersOf('OUTPUT_TOO_LARGE'), (h) => delete h['dlq.output.topic'])],
    ];
    it.each(cases)('%s', (_, name, value) => {
      expect(contractErrors(name, value())).not.toEqual([]);
    });
  });

  it("the contracts use the code's vocabularies", () => {
    const defs = (name: Contract) => (contractSchema(name) as { $defs: Record<string, Record<string, unknown>> }).$defs;
    type Props = Record<string, { enum?: string[]; const?: unknown; properties?: Props; items?: { properties?: Props }; prefixItems?: { enum?: string[] }[] }>;
    const assessment = defs('assessment');
    const ringSummary = assessment.ringSummary?.properties as Props;
    expect(assessment.level?.enum).toEqual([...LEVELS]);
    expect((assessment.flag?.properties as Props).severity?.enum).toEqual([...SEVERITIES]);
    expect(ringSummary.binders?.items?.properties?.kind?.enum).toEqual([...IDENTIFIER_KINDS]);
    expect(ringSummary.binders?.items?.properties?.class?.enum).toEqual([...BINDER_CLASSES]);
    expect((contractSchema('alert').properties as Props).alertType?.enum).toEqual([...ALERT_TYPES]);
    expect((defs('alert').ringAlert?.properties as Props).event?.enum).toEqual([...RING_ALERT_EVENTS]);
    expect(((contractSchema('graph-link').properties as Props).links?.items as { prefixItems: { enum?: string[] }[] }).prefixItems[0]?.enum).toEqual([
      ...LINK_KINDS,
    ]);
    const poison = Object.entries(ERROR_CODES)
      .filter(([, policy]) => policy === 'poison')
      .map(([code]) => code);
    expect((defs('dead-letter').common?.properties as Props)['dlq.error.code']?.enum).toEqual(poison);
  });
});
