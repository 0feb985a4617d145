/** The identity graph: links as data, the store, the binding and ring analyses (pure), and the service. */
export { LINK_KINDS, IDENTIFIER_KINDS, DEFAULT_HUB_LIMITS, DEFAULT_WEAK_KINDS, fromGraphTime, isHub, linkWeight, toGraphTime, type HubLimits, type IdentifierKind, type LinkKind, type NodeKind } from './kinds.js';
export { identifierNode, linksFor, makeLink, type GraphLink } from './links.js';
export { IdentityStore, MEMBER_CAP } from './store.js';
export type { ChangeSet, GraphStats } from './model.js';
export { bindingOf, BINDER_CLASSES, DEFAULT_CLASS_WEIGHTS, type BinderClass, type Binding, type BindingOptions, type Neighbour } from './binding.js';
export { GroupRegistry, type Group } from './groups.js';
export { neighbourhoodOf, emptyGraphFeatures, GRAPH_FEATURES, type GraphFeatures, type NeighbourhoodFindings } from './neighbourhood.js';
export type { HubSkipped, NeighbourhoodEvidence, SharedIdentifier } from './neighbourhood-evidence.js';
export { DEFAULT_RING_CRITERIA, isBurst, isRing, ringScore, type Ring, type RingBinder, type RingCriteria, type RingWithMembers } from './rings.js';
export { diffRing, type RingDiffOptions, type RingEvent, type RingEventType, type RingState } from './ring-events.js';
export { GraphService, type GraphObservation, type GraphSettings } from './graph-service.js';
