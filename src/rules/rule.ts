import type { EvidenceValue } from '../domain/assessment.js';

/** What rules read: flat, named values (velocity counts, enrichment results, SDK signals). */
export type Features = Readonly<Record<string, EvidenceValue | undefined>>;
