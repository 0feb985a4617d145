import type { LinkKind, NodeKind } from './kinds.js';

/** Results of the identity store's writes, and its size. */

export interface ChangeSet {
  /** links that added a link kind to the graph (new links) */
  added: number;
  /** links already known (only their times may have widened) */
  known: number;
  /** identifiers that became shared by a second application */
  promoted: number;
  /** application ids whose shared identifiers changed */
  changedApps: string[];
}

export interface GraphStats {
  /** logical nodes by kind: applications, and identifiers (solos included) */
  nodes: Partial<Record<NodeKind, number>>;
  links: Partial<Record<LinkKind, number>>;
  applications: number;
  /** identifiers used by two or more applications */
  sharedIdentifiers: number;
  /** identifiers used by one application */
  solos: number;
  fraudMarked: number;
  /** bytes of the typed arrays (hash table and link pool) */
  tableBytes: number;
}
