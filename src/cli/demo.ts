import { createServer } from 'node:net';
import { createConsoleApp, type ConsoleApp } from '../console/app.js';
import { ensureConfiguredTopics } from '../kafka/tools.js';
import { createProcessor } from '../main.js';
import type { Config } from '../platform/config.js';
import { sleep } from '../platform/backoff.js';
import { exitCodeOf, findLendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { produceSample, tailAssessments } from './commands.js';

/**
 * `demo`: topics, the processor and the analyst console, the built-in sample, the assessments as they arrive; then
 * the console's URL and development logins, and (unless `--exit`) both keep running until Ctrl-C. The console is
 * optional: without PostgreSQL the demo says why and goes on with the processor.
 */
export interface DemoOptions {
  /** stop after the sample (scripts, CI) instead of waiting for Ctrl-C */
  exit: boolean;
}

type Print = (line: string) => void;

/** How long the console may take to start; PostgreSQL still unavailable after POSTGRES_GRACE_MS ends the wait early. */
const CONSOLE_WAIT_MS = 20_000;
const POSTGRES_GRACE_MS = 3_000;

export async function runDemo(config: Config, logger: Logger, print: Print, opts: DemoOptions): Promise<number> {
  await ensureConfiguredTopics(config, logger);
  const analystConsole = await startConsole(config, logger, print);
  let fatal: Error | undefined;
  let markFailed: () => void = () => undefined;
  const failed = new Promise<void>((r) => (markFailed = r));
  const processorConfig = { ...config, http: { ...config.http, port: await portOrAny(config.http.host, config.http.port) } };
  const processor = createProcessor(processorConfig, {
    logger,
    onFatal: (err) => {
      fatal = err;
      markFailed();
    },
  });
  await processor.start();
  const runTag = Date.now().toString(36);
  print(`\nprocessor running (metrics: http://${config.http.host}:${processor.httpPort() ?? '?'}/metrics); sending the built-in sample…\n`);
  const sent = await produceSample(config, logger, runTag);
  const seen = await tailAssessments(config, logger, {
    count: sent.valid,
    timeoutMs: 60_000,
    fromBeginning: true,
    print,
    filter: (a) => a.applicationId.includes(runTag),
  });
  const byLevel = new Map<string, number>();
  for (const a of seen) byLevel.set(a.level, (byLevel.get(a.level) ?? 0) + 1);
  print(
    `\n${seen.length}/${sent.valid} sample applications assessed (${[...byLevel].map(([l, n]) => `${n} ${l}`).join(', ')}); ` +
      `${sent.bad} bad records went to ${config.topics.dlq}.`,
  );
  if (analystConsole) printLogins(config, analystConsole, print);
  if (!opts.exit && !fatal) {
    print('\nCtrl-C to stop.');
    const signal = stopSignal(print);
    await Promise.race([signal.done, failed]);
    signal.dispose();
  }
  await Promise.allSettled([processor.close(), analystConsole?.close()]);
  if (fatal) return exitCodeOf(fatal);
  return seen.length === sent.valid ? 0 : 1;
}

/** The console with development users; on a port already taken, any free port. Null when it cannot start. */
async function startConsole(config: Config, logger: Logger, print: Print): Promise<ConsoleApp | null> {
  if (config.mode === 'production') {
    print('console not started: the demo uses development users, which production mode refuses');
    return null;
  }
  const port = await portOrAny(config.console.http.host, config.console.http.port);
  const app = createConsoleApp({ ...config, console: { ...config.console, devUsers: true, http: { ...config.console.http, port } } }, { logger });
  const started = app.start().then(
    () => 'started' as const,
    (err: Error) => err,
  );
  const outcome = await Promise.race([started, waitReady(app)]);
  if (outcome === 'started' || outcome === 'ready') return app;
  const reason = app.health.snapshot().reason; // read before close() clears it
  await app.close();
  const problem = outcome === 'unavailable' ? (reason ?? 'not ready in time') : `${findLendguardError(outcome)?.code ?? 'ERROR'} ${outcome.message}`;
  print(`console unavailable: ${problem} (is PostgreSQL running? bash scripts/postgres.sh start); going on without it`);
  return null;
}

/** 'ready' once the console ingests, 'unavailable' when PostgreSQL still is not there after a grace period, or time is up. */
async function waitReady(app: ConsoleApp): Promise<'ready' | 'unavailable'> {
  const begin = Date.now();
  while (Date.now() - begin < CONSOLE_WAIT_MS) {
    if (app.health.ready) return 'ready';
    const reason = app.health.snapshot().reason ?? '';
    if (reason.startsWith('POSTGRES_UNAVAILABLE') && Date.now() - begin >= POSTGRES_GRACE_MS) return 'unavailable';
    await sleep(200);
  }
  return 'unavailable';
}

/** `port` if nothing listens on it yet (a second demo finds the first one's ports taken), else 0: any free port. */
async function portOrAny(host: string, port: number): Promise<number> {
  if (port === 0) return 0;
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(0));
    probe.listen(port, host, () => probe.close(() => resolve(port)));
  });
}

function printLogins(config: Config, app: ConsoleApp, print: Print): void {
  const host = ['0.0.0.0', '::'].includes(config.console.http.host) ? '127.0.0.1' : config.console.http.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${app.httpPort() ?? '?'}/`;
  print(`\nanalyst console: ${url}`);
  for (const u of app.api.devTokens()) print(`  sign in as ${u.name} (${u.role}): ${url}#/login?token=${encodeURIComponent(u.token)}`);
  const analyst = app.api.devTokens().find((u) => u.role === 'analyst');
  if (analyst) print(`  API: curl -H 'Authorization: Bearer ${analyst.token}' ${url}api/alerts`);
  print(`  trend report: ${url}api/reports/trends?since=24h (signed in; or \`lendguard report --since 24h --out report.html\`)`);
  print('  (development logins, valid until the demo stops)');
}

/** SIGINT/SIGTERM resolve `done`; `dispose` removes the handlers (a second Ctrl-C then ends the process at once). */
function stopSignal(print: Print): { done: Promise<void>; dispose: () => void } {
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolve = r));
  const onSignal = (): void => {
    print('stopping…');
    resolve();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    done,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
