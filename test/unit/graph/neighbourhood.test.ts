import { describe, expect, it } from 'vitest';
import { analyseApplication } from '../../../src/graph/neighbourhood.js';
import { application, graphOf, MIN, ringOfEight, T0 } from './helpers.js';

const NOW = T0 + 30 * MIN;

describe('analyseApplication', () => {
  it('reports linked applications, identities, shared kinds and density for a ring member', () => {
    const g = graphOf(ringOfEight());
    const { features, evidence } = analyseApplication(g.graph, 'r0', { nowMs: NOW });
    expect(features).toMatchObject({
      'graph.linkedApps': 7,
      'graph.linkedIdentities': 7,
      'graph.sharedDevices': 1,
      'graph.sharedBankAccounts': 1,
      'graph.sharedPhones': 0,
      'graph.density': 1,
      'graph.knownFraudNearby': 0,
      'graph.knownFraudDistance': null,
      'graph.growth1h': 7,
      'graph.hubsSkipped': 0,
      'graph.truncated': false,
    });
    expect(evidence.shared.map((s) => [s.kinds, s.identities])).toEqual([[['bankAccount'], 7], [['device'], 3]]);
    expect(evidence.reasons[0]).toBe('bank account ba_r**** shared with 7 other identities');
  });

  it('does not walk through a hub and says which hub it skipped', () => {
    const apps = Array.from({ length: 200 }, (_, i) => application(`n${i}`, T0 + i, { ip: 'ip_cgnat' }));
    const { features, evidence } = analyseApplication(graphOf(apps).graph, 'n0', { nowMs: NOW });
    expect(features['graph.linkedApps']).toBe(0);
    expect(features['graph.hubsSkipped']).toBe(1);
    expect(evidence.hubs).toEqual([{ kind: 'ip', node: 'ip:ip_cgnat', masked: 'ip_c****', degree: 200 }]);
    expect(evidence.reasons).toContain('IP ip_c**** not followed: a hub shared by 200 applications');
  });

  it('reaches two application hops (via contact, then device) and not three', () => {
    // A –bank– B –device– C –contact– D
    const apps = [
      application('A', T0, { bank: 'ba_1' }),
      application('B', T0, { bank: 'ba_1', device: 'dev_1' }),
      application('C', T0, { device: 'dev_1', contacts: ['ph_9'] }),
      application('D', T0, { contacts: ['ph_9'] }),
    ];
    const g = graphOf(apps).graph;
    expect(analyseApplication(g, 'A', { nowMs: NOW }).features['graph.linkedApps']).toBe(2);
    expect(analyseApplication(g, 'A', { nowMs: NOW, maxHops: 3 }).features['graph.linkedApps']).toBe(3);
    expect(analyseApplication(g, 'D', { nowMs: NOW }).features).toMatchObject({ 'graph.linkedApps': 2, 'graph.sharedContacts': 1, 'graph.density': 0.667 });
  });

  it('stops at maxNodes and says so', () => {
    const apps = Array.from({ length: 10 }, (_, i) => application(`m${i}`, T0, { device: 'dev_m', address: 'adr_m', bank: 'ba_m' }));
    const { features, evidence } = analyseApplication(graphOf(apps).graph, 'm0', { nowMs: NOW, maxNodes: 6 });
    expect(features['graph.truncated']).toBe(true);
    expect(features['graph.linkedApps']).toBe(2); // 6 nodes: m0, 3 identifiers, 2 applications
    expect(features['graph.sharedDevices']).toBe(1); // the application's own identifiers are always counted
    expect(evidence.reasons.at(-1)).toMatch(/lower bounds/);
  });

  it('propagates known fraud with its distance, and a legit label clears it', () => {
    const apps = [application('X', T0, { device: 'dev_x' }), application('Y', T0, { device: 'dev_x', bank: 'ba_y' }), application('Z', T0, { bank: 'ba_y' })];
    const g = graphOf(apps);
    g.markLabel('Z', 'fraud', T0 + MIN);
    expect(analyseApplication(g.graph, 'X', { nowMs: NOW }).features).toMatchObject({ 'graph.knownFraudNearby': 1, 'graph.knownFraudDistance': 2 });
    g.markLabel('Y', 'fraud', T0 + MIN);
    const f = analyseApplication(g.graph, 'X', { nowMs: NOW });
    expect(f.features).toMatchObject({ 'graph.knownFraudNearby': 2, 'graph.knownFraudDistance': 1 });
    expect(f.evidence.reasons).toContain('device dev_**** shared with 1 other identity, 1 of them confirmed fraud');
    g.markLabel('Y', 'legit', T0 + 2 * MIN);
    g.markLabel('Z', 'legit', T0 + 2 * MIN);
    expect(analyseApplication(g.graph, 'X', { nowMs: NOW }).features).toMatchObject({ 'graph.knownFraudNearby': 0, 'graph.knownFraudDistance': null });
  });

  it('counts only applications that arrived within the growth window, and is empty for an unknown application', () => {
    const apps = [application('o', T0 - 5 * 60 * MIN, { device: 'dev_g' }), application('p', T0, { device: 'dev_g' }), application('q', T0 + MIN, { device: 'dev_g' })];
    expect(analyseApplication(graphOf(apps).graph, 'q', { nowMs: T0 + 2 * MIN }).features['graph.growth1h']).toBe(1);
    expect(analyseApplication(graphOf(apps).graph, 'nope', { nowMs: NOW }).features['graph.linkedApps']).toBe(0);
  });
});
