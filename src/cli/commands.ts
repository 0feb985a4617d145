import type { Assessment } from '../domain/assessment.js';
import { followTopic, openRecordWriter } from '../kafka/tools.js';
import { createProcessor } from '../main.js';
import type { Config } from '../platform/config.js';
import { exitCodeOf, findLendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { formatAssessment } from './format.js';
import { buildSample } from './sample.js';

const CLOSE_TIMEOUT_MS = 30_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/** `start`: run the processor until SIGTERM/SIGINT. Resolves with the exit code. */
export async function runStart(config: Config, logger: Logger): Promise<number> {
  let fatalError: Error | undefined;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const processor = createProcessor(config, {
    logger,
    onFatal: (err) => {
      fatalError = err;
      resolveDone();
    },
  });
  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    resolveDone();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const started = processor.start().catch((err: Error) => {
    fatalError = err;
    resolveDone();
  });
  await done;
  // Every consumer and client is closed; a close that hangs (a broker gone) is given up on after 30 s.
  await Promise.race([
    Promise.allSettled([processor.close(), started]),
    sleep(CLOSE_TIMEOUT_MS).then(() => logger.warn({ timeoutMs: CLOSE_TIMEOUT_MS }, 'close did not finish in time; exiting anyway')),
  ]);
  if (fatalError) {
    const code = exitCodeOf(fatalError);
    logger.fatal({ err: fatalError.message, code: findLendguardError(fatalError)?.code, exitCode: code }, 'exiting with failure');
    return code;
  }
  return 0;
}

/** Produces the built-in sample; returns the application ids that should be assessed. */
export async function produceSample(config: Config, logger: Logger, runTag: string): Promise<{ valid: number; bad: number }> {
  const records = buildSample(Date.now(), runTag);
  const writer = await openRecordWriter(config, logger, { clientId: `${config.kafka.clientId}-sample` });
  try {
    await writer.send(config.topics.applications, records);
  } finally {
    await writer.close();
  }
  const bad = records.filter((r) => r.kind === 'bad').length;
  return { valid: records.length - bad, bad };
}

/** Reads assessments (read_committed) from now on and prints them until `count` arrived or timeout. */
export async function tailAssessments(
  config: Config,
  logger: Logger,
  opts: { count: number; timeoutMs: number; fromBeginning: boolean; print: (line: string) => void; filter?: (a: Assessment) => boolean },
): Promise<Assessment[]> {
  const seen: Assessment[] = [];
  await followTopic(config, logger, config.topics.assessments, {
    fromBeginning: opts.fromBeginning,
    timeoutMs: opts.timeoutMs,
    onValue: (value) => {
      const a = JSON.parse(value.toString('utf8')) as Assessment;
      if (opts.filter && !opts.filter(a)) return false;
      seen.push(a);
      opts.print(formatAssessment(a));
      return seen.length >= opts.count;
    },
  });
  return seen;
}
