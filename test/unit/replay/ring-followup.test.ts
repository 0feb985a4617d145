import { describe, expect, it } from 'vitest';
import type { RingAlert } from '../../../src/domain/alert.js';
import type { Assessment, Level } from '../../../src/domain/assessment.js';
import type { OutputRecord } from '../../../src/pipeline/ports.js';
import { ringNamings } from '../../../src/replay/ring-alerts.js';
import { percentile, RingFollowUp } from '../../../src/replay/ring-followup.js';
import { SummaryAccumulator, type AssessedRecord, type TruthLabel } from '../../../src/replay/summary.js';

const T0 = Date.parse('2026-11-30T08:00:00Z');
const MIN = 60_000;

const rec = (id: string, level: Level, atMin: number, ...codes: string[]): AssessedRecord => ({
  applicationId: id,
  eventTime: new Date(T0 + atMin * MIN).toISOString(),
  level,
  flags: codes.map((code) => ({ code, severity: 'high', weight: 10, reason: code, evidence: {} })),
  rulesVersion: 'v1+abc',
});
const label = (fraud: boolean, pattern: string, ...tags: string[]): TruthLabel => ({
  kind: 'valid',
  truth: { fraud, pattern, ...(tags.length > 0 ? { tags } : {}) },
});

describe('percentile', () => {
  it('is the nearest-rank value of a histogram, null when empty', () => {
    expect(percentile(new Map(), 0.5)).toBeNull();
    const h = new Map([
      [30, 1],
      [0, 2],
      [10, 6],
      [240, 1],
    ]); // 0 0 10 10 10 10 10 10 30 240
    expect(percentile(h, 0.5)).toBe(10);
    expect(percentile(h, 0.9)).toBe(30);
    expect(percentile(h, 1)).toBe(240);
    expect(percentile(new Map([[7, 1]]), 0.9)).toBe(7);
  });
});

describe('RingFollowUp', () => {
  it('names a watched record once, with its delay in whole minutes, and forgets it', () => {
    const f = new RingFollowUp();
    f.watch('a', T0, { fraud: true, pattern: 'ring-chain', ringId: 'r1', tags: ['x'] });
    expect(f.waitingCount).toBe(1);
    expect(f.named('unknown', T0)).toBeUndefined();
    // The label comes back without the ring id (what the summary counts by).
    expect(f.named('a', T0 + 90 * MIN + 20_000)).toEqual({ fraud: true, pattern: 'ring-chain', tags: ['x'] });
    expect(f.named('a', T0 + 200 * MIN)).toBeUndefined();
    expect(f.waitingCount).toBe(0);
    expect(f.delays()).toEqual({ median: 90, p90: 90 });
  });

  it('counts a ring alert "before" the application (unsorted file) as no delay, and nothing named as no delays', () => {
    const f = new RingFollowUp();
    expect(f.delays()).toBeNull();
    f.watch('a', T0 + 10 * MIN, { fraud: true, pattern: 'p' });
    f.named('a', T0);
    expect(f.delays()).toEqual({ median: 0, p90: 0 });
  });
});

