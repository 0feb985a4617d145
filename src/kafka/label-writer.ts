import { Partitioners, type Producer } from 'kafkajs';
import type { RecordWriter } from '../pipeline/ports.js';
import type { Config } from '../platform/config.js';
import { asLendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { createKafka } from './client.js';

/**
 * The console's writer of analyst labels (`topics.labels`): an idempotent producer, acks from all in-sync
 * replicas, connected on first use and again after a failure, so that the console starts and reads while Kafka is
 * away and a label then fails plainly (KAFKA_UNAVAILABLE) instead of waiting. `send` resolves once the broker has
 * the records; kafkajs' own retries (createKafka) bound how long it tries.
 */
export function createLabelWriter(config: Config, logger: Logger): RecordWriter {
  const kafka = createKafka(config, logger, `${config.kafka.clientId}-console-labels`);
  let producer: Promise<Producer> | undefined;
  const connect = (): Promise<Producer> => {
    producer ??= (async () => {
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
      try {
        await p.connect();
        return p;
      } catch (err) {
        producer = undefined;
        throw err;
      }
    })();
    return producer;
  };
  return {
    async send(topic, records) {
      try {
        const p = await connect();
        await p.send({ topic, acks: -1, messages: records.map((r) => ({ key: r.key, value: r.value })) });
      } catch (err) {
        throw asLendguardError(err, 'KAFKA_UNAVAILABLE');
      }
    },
    async close() {
      const p = producer;
      producer = undefined;
      if (p) await (await p.catch(() => undefined))?.disconnect();
    },
  };
}
