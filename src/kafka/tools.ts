import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import type { RecordWriter } from '../pipeline/ports.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { createKafka } from './client.js';
import { ensureTopics } from './topics.js';

/**
 * Kafka for the command-line tools (sample, generate, tail, demo): a plain idempotent writer and a
 * read_committed follower. The processor's own path is src/kafka/index.ts.
 */

/** Connects a writer. `requireTopic`: fail plainly when it does not exist (brokers usually do not auto-create). */
export async function openRecordWriter(config: Config, logger: Logger, opts: { clientId: string; requireTopic?: string }): Promise<RecordWriter> {
  const kafka = createKafka(config, logger, opts.clientId);
  if (opts.requireTopic !== undefined) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(opts.requireTopic)) {
        throw new Error(`topic '${opts.requireTopic}' does not exist: create it (lendguard start creates the configured topics) or pass --topic`);
      }
    } finally {
      await admin.disconnect();
    }
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return {
    send: async (topic, records) => void (await producer.send({ topic, acks: -1, messages: records.map((r) => ({ key: r.key, value: r.value })) })),
    close: () => producer.disconnect(),
  };
}

/**
 * Calls `onValue` with each committed record value of `topic` (from now on, or from the beginning) until it
 * returns true or `timeoutMs` passes.
 */
export async function followTopic(
  config: Config,
  logger: Logger,
  topic: string,
  opts: { fromBeginning: boolean; timeoutMs: number; onValue: (value: Buffer) => boolean },
): Promise<void> {
  const kafka = createKafka(config, logger, `${config.kafka.clientId}-tail`);
  const consumer = kafka.consumer({ groupId: `lendguard-tail-${randomBytes(4).toString('hex')}`, readUncommitted: false, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: opts.fromBeginning });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, opts.timeoutMs);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            if (message.value && opts.onValue(message.value)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Reads every committed record of `topic` from its start up to where it ended when the read began, calling `onRecord`
 * for each (read_committed, a throwaway group that commits nothing). Done when every partition has reached its end
 * offset as it was at the start (control records of transactions leave gaps, so a partition with nothing new for
 * `idleMs` also counts as done). Resolves with the number of records read.
 */
export async function readTopicToEnd(
  config: Config,
  logger: Logger,
  topic: string,
  onRecord: (key: string | null, value: Buffer | null) => void,
  opts: { idleMs?: number } = {},
): Promise<number> {
  const kafka = createKafka(config, logger, `${config.kafka.clientId}-read`);
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, bigint>();
  try {
    if (!(await admin.listTopics()).includes(topic)) throw new Error(`topic '${topic}' does not exist`);
    for (const o of await admin.fetchTopicOffsets(topic)) if (BigInt(o.high) > BigInt(o.low)) ends.set(o.partition, BigInt(o.high));
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return 0;
  const consumer = kafka.consumer({ groupId: `lendguard-read-${randomBytes(4).toString('hex')}`, readUncommitted: false, maxWaitTimeInMs: 200 });
  const next = new Map<number, bigint>();
  let read = 0;
  let lastProgress = Date.now();
  const idleMs = opts.idleMs ?? 10_000;
  const done = (): boolean => [...ends].every(([p, end]) => (next.get(p) ?? 0n) >= end - 1n) || Date.now() - lastProgress > idleMs;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (!done()) return;
        clearInterval(check);
        resolve();
      }, 200);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const offset = BigInt(message.offset);
            if (offset >= (ends.get(partition) ?? 0n)) return;
            onRecord(message.key ? message.key.toString('utf8') : null, message.value);
            read++;
            next.set(partition, offset + 1n);
            lastProgress = Date.now();
          },
        })
        .catch((err: unknown) => {
          clearInterval(check);
          reject(err instanceof Error ? err : new Error(String(err)));
        });
    });
  } finally {
    await consumer.disconnect();
  }
  return read;
}

/** Creates the configured topics that are missing (the demo does this before its processor starts). */
export async function ensureConfiguredTopics(config: Config, logger: Logger): Promise<string[]> {
  const admin = createKafka(config, logger, `${config.kafka.clientId}-admin`).admin();
  await admin.connect();
  try {
    return await ensureTopics(admin, config, logger);
  } finally {
    await admin.disconnect();
  }
}
