import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/**
 * Structured JSON logs. Identifiers never reach logs raw (the pipeline only holds pseudonyms past
 * ingest); the redaction list is a second line of defence for fields that must never be printed.
 */
export const REDACT_PATHS = [
  'pii.key',
  'config.pii.key',
  'kafka.sasl.password',
  'config.kafka.sasl.password',
  '*.nationalId',
  '*.phone',
  '*.email',
  '*.bankAccount',
  '*.address',
  '*.contacts',
  '*.name',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { service: 'lendguard' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
