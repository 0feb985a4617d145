import { APP_PREFIX, LINK_KINDS, nodeKindOfLink, type LinkKind } from './kinds.js';
import { makeLink, type GraphLink } from './links.js';

/**
 * The record of one application on the link topic (`fraud.graph-links`, compacted, keyed by
 * application id). Compact form, one triple per link:
 *
 *   {"applicationId":"A1","atMs":1767225600000,"links":[["device","dev_…","de****"],["contact","ph_…","138****5678"],…]}
 *
 * The app node, node key and link id are derived on read. This is about a third of the size of the
 * earlier form, a list of full link objects ({id, app, node, kind, atMs, masked}), which is still
 * read, so a compacted topic written by an older version replays.
 */
export type LinkTriple = [kind: LinkKind, pseudonymId: string, masked?: string];

export interface LinkRecord {
  applicationId: string;
  atMs: number;
  links: LinkTriple[];
}

/** The header that names the instance which produced a record: its own records it skips on replay. */
export const ORIGIN_HEADER = 'lendguard-origin';

const KINDS = new Set<string>(LINK_KINDS);
const KIND_PREFIX_LENGTH = new Map(LINK_KINDS.map((k) => [k, nodeKindOfLink(k).length + 1]));

/** Encodes one application's links (all of them share the app and the time, as `linksFor` builds them). */
export function encodeLinkRecord(applicationId: string, links: readonly GraphLink[]): string {
  const record: LinkRecord = {
    applicationId,
    atMs: links[0]?.atMs ?? 0,
    links: links.map((l) => {
      const id = l.node.slice(KIND_PREFIX_LENGTH.get(l.kind));
      return l.masked === undefined ? [l.kind, id] : [l.kind, id, l.masked];
    }),
  };
  return JSON.stringify(record);
}

interface LegacyLink {
  id: string;
  app: string;
  node: string;
  kind: LinkKind;
  atMs: number;
  masked?: string;
}

const isLegacyLink = (l: Partial<LegacyLink>): l is LegacyLink =>
  typeof l.id === 'string' && typeof l.app === 'string' && typeof l.node === 'string' && KINDS.has(l.kind as string) && typeof l.atMs === 'number';

/** The earlier form: full link objects naming the application node (`app:<id>`) and the node key. */
function legacyRecord(applicationId: string, links: readonly LegacyLink[]): LinkRecord {
  const triples = links.map((l): LinkTriple => {
    const id = l.node.slice(l.node.indexOf(':') + 1);
    return typeof l.masked === 'string' ? [l.kind, id, l.masked] : [l.kind, id];
  });
  return {
    applicationId: links[0]?.app.startsWith(APP_PREFIX) ? links[0].app.slice(APP_PREFIX.length) : applicationId,
    atMs: links[0]?.atMs ?? 0,
    links: triples,
  };
}

const isTriple = (l: unknown): l is LinkRecord['links'][number] =>
  Array.isArray(l) && KINDS.has(l[0] as string) && typeof l[1] === 'string' && (l[2] === undefined || typeof l[2] === 'string');

function fromTriples(applicationId: string, atMs: number, triples: LinkRecord['links']): GraphLink[] {
  return triples.map(([kind, id, masked]) => makeLink(applicationId, kind, { id, masked }, atMs));
}

/** Parses one record of the link topic (either form); a reason when it is not one. */
export function parseLinkRecord(value: Buffer | null): GraphLink[] | string {
  const r = readLinkRecord(value);
  return typeof r === 'string' ? r : fromTriples(r.applicationId, r.atMs, r.links);
}

/** The record as triples (the legacy form converted), for `IdentityStore.applyRecord`; a reason when it is not one. */
export function readLinkRecord(value: Buffer | null): LinkRecord | string {
  if (!value) return 'empty value';
  let r: { applicationId?: unknown; atMs?: unknown; links?: unknown };
  try {
    r = JSON.parse(value.toString('utf8')) as typeof r;
  } catch {
    return 'not JSON';
  }
  const expected = 'not an application link set ({applicationId, atMs, links: [[kind, id, masked?]…]})';
  if (typeof r.applicationId !== 'string' || !Array.isArray(r.links)) return expected;
  const links = r.links as unknown[];
  if (typeof r.atMs === 'number' && links.every(isTriple)) return { applicationId: r.applicationId, atMs: r.atMs, links };
  if (links.length > 0 && links.every((l) => typeof l === 'object' && l !== null && isLegacyLink(l as Partial<LegacyLink>)))
    return legacyRecord(r.applicationId, links as LegacyLink[]);
  return expected;
}
