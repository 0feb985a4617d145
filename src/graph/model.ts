import type { UndirectedGraph } from 'graphology';
import type { LinkKind, NodeKind } from './kinds.js';

/** The identity graph's data model: attribute layouts (kept minimal: small integers and short strings) and results. */

/** Node attributes. Kind is the key's prefix. Times are graph times (`toGraphTime`: seconds since 2020). */
export interface NodeAttrs {
  /** first / last seen */
  f: number;
  l: number;
  /** masked display form (identifiers) */
  m?: string;
  /** applications: their national ID node */
  nid?: string;
  /** applications: fraud-labelled at (absent = not marked) and time of the latest label, fraud or legit */
  fr?: number;
  lt?: number;
}

/** Edge attributes: `k` is a bit mask of link kinds (phone and contact may share one edge), `c` its link count. */
export interface EdgeAttrs {
  k: number;
  f: number;
  l: number;
  c: number;
}

export type LinkGraph = UndirectedGraph<NodeAttrs, EdgeAttrs>;

export interface ChangeSet {
  /** links that added a link kind to the graph (new link ids) */
  added: number;
  /** links already known (only their times may have widened) */
  known: number;
  /** identifiers that became shared by a second application */
  promoted: number;
  /** application ids whose graph edges changed: the seeds of incremental analysis */
  changedApps: string[];
}

export interface GraphStats {
  /** logical nodes by kind, including identifiers still held as solos */
  nodes: Partial<Record<NodeKind, number>>;
  links: Partial<Record<LinkKind, number>>;
  graphNodes: number;
  graphEdges: number;
  solos: number;
  fraudMarked: number;
}
