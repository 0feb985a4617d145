import { makeDevice } from './devices.js';
import { makeAddress, makeBankCard, makeMobile } from './identity.js';
import { applicantOf, CITY_TABLE, gpsNear, ipIn, makeFraudLoan } from './people.js';
import { Rng } from './prng.js';
import { bought, toRecord } from './records.js';
import type { GeneratedApplication, GroundTruth } from './types.js';

/**
 * A graph bomb: `count` bought identities, each with its own device, phone, bank card and residential IP, chained
 * into one connected component through shared addresses and contacts. Applications 2k and 2k+1 give the same
 * address; application i lists contact numbers c_i and c_(i+1), so i and i+1 share one. Nothing else is shared, so
 * every per-record rule sees a clean applicant while an identity graph sees one ever-growing component (a stress
 * test for component size limits, not a realistic fraud shape).
 */

export interface GraphBombOptions {
  seed: string | number;
  /** Applications (= identities). Default 10,000. */
  count?: number;
  /** Event time of the first application. */
  startMs: number;
  /** Event-time span. Default 1 h. */
  durationMs?: number;
  /** applicationId prefix. Default derived from the seed. */
  idPrefix?: string;
}

export function* generateGraphBomb(opts: GraphBombOptions): Generator<GeneratedApplication> {
  const count = opts.count ?? 10_000;
  const duration = Math.max(1, opts.durationMs ?? 3_600_000);
  if (!Number.isInteger(count) || count < 0) throw new Error('bomb count must be a non-negative integer');
  const rng = new Rng(`lendguard-bomb:${String(opts.seed)}`);
  const idPrefix = opts.idPrefix ?? `bomb-${rng.fork('id').hex(6)}`;
  const truth: GroundTruth = { fraud: true, pattern: 'graph-bomb', ringId: `bomb-${rng.hex(8)}` };
  // Event times: sorted uniforms generated in order (order statistics), O(1) memory.
  let x = 0;
  let next = makeMobile(rng); // c_0
  let address = '';
  let city = CITY_TABLE.pick(rng);
  for (let i = 0; i < count; i++) {
    x += (1 - x) * (1 - rng.next() ** (1 / (count - i)));
    const t = opts.startMs + x * duration;
    if (i % 2 === 0) {
      city = CITY_TABLE.pick(rng);
      address = makeAddress(rng, city.city, city.province);
    }
    const p = bought(rng, t, city);
    p.bankAccount = makeBankCard(rng);
    p.address = address;
    const current = next;
    next = makeMobile(rng);
    p.contacts = [current, next];
    const device = makeDevice(rng, { platform: rng.chance(0.8) ? 'android' : 'ios' });
    const where = { ip: ipIn(rng, rng.pick(city.prefixes)), ...(rng.chance(0.7) ? { gps: gpsNear(rng, city.lat, city.lon, 5) } : {}) };
    yield toRecord(`${idPrefix}-${String(i + 1).padStart(9, '0')}`, { t, loan: makeFraudLoan(rng), applicant: applicantOf(rng, p), device, where, truth });
  }
}

/** Merges two event-time-ordered streams (ties: `a` first). */
export function* mergeByTime(a: Iterator<GeneratedApplication>, b: Iterator<GeneratedApplication>): Generator<GeneratedApplication> {
  let x = a.next();
  let y = b.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && x.value.eventTime <= y.value.eventTime)) {
      yield x.value as GeneratedApplication;
      x = a.next();
    } else {
      yield y.value;
      y = b.next();
    }
  }
}
