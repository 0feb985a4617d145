import { describe, expect, it } from 'vitest';
import { freePort, spawnProcessor, testSetup, waitFor, type ChildProcessor, killedAfterAll } from '../helpers/processor.js';

/**
 * Stopping: a processor told to stop exits, whatever state it is in. Before, it sometimes logged "processor
 * stopped" and lingered for minutes with broker connections (a table consumer started twice after a failed
 * start), and it stayed alive after "exiting with failure" while Redis could not be reached.
 */
const BOUND_MS = 45_000; // close given up after 30 s, the rest cut off 5 s later: well inside this

async function exitsWithin(proc: ChildProcessor, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`still running ${ms} ms after SIGTERM:\n${proc.output().slice(-2000)}`)), ms).unref(),
  );
  return Promise.race([proc.exited, timeout]);
}

describe('stopping the processor', () => {
  const children = killedAfterAll();

  it('exits with 0 after SIGTERM once running', { timeout: 120_000 }, async () => {
    const setup = await testSetup();
    const proc = await spawnProcessor(setup.env);
    children.push(proc);
    proc.child.kill('SIGTERM');
    expect((await exitsWithin(proc, BOUND_MS)).code).toBe(0);
  });

  it('exits after SIGTERM while it cannot reach Redis at start', { timeout: 120_000 }, async () => {
    const setup = await testSetup();
    const proc = await spawnProcessor({ ...setup.env, LENDGUARD_REDIS_URL: `redis://127.0.0.1:${await freePort()}` }, { waitReady: false });
    children.push(proc);
    await waitFor(
      () => /retrying|failed/i.test(proc.output()),
      60_000,
      () => `no retry seen:\n${proc.output().slice(-2000)}`,
    );
    proc.child.kill('SIGTERM');
    const exit = await exitsWithin(proc, BOUND_MS);
    expect(exit.signal).toBeNull();
  });
});
