import type { Admin, ConfigResourceTypes, ITopicConfig } from 'kafkajs';
import type { Config } from '../platform/config.js';
import { LendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';

/** The topics the processor reads and writes, with the settings it creates them with. */
export function topicSpecs(config: Config): ITopicConfig[] {
  const t = config.topics;
  const base = { numPartitions: t.partitions, replicationFactor: t.replicationFactor };
  return [
    { topic: t.applications, ...base },
    { topic: t.assessments, ...base },
    { topic: t.alerts, ...base },
    { topic: t.dlq, ...base },
    { topic: t.labels, ...base },
    { topic: t.graphLinks, ...base, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  ];
}

/** Creates the missing topics (when allowed) and returns the names that were created. */
export async function ensureTopics(admin: Admin, config: Config, logger: Logger): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topicSpecs(config).filter((s) => !existing.has(s.topic));
  if (missing.length === 0) return [];
  if (!config.topics.create) {
    throw new LendguardError(
      'CONFIG_INVALID',
      `topics missing: ${missing.map((m) => m.topic).join(', ')}; create them or set topics.create=true (LENDGUARD_TOPICS_CREATE=true)`,
    );
  }
  // The DLQ after the input topic, so that it can take what the input takes.
  const dlq = missing.find((m) => m.topic === config.topics.dlq);
  if (dlq && existing.has(config.topics.applications)) dlq.configEntries = [...(dlq.configEntries ?? []), ...(await dlqConfigEntries(admin, config))];
  await admin.createTopics({ topics: missing, waitForLeaders: true });
  logger.info({ topics: missing.map((m) => m.topic) }, 'created missing topics');
  return missing.map((m) => m.topic);
}

const MAX_MESSAGE_BYTES = 'max.message.bytes';
/** kafkajs' ConfigResourceTypes.TOPIC (the enum is not a named ESM export of the CommonJS package). */
const TOPIC = 2 as ConfigResourceTypes;
/** The broker's default (message.max.bytes): what a topic without its own setting accepts. */
const BROKER_DEFAULT_BYTES = 1_048_588;

async function maxMessageBytes(admin: Admin, topics: string[]): Promise<Map<string, number>> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: TOPIC, name, configNames: [MAX_MESSAGE_BYTES] })),
  });
  const out = new Map<string, number>();
  for (const r of described.resources) {
    const entry = r.configEntries.find((e) => e.configName === MAX_MESSAGE_BYTES);
    out.set(r.resourceName, Number(entry?.configValue ?? BROKER_DEFAULT_BYTES));
  }
  return out;
}

/**
 * The dead-letter topic must take every dead letter: an oversized input record is dead-lettered with its
 * value cut to `processing.maxRecordBytes`, so the DLQ needs at least that (plus headers); and it should take
 * what the input topic takes, so nothing the input accepted is ever refused. A DLQ that cannot take a dead
 * letter would fail every transaction of its partition, for ever: refused at start-up. A DLQ smaller than
 * the input topic is only warned about (the truncation covers it). Returns what it found.
 */
export async function checkDeadLetterTopic(admin: Admin, config: Config, logger: Logger): Promise<{ input: number; dlq: number }> {
  const t = config.topics;
  const sizes = await maxMessageBytes(admin, [t.applications, t.dlq]);
  const input = sizes.get(t.applications) ?? BROKER_DEFAULT_BYTES;
  const dlq = sizes.get(t.dlq) ?? BROKER_DEFAULT_BYTES;
  const needed = config.processing.maxRecordBytes + 16_384;
  if (dlq < needed) {
    throw new LendguardError(
      'CONFIG_INVALID',
      `topic ${t.dlq} takes messages of at most ${dlq} bytes (max.message.bytes), less than a dead letter can be (processing.maxRecordBytes ${config.processing.maxRecordBytes} + headers): raise its max.message.bytes to at least ${Math.max(needed, input)}`,
    );
  }
  if (dlq < input)
    logger.warn(
      { dlq: t.dlq, dlqMaxMessageBytes: dlq, input: t.applications, inputMaxMessageBytes: input },
      'the dead-letter topic takes smaller messages than the input topic; oversized records are dead-lettered truncated',
    );
  return { input, dlq };
}

/** The DLQ is created to take whatever the input topic takes (an oversized record's dead letter, truncated or not). */
export async function dlqConfigEntries(admin: Admin, config: Config): Promise<{ name: string; value: string }[]> {
  const sizes = await maxMessageBytes(admin, [config.topics.applications]).catch(() => new Map<string, number>());
  const input = sizes.get(config.topics.applications) ?? BROKER_DEFAULT_BYTES;
  return input > BROKER_DEFAULT_BYTES ? [{ name: MAX_MESSAGE_BYTES, value: String(input) }] : [];
}

/** What each output topic takes (max.message.bytes), for the output guard (pipeline/output-guard.ts). */
export async function outputTopicLimits(admin: Admin, config: Config): Promise<Map<string, number>> {
  const t = config.topics;
  // The DLQ too: its records are not guarded (a dead letter must go somewhere), but its limit caps the sends.
  return maxMessageBytes(admin, [t.assessments, t.alerts, t.graphLinks, t.dlq]);
}
