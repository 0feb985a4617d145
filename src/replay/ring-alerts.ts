import type { RingAlert } from '../domain/alert.js';
import type { Assessment } from '../domain/assessment.js';
import type { OutputRecord } from '../pipeline/ports.js';

/** The ring alerts a replayed batch emitted, as the application ids they name and when (pure). */

/** A ring alert of a batch: the application ids it names, and when (event time). */
export interface RingNaming {
  applicationIds: Set<string>;
  atMs: number;
}

const RING_ALERT_PREFIX = '{"alertType":"ring"';

/**
 * The ring alerts among a batch's outputs. A ring alert goes out when the application that triggered
 * it is processed, so its time is that application's event time (not the wall-clock `detectedAt`, and
 * not the chunk's last event: the figures must not depend on --batch); failing that, the batch's latest
 * event time, then detectedAt.
 */
export function ringNamings(outputs: readonly OutputRecord[], alertsTopic: string, assessments: readonly Assessment[]): RingNaming[] {
  const namings: RingNaming[] = [];
  let eventTimes: Map<string, number> | undefined;
  for (const out of outputs) {
    if (out.topic !== alertsTopic) continue;
    const text = out.value.toString();
    if (!text.startsWith(RING_ALERT_PREFIX)) continue; // application alerts: the assessment, already counted
    const alert = JSON.parse(text) as RingAlert;
    eventTimes ??= new Map(assessments.map((a) => [a.applicationId, Date.parse(a.eventTime)]));
    const applicationIds = new Set([...alert.ring.members, ...alert.newMembers, ...alert.triggeredBy]);
    namings.push({ applicationIds, atMs: alertTime(alert, eventTimes) });
  }
  return namings;
}

function alertTime(alert: RingAlert, eventTimes: ReadonlyMap<string, number>): number {
  return latest(alert.triggeredBy.map((id) => eventTimes.get(id))) ?? latest(eventTimes.values()) ?? Date.parse(alert.detectedAt);
}

/** The largest of the defined, non-NaN times; null when there is none. */
function latest(times: Iterable<number | undefined>): number | null {
  let max: number | null = null;
  for (const t of times) if (t !== undefined && !Number.isNaN(t) && (max === null || t > max)) max = t;
  return max;
}
