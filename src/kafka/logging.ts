import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../platform/logger.js';

const QUIET = [/Limiting retries for the idempotent producer/];

/** Routes kafkajs's own logs into our structured logger. */
export function kafkaLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      if (QUIET.some((re) => re.test(message))) return;
      if (level === logLevel.ERROR) child.error(extra, message);
      else if (level === logLevel.WARN) child.warn(extra, message);
      else if (level === logLevel.INFO) child.info(extra, message);
      else child.debug(extra, message);
    };
}
