/** The identity graph: links as data, the store, and the analyses (pure functions over the graph). */
export { LINK_KINDS, DEFAULT_HUB_LIMITS, DEFAULT_WEAK_KINDS, appNode, flatString, fromGraphTime, isHub, linkWeight, toGraphTime, type HubLimits, type IdentifierKind, type LinkKind, type NodeKind } from './kinds.js';
export { identifierNode, linksFor, linkId, makeLink, type GraphLink } from './links.js';
export { IdentityGraph, type ChangeSet, type EdgeAttrs, type GraphStats, type LinkGraph, type NodeAttrs } from './identity-graph.js';
export { analyseApplication, emptyGraphFeatures, GRAPH_FEATURES, type GraphFeatures, type NeighbourhoodFindings, type NeighbourhoodOptions } from './neighbourhood.js';
export { sharedIdentifiers, type HubSkipped, type NeighbourhoodEvidence, type SharedIdentifier } from './neighbourhood-evidence.js';
export { detectRings, ringScore, type Ring, type RingBinder, type RingOptions } from './rings.js';
export { advanceBaseline, diffRings, type RingDiffOptions, type RingEvent, type RingEventType } from './ring-events.js';
