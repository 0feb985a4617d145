/**
 * The burst: synthetic alerts (test/helpers/console-alerts.ts) sent by a timer, one batch of rate/10 alerts every
 * 100 ms, each record's timestamp its send time. Alert i goes to partition i % partitions, so that each stored row's
 * source (partition, offset) names the send it came from (offsets from the broker's answer).
 */
import { Partitioners, type Kafka } from 'kafkajs';
import { syntheticAlerts } from '../../test/helpers/console-alerts.js';
import { sleep } from '../harness.js';
import { summarise } from '../lib.js';

export const TICK_MS = 100;

export interface BurstResult {
  sent: number;
  startedAt: number;
  /** when the last batch was handed to the producer (its records' timestamp) */
  lastSendAt: number;
  /** when the broker acknowledged the last batch */
  lastAckAt: number;
  /** sent / (last ack - start), alerts/s */
  achievedRate: number;
  /** ticks that started more than one tick late (the previous send was still running) */
  lateTicks: number;
  ticks: number;
  sendMs: number[];
  /** `${partition}:${offset}` → send time (ms since the epoch) */
  sentAt: Map<string, number>;
}

export interface BurstOptions {
  kafka: Kafka;
  topic: string;
  partitions: number;
  prefix: string;
  rate: number;
  seconds: number;
  signal: AbortSignal;
  onProgress?: (sent: number) => void;
}

/** Sends `rate × seconds` alerts paced by a 100 ms timer; resolves when the last one is acknowledged. */
export async function burst(o: BurstOptions): Promise<BurstResult> {
  const perTick = Math.max(1, Math.round(o.rate / (1000 / TICK_MS)));
  const ticks = Math.ceil((o.rate * o.seconds) / perTick);
  // Detection times end about now: the alerts are well inside the console's retention.
  const detectedStart = Date.now() - Math.ceil((ticks * perTick) / 2) * 60_000;
  const producer = o.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const r: BurstResult = {
    sent: 0,
    startedAt: Date.now(),
    lastSendAt: 0,
    lastAckAt: 0,
    achievedRate: 0,
    lateTicks: 0,
    ticks: 0,
    sendMs: [],
    sentAt: new Map(),
  };
  try {
    for (let t = 0; t < ticks && !o.signal.aborted; t++) {
      const due = r.startedAt + t * TICK_MS;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      else if (-wait > TICK_MS) r.lateTicks += 1;
      await sendTick(producer, o, syntheticAlerts(o.prefix, perTick, detectedStart, t * perTick), r);
      r.ticks += 1;
      o.onProgress?.(r.sent);
    }
  } finally {
    await producer.disconnect();
  }
  r.achievedRate = r.sent / ((r.lastAckAt - r.startedAt) / 1000);
  return r;
}

type Producer = ReturnType<Kafka['producer']>;

async function sendTick(producer: Producer, o: BurstOptions, batch: ReturnType<typeof syntheticAlerts>, r: BurstResult): Promise<void> {
  const sentAt = Date.now();
  r.lastSendAt = sentAt;
  const messages = batch.map((a) => ({ key: a.key, value: a.value, partition: a.index % o.partitions, timestamp: String(sentAt) }));
  const meta = await producer.send({ topic: o.topic, acks: -1, messages });
  r.lastAckAt = Date.now();
  r.sendMs.push(r.lastAckAt - sentAt);
  const base = new Map(meta.map((m) => [m.partition, BigInt(m.baseOffset ?? '0')]));
  const seen = new Map<number, bigint>();
  for (const m of messages) {
    const k = seen.get(m.partition) ?? 0n;
    seen.set(m.partition, k + 1n);
    r.sentAt.set(`${m.partition}:${(base.get(m.partition) ?? 0n) + k}`, sentAt);
  }
  r.sent += messages.length;
}

/** The burst's figures for the result file (without the per-record send times). */
export function producerSummary(r: BurstResult): {
  sent: number;
  seconds: number;
  achievedRate: number;
  ticks: number;
  lateTicks: number;
  sendMs: Record<string, number>;
} {
  return {
    sent: r.sent,
    seconds: (r.lastAckAt - r.startedAt) / 1000,
    achievedRate: r.achievedRate,
    ticks: r.ticks,
    lateTicks: r.lateTicks,
    sendMs: summarise(r.sendMs),
  };
}
