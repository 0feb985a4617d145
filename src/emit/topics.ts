import type { Admin, ITopicConfig } from 'kafkajs';
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
  await admin.createTopics({ topics: missing, waitForLeaders: true });
  logger.info({ topics: missing.map((m) => m.topic) }, 'created missing topics');
  return missing.map((m) => m.topic);
}
