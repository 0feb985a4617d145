import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { kafkaLogCreator } from './logging.js';

/** TLS options from config (CA, client certificate and key read from their files). */
export function kafkaSsl(config: Config): boolean | ConnectionOptions {
  const ssl = config.kafka.ssl;
  if (typeof ssl === 'boolean') return ssl;
  const read = (f?: string): string | undefined => (f ? readFileSync(f, 'utf8') : undefined);
  return { ca: read(ssl.caFile), cert: read(ssl.certFile), key: read(ssl.keyFile), rejectUnauthorized: ssl.rejectUnauthorized };
}

/** The kafkajs client from config. Only src/kafka/ builds one; everything else goes through the ports. */
export function createKafka(config: Config, logger: Logger, clientId = config.kafka.clientId): Kafka {
  const sasl = config.kafka.sasl as SASLOptions | undefined;
  return new Kafka({
    clientId,
    brokers: config.kafka.brokers,
    ssl: kafkaSsl(config),
    ...(sasl ? { sasl } : {}),
    connectionTimeout: config.kafka.connectionTimeoutMs,
    requestTimeout: config.kafka.requestTimeoutMs,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5000 },
  });
}
