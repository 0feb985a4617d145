/**
 * Helpers for integration tests that talk to the real local services started by
 * `scripts/services.sh up` (see test/setup/global-services.ts): a single-node
 * Kafka on 127.0.0.1:9092 and Redis on 127.0.0.1:6379.
 *
 * Every helper opens and closes its own kafkajs clients, so tests stay isolated;
 * use `randomId()` for topic names and group ids.
 */
import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import type { IHeaders, Kafka, Message } from 'kafkajs';

const { Kafka: KafkaClient, logLevel, Partitioners } = kafkajs;

/** Broker list for tests, read when called: env KAFKA_BROKERS (comma separated) or 127.0.0.1:9092. */
export function kafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
}

/** The broker list at import time. */
export const KAFKA_BROKERS: string[] = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
  .split(',')
  .map((b) => b.trim())
  .filter((b) => b.length > 0);

/** Redis URL for tests: env REDIS_URL or redis://127.0.0.1:6379. */
export const REDIS_URL: string = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The 3-master cluster of `scripts/redis.sh cluster start` (ports 17001–17003): env REDIS_CLUSTER_URL to use another. */
export const REDIS_CLUSTER_URL: string = process.env.REDIS_CLUSTER_URL ?? 'redis+cluster://127.0.0.1:17001,127.0.0.1:17002,127.0.0.1:17003';

