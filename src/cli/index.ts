#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig } from '../platform/config.js';
import { LendguardError } from '../platform/errors.js';
import { createLogger } from '../platform/logger.js';
import { createKafka } from '../platform/clients.js';
import { produceSample, runDemo, runStart, tailAssessments } from './commands.js';

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
    process.exitCode = await runStart(cfg, createLogger(cfg.log.level));
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
    const sent = await produceSample(createKafka(cfg, logger), cfg, Date.now().toString(36));
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
    const kafka = createKafka(cfg, createLogger(cfg.log.level));
    await tailAssessments(kafka, cfg, { count: opts.count, timeoutMs: opts.timeout, fromBeginning: opts.fromBeginning, print });
  });

program.parseAsync().catch((err: unknown) => {
  if (err instanceof LendguardError) {
    process.stderr.write(`lendguard: ${err.code}: ${err.message}\n`);
    process.exit(err.code === 'CONFIG_INVALID' ? 78 : 1);
  }
  process.stderr.write(`lendguard: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