describe('SummaryAccumulator: ring alerts', () => {
  /** Three ring members (one alerted at assessment), a legit record, an unlabelled one and a malformed label. */
  function feed(acc: SummaryAccumulator): void {
    acc.assessment(rec('m1', 'low', 0), label(true, 'ring-chain', 'spree'));
    acc.assessment(rec('m2', 'critical', 10, 'RING_MEMBER'), label(true, 'ring-chain'));
    acc.assessment(rec('m3', 'medium', 20), label(true, 'ring-chain'));
    acc.assessment(rec('legit', 'low', 30), label(false, 'legit', 'family'));
    acc.assessment(rec('anon', 'low', 40));
    acc.assessment(rec('bad', 'low', 50), { kind: 'invalid', reason: 'x' });
    acc.assessment(rec('never', 'low', 60), label(true, 'ring-chain')); // never named
  }

  it('counts records not alerted at assessment once, when first named; alerted, unlabelled and unknown ones not at all', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'high', followRingAlerts: true });
    feed(acc);
    acc.ringAlert(['m1', 'm2', 'm3', 'anon', 'bad', 'elsewhere'], T0 + 60 * MIN); // m1 after 60 min, m3 after 40
    acc.ringAlert(['m1', 'm2', 'm3', 'legit'], T0 + 150 * MIN); // legit after 120 min; the others already counted
    const truth = acc.summary(1).truth;
    expect(truth?.patterns.map((p) => [p.pattern, p.records, p.caught, p.caughtLater])).toEqual([
      ['ring-chain', 4, 1, 2],
      ['legit', 1, 0, 1],
    ]);
    expect(truth?.tags.map((x) => [x.tag, x.caughtLater])).toEqual([
      ['family', 1],
      ['spree', 1],
    ]);
    // A legitimate record named by a ring alert is a false positive of the ring alerts.
    expect(truth?.withRingAlerts).toEqual({
      ringAlerts: 2,
      caughtLater: 3,
      tp: 3,
      fp: 1,
      fn: 1,
      tn: 0,
      precision: 3 / 4,
      recall: 3 / 4,
      delayMinutes: { median: 60, p90: 120 },
      notFollowed: 0,
    });
  });

  it('leaves every headline figure as it is without following ring alerts', () => {
    const followed = new SummaryAccumulator({ alertLevel: 'high', followRingAlerts: true });
    const plain = new SummaryAccumulator({ alertLevel: 'high' });
    for (const acc of [followed, plain]) {
      feed(acc);
      acc.ringAlert(['m1', 'm3', 'legit'], T0 + 60 * MIN);
    }
    const { truth: f, ...fRest } = followed.summary(1);
    const { truth: p, ...pRest } = plain.summary(1);
    expect(fRest).toEqual(pRest);
    expect(p?.withRingAlerts).toBeNull();
    expect(p?.patterns.every((x) => x.caughtLater === 0)).toBe(true);
    const headline = (t: typeof f) => ({
      ...t,
      withRingAlerts: null,
      patterns: t?.patterns.map((x) => ({ ...x, caughtLater: 0 })),
      tags: t?.tags.map((x) => ({ ...x, caughtLater: 0 })),
    });
    expect(headline(f)).toEqual(headline(p));
    expect(f?.confusion).toEqual({ tp: 1, fp: 0, fn: 3, tn: 1 });
  });

  it('with no record named: the same precision and recall, no delay', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'high', followRingAlerts: true });
    feed(acc);
    acc.ringAlert(['m2', 'anon'], T0);
    const truth = acc.summary(1).truth;
    expect(truth?.withRingAlerts).toMatchObject({ ringAlerts: 1, caughtLater: 0, tp: 1, fn: 3, precision: truth?.precision, recall: truth?.recall });
    expect(truth?.withRingAlerts?.delayMinutes).toBeNull();
  });

  it('cannot follow a labelled record without an application id or event time (counted as not followed)', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'high', followRingAlerts: true });
    acc.assessment({ level: 'low', flags: [], rulesVersion: 'v1' }, label(true, 'ring-chain'));
    expect(acc.summary(1).truth?.withRingAlerts?.notFollowed).toBe(1);
  });
});

describe('ringNamings', () => {
  const assessment = (id: string, atMin: number): Assessment => ({ applicationId: id, eventTime: new Date(T0 + atMin * MIN).toISOString() }) as Assessment;
  const ring = (triggeredBy: string[], members: string[], newMembers: string[]): OutputRecord => {
    const value = {
      alertType: 'ring',
      event: 'grew',
      ringId: 'ring:x',
      pattern: 'ring',
      detectedAt: '2030-01-01T00:00:00.000Z',
      triggeredBy,
      previousSize: 3,
      newMembers,
      reason: '…',
      ring: { members, membersListed: members.length },
    } as unknown as RingAlert;
    return { topic: 'fraud.alerts', key: 'ring:x', value: JSON.stringify(value) };
  };

  it('reads the ring alerts of a batch: the ids they name, at the event time of the application that triggered them', () => {
    const outputs: OutputRecord[] = [
      { topic: 'fraud.assessments', key: 'c', value: '{"schemaVersion":1}' },
      { topic: 'fraud.alerts', key: 'c', value: '{"alertType":"application","applicationId":"c"}' },
      ring(['c'], ['a', 'b'], ['b', 'c']),
      { topic: 'other', key: 'ring:y', value: Buffer.from(JSON.stringify({ alertType: 'ring' })) },
    ];
    const namings = ringNamings(outputs, 'fraud.alerts', [assessment('b', 5), assessment('c', 7), assessment('d', 9)]);
    expect(namings).toEqual([{ applicationIds: new Set(['a', 'b', 'c']), atMs: T0 + 7 * MIN }]);
  });

  it('falls back to the latest event time of the batch, then to detectedAt', () => {
    const orphan = [ring(['gone'], ['a'], [])];
    expect(ringNamings(orphan, 'fraud.alerts', [assessment('b', 5), assessment('d', 9)])[0]?.atMs).toBe(T0 + 9 * MIN);
    expect(ringNamings(orphan, 'fraud.alerts', [])[0]?.atMs).toBe(Date.parse('2030-01-01T00:00:00.000Z'));
  });
});