/** `prefix` + 8 random lowercase hex chars; safe for Kafka topic names, group ids and Redis keys. */
export function randomId(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

/**
 * A kafkajs client for the test brokers. Logging is off unless env
 * KAFKAJS_TEST_LOG=1 (then ERROR level).
 */
export function makeKafka(clientId: string = randomId('lendguard-test-')): Kafka {
  return new KafkaClient({
    clientId,
    brokers: kafkaBrokers(),
    logLevel: process.env.KAFKAJS_TEST_LOG === '1' ? logLevel.ERROR : logLevel.NOTHING,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

export interface TopicSpec {
  topic: string;
  partitions?: number;
  config?: Record<string, string>;
}

/** Creates topics (replication factor 1, default 1 partition) and waits until every partition has a leader. */
export async function createTopics(topics: TopicSpec[]): Promise<void> {
  const admin = makeKafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      timeout: 30_000,
      topics: topics.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions ?? 1,
        replicationFactor: 1,
        configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics; topics that do not exist are ignored (handy in afterAll). */
export async function deleteTopics(names: string[]): Promise<void> {
  if (names.length === 0) return;
  const admin = makeKafka().admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const toDelete = names.filter((n) => existing.has(n));
    if (toDelete.length > 0) await admin.deleteTopics({ topics: toDelete, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}

export interface RawMessage {
  key?: string | null;
  value: string | Buffer | null;
  partition?: number;
  headers?: Record<string, string>;
  /** the record's timestamp (ms since the epoch, as kafkajs takes it; default: the send time) */
  timestamp?: string;
}

/**
 * Produces messages with an idempotent producer (acks=all) using kafkajs'
 * Java-compatible DefaultPartitioner (murmur2 on the key, like the Java client).
 */
export async function produceRaw(topic: string, messages: RawMessage[]): Promise<void> {
  const producer = makeKafka().producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    const msgs: Message[] = messages.map((m) => {
      const out: Message = { key: m.key ?? null, value: m.value };
      if (m.partition !== undefined) out.partition = m.partition;
      if (m.headers !== undefined) out.headers = m.headers;
      if (m.timestamp !== undefined) out.timestamp = m.timestamp;
      return out;
    });
    // One send per 500 records keeps each request under the broker's 1 MB message.max.bytes.
    for (let i = 0; i < msgs.length; i += 500) await producer.send({ topic, acks: -1, messages: msgs.slice(i, i + 500) });
  } finally {
    await producer.disconnect();
  }
}

export interface CollectedRecord {
  key: string | null;
  value: Buffer | null;
  /** Header values decoded as UTF-8 (repeated headers become arrays). */
  headers: Record<string, string | string[]>;
  partition: number;
  /** Offset as kafkajs reports it (decimal string). */
  offset: string;
  /** Record timestamp in ms since epoch. */
  timestamp: number;
}

export interface CollectOptions {
  /** Resolve as soon as this many records arrived. Without it, resolve after `idleMs` without new records. */
  count?: number;
  /** Overall deadline; rejects with how many records arrived. Default 30000. */
  timeoutMs?: number;
  /** Use isolation level read_committed (default false = read_uncommitted). */
  readCommitted?: boolean;
  /** Idle window for the no-`count` mode, counted from group join / last record. Default 2000. */
  idleMs?: number;
  /** Start from the earliest offset (default true). */
  fromBeginning?: boolean;
  /** Consumer group id; default a random one. */
  groupId?: string;
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    if (raw === undefined) continue;
    const one = (v: Buffer | string): string => (typeof v === 'string' ? v : v.toString('utf8'));
    out[name] = Array.isArray(raw) ? raw.map(one) : one(raw);
  }
  return out;
}

/**
 * Consumes `topic` with a fresh consumer group and resolves with the records
 * (see CollectOptions for when). The consumer is always disconnected before
 * the promise settles.
 */
export async function collect(topic: string, opts: CollectOptions = {}): Promise<CollectedRecord[]> {
  const { count, timeoutMs = 30_000, readCommitted = false, idleMs = 2_000, fromBeginning = true } = opts;
  const consumer = makeKafka().consumer({
    groupId: opts.groupId ?? randomId('collect-'),
    readUncommitted: !readCommitted,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 200,
    retry: { retries: 5 },
  });
  const records: CollectedRecord[] = [];
  let idleTimer: NodeJS.Timeout | undefined;
  let finish: (err?: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = (err?: Error) => (err ? reject(err) : resolve());
  });
  done.catch(() => undefined); // settled early (e.g. crash during connect) must not be an unhandled rejection
  const armIdle = (): void => {
    if (count !== undefined) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => finish(), idleMs);
  };
  const deadline = setTimeout(() => {
    finish(
      new Error(
        `collect(${topic}): timed out after ${timeoutMs} ms with ${records.length} record(s)` +
          (count !== undefined ? ` of ${count} expected` : ' (still receiving records)'),
      ),
    );
  }, timeoutMs);

  consumer.on(consumer.events.GROUP_JOIN, () => armIdle());
  consumer.on(consumer.events.CRASH, (e) => finish(new Error(`collect(${topic}): consumer crashed: ${String(e.payload.error)}`)));

  let result: CollectedRecord[];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning });
    await consumer.run({
      autoCommit: true,
      eachMessage: async ({ partition, message }) => {
        records.push({
          key: message.key === null ? null : message.key.toString('utf8'),
          value: message.value,
          headers: decodeHeaders(message.headers),
          partition,
          offset: message.offset,
          timestamp: Number(message.timestamp),
        });
        if (count !== undefined && records.length >= count) finish();
        else armIdle();
      },
    });
    if (count !== undefined && count <= 0) finish();
    await done;
    result = records.slice();
  } finally {
    clearTimeout(deadline);
    if (idleTimer) clearTimeout(idleTimer);
    await consumer.disconnect();
  }
  return result;
}

/** Number of records per key (null keys counted under ''). */
export function countByKey(records: ReadonlyArray<{ key: string | null }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) {
    const k = r.key ?? '';
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/**
 * Counts the records on `topic` as they are committed (read_committed), in the background, so a test
 * can act at a given point of a stream (e.g. kill a processor mid-way).
 */
export async function liveCounter(topic: string): Promise<{ count(): number; stop(): Promise<void> }> {
  const consumer = makeKafka().consumer({ groupId: randomId('count-'), readUncommitted: false, maxWaitTimeInMs: 100 });
  let n = 0;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      n += batch.messages.length;
    },
  });
  return { count: () => n, stop: () => consumer.disconnect() };
}

/** The exactly-once account of a stream: expected keys with no record, and keys with more than one. */
export function missingAndDuplicated(
  expectedKeys: readonly string[],
  records: ReadonlyArray<{ key: string | null }>,
): { missing: string[]; duplicated: string[] } {
  const counts = countByKey(records);
  return {
    missing: expectedKeys.filter((k) => !counts.has(k)),
    duplicated: [...counts].filter(([, n]) => n > 1).map(([k]) => k),
  };
}
