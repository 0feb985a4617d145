import type { ApplicationHandlers, Messaging, OutputRecord, TopicAdmin } from '../pipeline/ports.js';
import type { Config } from '../platform/config.js';
import type { Health } from '../platform/health.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import { KafkaApplicationSource } from './application-source.js';
import { createKafka } from './client.js';
import { PartitionTransactions } from './partition-transactions.js';
import { KafkaTableFeed } from './table-feed.js';
import { checkDeadLetterTopic, ensureTopics, outputTopicLimits } from './topics.js';

/**
 * The messaging ports on Kafka (kafkajs). src/kafka/ is the only folder that imports kafkajs: a client swap
 * is a new implementation of `Messaging` (src/pipeline/ports.ts), nothing else.
 */
export function createKafkaMessaging(deps: { config: Config; logger: Logger; metrics: Metrics; health: Health }): Messaging {
  const { config, logger } = deps;
  const kafka = createKafka(config, logger);
  const admin = kafka.admin();
  const transactions = new PartitionTransactions(kafka, admin, {
    maxSendBytes: config.processing.maxSendBytes,
    transactionalIdPrefix: config.kafka.transactionalIdPrefix ?? config.kafka.groupId,
    groupId: config.kafka.groupId,
    transactionTimeoutMs: config.kafka.transactionTimeoutMs,
    logger,
  });
  const topicRecords = async (topic: string): Promise<number> =>
    (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Math.max(0, Number(p.high) - Number(p.low)), 0);
  const topicAdmin: TopicAdmin = {
    connect: () => admin.connect(),
    disconnect: () => admin.disconnect(),
    ensureTopics: () => ensureTopics(admin, config, logger),
    checkDeadLetterTopic: async () => void (await checkDeadLetterTopic(admin, config, logger)),
    outputTopicLimits: async () => {
      const limits = await outputTopicLimits(admin, config);
      if (limits.size > 0) transactions.capSends(Math.min(...limits.values()));
      return limits;
    },
    committedRecords: async () => {
      const [entry] = await admin.fetchOffsets({ groupId: config.kafka.groupId, topics: [config.topics.applications] });
      return (entry?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    },
    topicRecords,
  };
  return {
    admin: topicAdmin,
    applicationSource<R extends { outputs: readonly OutputRecord[] }>(handlers: ApplicationHandlers<R>) {
      return new KafkaApplicationSource<R>({ ...deps, kafka, transactions, handlers });
    },
    tableFeed: (opts) => new KafkaTableFeed({ ...opts, kafka, admin, logger }),
    async close() {
      try {
        await transactions.close();
      } finally {
        await admin.disconnect();
      }
    },
  };
}
