/**
 * Alert output types: what goes to fraud.alerts. Contract: contracts/alert.schema.json (one of the two
 * shapes below, told apart by `alertType`, which is always the first property).
 */
import type { Assessment, RingSummary } from './assessment.js';

export const ALERT_TYPES = ['application', 'ring'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** An application at or above `scoring.alertLevel`: its assessment, unchanged, with `alertType` first. Keyed by applicationId. */
export type ApplicationAlert = { alertType: 'application' } & Assessment;

/** Why a ring is reported: it formed, grew enough, or was first linked to confirmed fraud. Once per change. */
export const RING_ALERT_EVENTS = ['formed', 'grew', 'touched-known-fraud'] as const;
export type RingAlertEvent = (typeof RING_ALERT_EVENTS)[number];

/** The ring as a ring alert describes it: the assessment's summary and its members. */
export interface RingAlertDetail extends RingSummary {
  /** FRAUDAR-weighted binding evidence */
  evidence: number;
  strongBinders: number;
  /** application ids in join order, at most `membersListed` of them */
  members: string[];
  membersListed: number;
  firstSeen: string;
  lastSeen: string;
}

/** A ring change. Keyed by ringId. */
export interface RingAlert {
  alertType: 'ring';
  event: RingAlertEvent;
  ringId: string;
  pattern: RingSummary['pattern'];
  detectedAt: string;
  /** the application(s) whose arrival caused the change */
  triggeredBy: string[];
  /** the size last reported; null when the ring formed */
  previousSize: number | null;
  newMembers: string[];
  /** one sentence for the analyst */
  reason: string;
  ring: RingAlertDetail;
}

export type Alert = ApplicationAlert | RingAlert;

/** The application alert as a value (the reference form of `applicationAlertJson`). */
export function applicationAlert(assessment: Assessment): ApplicationAlert {
  return { alertType: 'application', ...assessment };
}

/**
 * `JSON.stringify(applicationAlert(a))` from `JSON.stringify(a)`, without serialising the assessment twice:
 * the alert is the assessment's JSON object with `"alertType":"application"` spliced in as its first member.
 * `assessmentJson` must be `JSON.stringify` of an `Assessment` (a non-empty object); the result is then an
 * `ApplicationAlert`, byte for byte what the reference form gives (test/unit/domain/contracts.test.ts).
 */
export function applicationAlertJson(assessmentJson: string): string {
  return `{"alertType":"application",${assessmentJson.slice(1)}`;
}
