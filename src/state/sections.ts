import type { Sighting } from '../features/sightings.js';
import type { ApplicationState, ApplicationStateResult, StateRequest } from '../pipeline/ports.js';
import type { KeyBuilder } from './keys.js';

/**
 * What the state scripts take and give back, as plain data (pure): the window lists of a request, one
 * application's keys on one node as an apply.lua section, and the section's answer put back in the
 * application's counter and sighting order.
 */

/** The window lists of a request as the script takes them: list 0 is the default one. */
export interface WindowLists {
  ownerMs: number;
  /** L, then each list as its length and its window lengths. */
  args: number[];
  lengths: number[];
  /** A counter's list index (0-based). */
  indexOf(spec: string): number;
}

export function windowLists({ windowsMs, counterWindowsMs = {} }: StateRequest): WindowLists {
  const lists: (readonly number[])[] = [windowsMs];
  const bySpec = new Map<string, number>();
  for (const [spec, list] of Object.entries(counterWindowsMs)) {
    let i = lists.findIndex((l) => l.join() === list.join());
    if (i < 0) i = lists.push(list) - 1;
    bySpec.set(spec, i);
  }
  return {
    ownerMs: Math.max(...windowsMs),
    args: [lists.length, ...lists.flatMap((l) => [l.length, ...l])],
    lengths: lists.map((l) => l.length),
    indexOf: (spec) => bySpec.get(spec) ?? 0,
  };
}

/** One application's keys on one node: which counters and sighting targets, the node, and the script's arguments. */
export interface Section {
  app: number;
  node: string;
  /** The first key: routes the call on a cluster. */
  key: string;
  counters: number[];
  sightings: number[];
  args: (string | number)[];
}

/**
 * An application's sections, one per node its keys are on. On a single Redis (`owner` set) it is one section,
 * even with no keys, and it carries the application's owner key: apply.lua settles the duplicate check and the
 * counting in one call. On a cluster the owner key is on its own node, settled before by owners.lua.
 */
export function sectionsOf(
  app: ApplicationState,
  index: number,
  keys: KeyBuilder,
  windows: WindowLists,
  nodeOf: (key: string) => string,
  owner = false,
): Section[] {
  const byNode = new Map<string, { counters: number[]; sightings: number[]; windowKeys: string[]; sightingKeys: string[] }>();
  const at = (key: string) => {
    const node = nodeOf(key);
    let g = byNode.get(node);
    if (!g) byNode.set(node, (g = { counters: [], sightings: [], windowKeys: [], sightingKeys: [] }));
    return g;
  };
  app.counters.forEach((c, i) => {
    const key = keys.velocity(c.spec, c.entity);
    const g = at(key);
    g.counters.push(i);
    g.windowKeys.push(key);
  });
  if (app.sighting) {
    app.sightingTargets.forEach((s, i) => {
      const key = keys.sighting(s.kind, s.entity);
      const g = at(key);
      g.sightings.push(i);
      g.sightingKeys.push(key);
    });
  }
  const sighting = app.sighting ? JSON.stringify(app.sighting) : '';
  const ownerKey = owner ? keys.application(app.applicationId) : '';
  if (owner && byNode.size === 0) at(ownerKey);
  return [...byNode].map(([node, g]) => {
    const counters = g.counters.map((i) => app.counters[i] as ApplicationState['counters'][number]);
    return {
      app: index,
      node,
      key: g.windowKeys[0] ?? g.sightingKeys[0] ?? ownerKey,
      counters: g.counters,
      sightings: g.sightings,
      args: [
        counters.length,
        g.sightingKeys.length,
        app.atMs,
        app.applicationId,
        sighting,
        ownerKey,
        owner ? app.source : '',
        ...g.windowKeys,
        ...counters.map((c) => c.member),
        ...counters.map((c) => c.windowMask),
        ...counters.map((c) => windows.indexOf(c.spec) + 1),
        ...g.sightingKeys,
      ],
    };
  });
}

function parseSighting(value: unknown): Sighting | null {
  return typeof value === 'string' && value !== '' ? (JSON.parse(value) as Sighting) : null;
}

/**
 * The source that owned the application id before this record (an owner key's previous value: '' when this record
 * took it), when that is another record's: a duplicate. The same record again is a retry, counted as itself.
 */
export function duplicateOf(prior: unknown, app: ApplicationState): string | undefined {
  return typeof prior === 'string' && prior !== '' && prior !== app.source ? prior : undefined;
}

/** An empty result for an application that is not a duplicate, to be filled by its sections. */
export function emptyResult(app: ApplicationState): ApplicationStateResult {
  return { counts: new Array<number[]>(app.counters.length), previous: app.sighting ? new Array<Sighting | null>(app.sightingTargets.length) : [] };
}

/**
 * Puts one section's answer back in the application's counter and sighting order. The answer starts with the
 * source that owned the application id before ('' when this record took it, or no owner key was checked).
 */
export function scatter(result: ApplicationStateResult, section: Section, flat: readonly unknown[], app: ApplicationState, windows: WindowLists): void {
  let at = 1;
  for (const i of section.counters) {
    const width = windows.lengths[windows.indexOf((app.counters[i] as { spec: string }).spec)] as number;
    result.counts[i] = flat.slice(at, at + width) as number[];
    at += width;
  }
  for (const i of section.sightings) result.previous[i] = parseSighting(flat[at++]);
}
