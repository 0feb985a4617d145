#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig } from '../platform/config.js';
import { exitCodeOf, findLendguardError } from '../platform/errors.js';
import { createLogger } from '../platform/logger.js';
import { produceSample, runDemo, runStart, tailAssessments } from './commands.js';
import { runGenerate, type GenerateCliOptions } from './generate.js';
import { runReplayCommand, type ReplayCliOptions } from './replay.js';

const program = new Command();
program
  .name('lendguard')
  .description('Real-time anti-fraud stream processor for consumer lending')
  .option('-c, --config <file>', 'YAML or JSON config file (env LENDGUARD_CONFIG); environment variables override it');

function config(): ReturnType<typeof loadConfig> {
  const opts = program.opts<{ config?: string }>();
  return loadConfig({ file: opts.config });
}

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

program
  .command('start')
  .description('run the processor until SIGTERM/SIGINT')
  .action(async () => {
    const cfg = config();
    const logger = createLogger(cfg.log.level);
    process.exitCode = await runStart(cfg, logger);
    exitSoon(process.exitCode, (ms) => logger.warn({ afterMs: ms }, 'handles still open after stopping; forcing the exit'));
  });

program
  .command('demo')
  .description('start the processor, send the built-in sample and show the assessments as they arrive')
  .action(async () => {
    const cfg = config();
    process.exitCode = await runDemo(cfg, createLogger(process.env.LENDGUARD_LOG_LEVEL ?? 'warn'), print);
  });

program
  .command('sample')
  .description('send the built-in sample to the applications topic')
  .action(async () => {
    const cfg = config();
    const logger = createLogger(cfg.log.level);
    const sent = await produceSample(cfg, logger, Date.now().toString(36));
    print(`sent ${sent.valid} applications and ${sent.bad} bad records to ${cfg.topics.applications}`);
  });

program
  .command('tail')
  .description('print committed assessments as they arrive')
  .option('-n, --count <n>', 'stop after n assessments', (v) => Number(v), Number.POSITIVE_INFINITY)
  .option('--from-beginning', 'start from the oldest assessment', false)
  .option('--timeout <ms>', 'stop after this many ms', (v) => Number(v), 2 ** 31 - 1)
  .action(async (opts: { count: number; fromBeginning: boolean; timeout: number }) => {
    const cfg = config();
    await tailAssessments(cfg, createLogger(cfg.log.level), { count: opts.count, timeoutMs: opts.timeout, fromBeginning: opts.fromBeginning, print });
  });

program
  .command('replay')
  .description('run a JSONL file of applications through the pipeline in-process and summarise it (backtest rule changes)')
  .argument('<input>', 'JSONL file: one loan.applications record value per line (optional "_truth" labels)')
  .option('--out <file>', 'write the assessments as JSONL (the fraud.assessments values)')
  .option('--dlq <file>', 'write dead-lettered lines as JSONL (line, code, message, original value)')
  .option('--rules <file>', 'rules file (default: rules.file of the configuration)')
  .option('--state <kind>', 'memory (starts empty) or redis', 'memory')
  .option('--redis-prefix <prefix>', 'Redis key prefix with --state redis (default: a fresh replay:<id>:)')
  .option('--drop-state', 'with --state redis: delete the keys under the prefix when done', false)
  .option('--batch <n>', 'records per pipeline batch', '200')
  .option('--json', 'print a machine-readable JSON summary instead of the table', false)
  .action(async (input: string, opts: ReplayCliOptions) => {
    process.exitCode = (await runReplayCommand(input, opts, config())).exitCode;
  });

program
  .command('generate')
  .description('produce realistic synthetic loan applications (with labelled attacks) to Kafka or a JSONL file')
  .option('-n, --count <n>', 'number of applications (stop after n)')
  .option('-d, --duration <time>', 'stop after this long, e.g. 60s, 5m, 1h')
  .option('-r, --rate <perSecond>', 'applications per second (0 or omitted: as fast as possible)')
  .option('-o, --out <file.jsonl>', 'write JSON lines to this file instead of Kafka')
  .option('-t, --topic <topic>', 'Kafka topic (default: the configured applications topic)')
  .option('--seed <seed>', 'same seed and --start, same records (default: random, printed)')
  .option('--attacks <list>', `attack kinds, comma separated, or all / none (default all)`)
  .option('--attack-share <share>', 'share of applications that are attacks, 0..1 (default 0.05)')
  .option('--start <iso>', 'event time of the first application (default now)')
  .option('--span <time>', 'as fast as possible with --count: event-time span to spread over (default 2h)')
  .option('--event-rate <perSecond>', 'as fast as possible with --duration only: event-time rate (default 200)')
  .option('--truth <file.jsonl>', 'also write {applicationId, fraud, pattern, ringId} lines here')
  .option('--profile <name>', 'traffic model: realistic (default) or simple (the original mix, byte for byte)')
  .option('--bomb <n>', 'also mix in a graph bomb of n applications, starting in the middle of the span')
  .action(async (opts: GenerateCliOptions) => {
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
    await runGenerate(opts, { config, signal: stop.signal });
  });

/**
 * The process exits once nothing is left to do; if something still holds it (a client that would not let go),
 * it is made to exit after a few seconds, with a log line, rather than linger for minutes.
 */
function exitSoon(code: number, onForced: (ms: number) => void, ms = 5000): void {
  setTimeout(() => {
    onForced(ms);
    process.exit(code);
  }, ms).unref();
}

program.parseAsync().catch((err: unknown) => {
  const e = findLendguardError(err);
  if (e) process.stderr.write(`lendguard: ${e.code}: ${e.message}\n`);
  else process.stderr.write(`lendguard: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(exitCodeOf(err));
});
