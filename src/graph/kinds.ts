/**
 * The vocabulary of the identity graph: link kinds (what an application says about itself), node kinds
 * (what a node is), their compact codes, and hub limits. Pure data, no graphology.
 */

/** What an application contributes a link for. `contact` points at a phone node. */
export const LINK_KINDS = ['device', 'ip', 'subnet', 'phone', 'email', 'nationalId', 'bankAccount', 'address', 'employer', 'contact'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** Node kinds: applications and identifiers. Contacts are phone nodes. */
export type IdentifierKind = Exclude<LinkKind, 'contact'>;
export type NodeKind = 'app' | IdentifierKind;

/** Identifier kinds in a fixed order: the store keeps a kind as its index here. */
export const IDENTIFIER_KINDS: readonly IdentifierKind[] = ['device', 'ip', 'subnet', 'phone', 'email', 'nationalId', 'bankAccount', 'address', 'employer'];
const KIND_INDEX = new Map(IDENTIFIER_KINDS.map((k, i) => [k, i]));
export const identifierKindIndex = (kind: IdentifierKind): number => KIND_INDEX.get(kind) as number;

export const APP_PREFIX = 'app:';

export const appNode = (applicationId: string): string => `${APP_PREFIX}${applicationId}`;

/**
 * A flat copy of a string. Keys built by concatenation are V8 cons strings (a tree of parts): kept for the
 * life of the graph, a 35-character key costs ~190 bytes as a cons string and ~56 flat (measured). Keys that
 * the graph retains are flattened once, when their link is built (links replayed from JSON are flat already).
 */
export const flatString = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');
export const isAppNode = (node: string): boolean => node.startsWith(APP_PREFIX);
export const applicationIdOf = (node: string): string => node.slice(APP_PREFIX.length);

export const nodeKindOfLink = (kind: LinkKind): IdentifierKind => (kind === 'contact' ? 'phone' : kind);

/** The node kind is the key's prefix (`device:dev_…` → device); keys are built only by `linksFor`/`appNode`. */
export function nodeKindOf(node: string): NodeKind {
  return node.slice(0, node.indexOf(':')) as NodeKind;
}

/** Per link kind, precomputed: its index, its bit in a kind mask, and its node kind's index (hot path). */
export interface LinkKindInfo {
  index: number;
  bit: number;
  nodeKind: number;
  /** the node key's prefix, `phone:` for a contact */
  prefix: string;
}

export const LINK_KIND_INFO: Readonly<Record<LinkKind, LinkKindInfo>> = Object.freeze(
  Object.fromEntries(
    LINK_KINDS.map((k, i) => {
      const node = k === 'contact' ? 'phone' : k;
      return [
        k,
        Object.freeze({
          index: i,
          bit: 1 << i,
          nodeKind: ['device', 'ip', 'subnet', 'phone', 'email', 'nationalId', 'bankAccount', 'address', 'employer'].indexOf(node),
          prefix: `${node}:`,
        }),
      ];
    }),
  ) as Record<LinkKind, LinkKindInfo>,
);

/** Bit of a link kind inside a kind mask: one application may use an identifier two ways (phone and contact). */
export const kindBit = (kind: LinkKind): number => LINK_KIND_INFO[kind].bit;

export function kindsOfMask(mask: number): LinkKind[] {
  return LINK_KINDS.filter((_, i) => (mask & (1 << i)) !== 0);
}

export function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

/**
 * Degree (distinct applications) above which an identifier is a hub: carrier-NAT IPs, switchboards, public
 * Wi-Fi, big employers, dormitory addresses. Hubs stay in the graph but are never traversed by the analyses.
 * Personal identifiers (device, bank account, phone/contact, email, national ID) get higher limits than network
 * and place identifiers: their sharing IS the signal (a mule account, a broker's phone given as everyone's
 * contact), and a ring must not dissolve the moment its bank account passes ten applicants.
 */
export type HubLimits = Readonly<Record<IdentifierKind, number>>;

export const DEFAULT_HUB_LIMITS: HubLimits = Object.freeze({
  device: 50,
  ip: 30,
  subnet: 50,
  phone: 30,
  email: 30,
  nationalId: 30,
  bankAccount: 50,
  address: 20,
  employer: 50,
});

export const isHub = (kind: IdentifierKind, degree: number, limits: HubLimits): boolean => degree > limits[kind];

/** FRAUDAR-style column weight: a link through a popular identifier says less than one through a rare one. */
export const linkWeight = (degree: number, c = 5): number => 1 / Math.log(degree + c);

/**
 * Times inside the graph are whole seconds since 2020-01-01T00:00:00Z: small integers that V8 stores inline
 * (a millisecond timestamp is a boxed double, 16 more bytes per field). Good until 2054.
 */
export const GRAPH_EPOCH_MS = Date.UTC(2020, 0, 1);
export const toGraphTime = (ms: number): number => Math.floor((ms - GRAPH_EPOCH_MS) / 1000);
export const fromGraphTime = (t: number): number => GRAPH_EPOCH_MS + t * 1000;

/** Identifier kinds that are counted when shared but never walked through: they link too many honest people. */
export const DEFAULT_WEAK_KINDS: readonly IdentifierKind[] = Object.freeze(['ip', 'subnet', 'employer']);
