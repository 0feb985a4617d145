import { describe, expect, it } from 'vitest';
import type { AlertRow } from '../../../../src/console/alert-row.js';
import { buildRingView, ringMemberIds } from '../../../../src/console/api/ring-graph.js';
import { decodeAlert } from '../../../../src/console/decode-alert.js';
import type { AlertSummary, Label, RingAlertRecord } from '../../../../src/console/store/index.js';
import { syntheticAlert } from '../../../helpers/console-alerts.js';

const START = Date.parse('2026-10-01T00:00:00.000Z');

/** What the store would answer for generator alert `i` (id = i + 1). */
function record(i: number): RingAlertRecord {
  const a = syntheticAlert('rg', i, START);
  const d = decodeAlert({ source: { topic: 't', partition: 0, offset: String(i) }, key: a.key, value: Buffer.from(a.value) });
  const row = (d as { row: AlertRow }).row;
  const alert: AlertSummary = {
    id: String(i + 1),
    kind: row.kind,
    applicationId: row.applicationId,
    ringId: row.ringId,
    ringEvent: row.ringEvent,
    level: row.level,
    score: row.score,
    partnerId: row.partnerId,
    ipCountry: row.ipCountry,
    ipRegion: row.ipRegion,
    ipClass: row.ipClass,
    ruleCodes: row.ruleCodes,
    eventTime: row.eventTime,
    detectedAt: row.detectedAt,
    label: null,
  };
  const payload = a.alert;
  return { alert, ring: payload.alertType === 'ring' ? payload : null, subject: payload.alertType === 'application' ? payload.subject : null };
}

/** ring rg-r1 as the store lists it (newest first): tagged application alerts i % 100 < 3, ring alerts i % 20 === 19. */
const ringRecords = (): RingAlertRecord[] =>
  Array.from({ length: 1000 }, (_, k) => 1000 + k)
    .filter((i) => i % 100 < 3 || i % 20 === 19)
    .map(record)
    .reverse();

const label = (applicationId: string, value: 'fraud' | 'legit'): Label => ({
  id: '1',
  applicationId,
  label: value,
  note: null,
  author: 'ana',
  createdAt: '2026-10-02T00:00:00.000Z',
});

describe('ring view', () => {
  it('lists members from ring alerts (join order) and tagged application alerts, and its history oldest first', () => {
    const records = ringRecords();
    const ids = ringMemberIds(records);
    expect(ids.slice(0, 2)).toEqual(['rg-001998', 'rg-001997']);
    expect(ids).toHaveLength(130);
    const view = buildRingView('ring:rg-r1', { records, memberAlerts: [], labels: new Map(), maxNodes: 2000 });
    expect(view.history).toHaveLength(50);
    expect((view.history[0]?.detectedAt ?? '') < (view.history.at(-1)?.detectedAt ?? '')).toBe(true);
    expect(view.ring).toMatchObject({ id: 'ring:rg-r1', alertId: '2000', event: 'grew' });
    // members named only by ring alerts have no alert of their own here (not tagged): no alert, no identifiers
    expect(view.limits.membersWithoutAlert).toBe(100);
  });

  it('binds members through shared pseudonyms with the masked form and kind, and marks known fraud', () => {
    const records = ringRecords();
    const memberAlerts = [1017, 1018, 1037, 1038].map(record);
    const labels = new Map([
      ['rg-001000', label('rg-001000', 'fraud')],
      ['rg-001001', label('rg-001001', 'legit')],
    ]);
    const view = buildRingView('ring:rg-r1', { records, memberAlerts, labels, maxNodes: 2000 });
    const node = (id: string) => view.nodes.find((n) => n.id === id);
    expect(node('application:rg-001000')).toMatchObject({ kind: 'application', knownFraud: true, label: 'fraud', alertId: '1001' });
    expect(node('application:rg-001001')).toMatchObject({ knownFraud: false, label: 'legit' });
    expect(node('identifier:ph_rg500')).toEqual({ id: 'identifier:ph_rg500', kind: 'identifier', binder: 'phone', masked: '139****0500', members: 2 });
    expect(view.edges.filter((e) => e.target === 'identifier:ph_rg500')).toEqual([
      { source: 'application:rg-001000', target: 'identifier:ph_rg500', kind: 'phone' },
      { source: 'application:rg-001001', target: 'identifier:ph_rg500', kind: 'phone' },
    ]);
    // 1017 (device farm 1) shares with 1001; 1018 (farm 2) with 1002: found through their own latest alerts
    expect(view.edges.some((e) => e.source === 'application:rg-001017' && e.target === 'identifier:dev_rgfarm1')).toBe(true);
    // identifiers of one member only are not drawn
    expect(node('identifier:nid_rg1000')).toBeUndefined();
    expect(view.limits.truncated).toBe(false);
    const ids = new Set(view.nodes.map((n) => n.id));
    expect(view.edges.every((e) => ids.has(e.source) && ids.has(e.target))).toBe(true);
  });

  it('draws at most maxNodes nodes and says it cut', () => {
    const view = buildRingView('ring:rg-r1', { records: ringRecords(), memberAlerts: [], labels: new Map(), maxNodes: 20 });
    expect(view.nodes.length).toBeLessThanOrEqual(20);
    expect(view.limits).toMatchObject({ truncated: true, maxNodes: 20, members: 130 });
    expect(view.members).toHaveLength(15);
    const ids = new Set(view.nodes.map((n) => n.id));
    expect(view.edges.every((e) => ids.has(e.source) && ids.has(e.target))).toBe(true);
  });
});
