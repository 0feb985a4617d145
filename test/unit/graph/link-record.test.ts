import { describe, expect, it } from 'vitest';
import { IdentityStore } from '../../../src/graph/store.js';
import { encodeLinkRecord, parseLinkRecord } from '../../../src/graph/link-record.js';
import { linksFor } from '../../../src/graph/links.js';
import { application, T0 } from './helpers.js';

const buf = (v: unknown): Buffer => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('link records', () => {
  it('round-trips an application link set exactly, in about a third of the legacy size', () => {
    const links = linksFor(application('a1', T0, { contacts: ['ph_friend', 'ph_other'] }));
    const compact = encodeLinkRecord('a1', links);
    expect(parseLinkRecord(buf(compact))).toEqual(links);
    const legacy = JSON.stringify({ applicationId: 'a1', links });
    expect(compact.length).toBeLessThan(legacy.length * 0.5);
  });

  it('still reads the legacy form (full link objects) that older versions wrote', () => {
    const links = linksFor(application('a2', T0));
    const legacy = links.map((l) => ({ ...l, id: `app:a2|${l.kind}|${l.node}`, app: 'app:a2' }));
    expect(parseLinkRecord(buf({ applicationId: 'a2', links: legacy }))).toEqual(links);
  });

  it('rebuilds the same graph from records as from the links themselves', () => {
    const apps = [application('a1', T0, { device: 'dev_shared' }), application('a2', T0 + 1000, { device: 'dev_shared' })];
    const direct = new IdentityStore();
    const replayed = new IdentityStore();
    for (const a of apps) direct.applyLinks(linksFor(a));
    for (const a of apps) replayed.applyLinks(parseLinkRecord(buf(encodeLinkRecord(a.applicationId, linksFor(a)))) as ReturnType<typeof linksFor>);
    expect(replayed.stats()).toEqual(direct.stats());
    const dev = (g: IdentityStore) => g.sharedOf('device:dev_shared');
    expect(replayed.members(dev(replayed))).toEqual(direct.members(dev(direct)));
  });

  it('gives a reason for anything else', () => {
    expect(parseLinkRecord(null)).toBe('empty value');
    expect(parseLinkRecord(buf('{nope'))).toBe('not JSON');
    expect(parseLinkRecord(buf({ applicationId: 'a1' }))).toMatch(/not an application link set/);
    expect(parseLinkRecord(buf({ applicationId: 'a1', atMs: T0, links: [['spaceship', 'x']] }))).toMatch(/not an application link set/);
    expect(parseLinkRecord(buf({ applicationId: 'a1', atMs: T0, links: [['device', 42]] }))).toMatch(/not an application link set/);
  });
});
