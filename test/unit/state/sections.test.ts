import { describe, expect, it } from 'vitest';
import type { ApplicationState } from '../../../src/pipeline/ports.js';
import { createKeyBuilder } from '../../../src/state/keys.js';
import { chunksByNode } from '../../../src/state/round.js';
import { duplicateOf, emptyResult, scatter, sectionsOf, windowLists } from '../../../src/state/sections.js';
import { hashedPart, keySlot } from '../../../src/state/slot.js';

const app: ApplicationState = {
  applicationId: 'a1',
  source: 'in/0/1',
  atMs: 1000,
  counters: [
    { spec: 'device.apps', entity: 'd1', member: 'a1', windowMask: 0b1 },
    { spec: 'identity.partners', entity: 'n1', member: 'p1', windowMask: 0b111 },
    { spec: 'ip.apps', entity: 'i1', member: 'a1', windowMask: 0b11 },
  ],
  sightingTargets: [
    { kind: 'device', entity: 'd1' },
    { kind: 'identity', entity: 'n1' },
  ],
  sighting: { app: 'a1', at: 1000, lat: 1, lon: 2, acc: 1 },
};
const windows = windowLists({ windowsMs: [60_000, 3_600_000], counterWindowsMs: { 'identity.partners': [1, 2, 3] }, applications: [app] });

describe('state script sections', () => {
  it('puts every key of a single Redis in one section, and the answer back in counter and sighting order', () => {
    const keys = createKeyBuilder('lg:');
    const [only, ...rest] = sectionsOf(app, 0, keys, windows, () => '');
    expect(rest).toEqual([]);
    expect(only?.args.slice(0, 7)).toEqual([3, 2, 1000, 'a1', JSON.stringify(app.sighting), '', '']);
    expect(only?.args.slice(7, 10)).toEqual(['lg:v:device.apps:d1', 'lg:v:identity.partners:n1', 'lg:v:ip.apps:i1']);
    expect(only?.args.slice(-2)).toEqual(['lg:s:device:d1', 'lg:s:identity:n1']);
    const result = emptyResult(app);
    scatter(result, only!, ['', 1, -1, 1, 2, 3, 4, 5, '', JSON.stringify({ app: 'a0', at: 1 })], app, windows);
    expect(result).toEqual({
      counts: [
        [1, -1],
        [1, 2, 3],
        [4, 5],
      ],
      previous: [null, { app: 'a0', at: 1 }],
    });
  });

  it('splits an application by node on a cluster, each entity whole, and scatters each part to its place', () => {
    const keys = createKeyBuilder('lg:', { hashTags: true });
    const node = (key: string) => (hashedPart(key) === 'n1' ? 'B' : 'A');
    const sections = sectionsOf(app, 4, keys, windows, node);
    expect(sections.map((s) => [s.node, s.counters, s.sightings])).toEqual([
      ['A', [0, 2], [0]],
      ['B', [1], [1]],
    ]);
    expect(sections[1]?.key).toBe('lg:v:identity.partners:{n1}');
    expect(keySlot('lg:v:identity.partners:{n1}')).toBe(keySlot('lg:s:identity:{n1}'));
    const result = emptyResult(app);
    scatter(result, sections[1]!, ['', 7, 8, 9, ''], app, windows);
    scatter(result, sections[0]!, ['', 1, -1, 2, 3, ''], app, windows);
    expect(result).toEqual({
      counts: [
        [1, -1],
        [7, 8, 9],
        [2, 3],
      ],
      previous: [null, null],
    });
  });

  it('carries the owner key on a single Redis, in one section even without keys, and reads a duplicate', () => {
    const keys = createKeyBuilder('lg:');
    const [only] = sectionsOf(app, 0, keys, windows, () => '', true);
    expect(only?.args.slice(5, 7)).toEqual(['lg:a:a1', 'in/0/1']);
    const bare: ApplicationState = { ...app, counters: [], sightingTargets: [], sighting: null };
    const sections = sectionsOf(bare, 3, keys, windows, () => '', true);
    expect(sections).toHaveLength(1);
    expect(sections[0]).toMatchObject({ app: 3, key: 'lg:a:a1', counters: [], sightings: [] });
    expect(sections[0]?.args).toEqual([0, 0, 1000, 'a1', '', 'lg:a:a1', 'in/0/1']);
    expect(duplicateOf('in/0/0', app)).toBe('in/0/0');
    expect(duplicateOf('in/0/1', app)).toBeUndefined(); // its own source: a retry, counted as itself
    expect(duplicateOf('', app)).toBeUndefined();
  });

  it('groups by node in first-seen order and cuts chunks', () => {
    expect(chunksByNode([1, 2, 3, 4, 5, 6, 7], (n) => (n % 2 ? 'odd' : 'even'), 2)).toEqual([[1, 3], [5, 7], [2, 4], [6]]);
  });
});
