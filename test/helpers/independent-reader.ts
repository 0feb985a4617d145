import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { kafkaBrokers } from './services.js';

const run = promisify(execFile);

/**
 * Reads a topic with a client that is not the project's: kcat (librdkafka), read_committed, from the
 * beginning to the end. Exactly-once claims are counted with it, so a bug shared by the processor and the
 * tests' own kafkajs reader cannot hide itself. Returns the record keys. Needs `kcat` (Debian package kcat;
 * `.ci/run` installs it).
 */
export async function keysByKcat(topic: string): Promise<string[]> {
  const { stdout } = await run(
    'kcat',
    ['-C', '-b', kafkaBrokers().join(','), '-t', topic, '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_committed', '-f', '%k\\n'],
    { maxBuffer: 256 * 1024 * 1024, timeout: 120_000 },
  );
  return stdout.split('\n').filter((k) => k.length > 0);
}
