import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { kafkaLogCreator } from './kafka-logging.js';
import type { Logger } from './logger.js';

/** Client options from config. Only the composition root (and CLI tools) call these. */
export function kafkaSsl(config: Config): boolean | ConnectionOptions {
  const ssl = config.kafka.ssl;
  if (typeof ssl === 'boolean') return ssl;
  const read = (f?: string): string | undefined => (f ? readFileSync(f, 'utf8') : undefined);
  return { ca: read(ssl.caFile), cert: read(ssl.certFile), key: read(ssl.keyFile), rejectUnauthorized: ssl.rejectUnauthorized };
}

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

/**
 * Redis fails fast while disconnected (no offline queue) so the pipeline can back off and retry
 * whole batches; the client itself keeps reconnecting in the background.
 */
export function createRedis(config: Config): Redis {
  return new Redis(config.redis.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: config.redis.commandTimeoutMs,
    connectTimeout: 3000,
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 5), 5000),
    lazyConnect: false,
  });
}
