/**
 * Ctrl-C that cannot cut the clean-up short. Under `npx tsx`, the tsx CLI is the parent of the bench's process. On
 * Ctrl-C it relays the signal and SIGKILLs its child unless the child confirms the signal within 30 ms, and a bench
 * busy with a burst often does not. So `npx tsx bench/console.bench.ts` only supervises: it runs the bench again as a
 * worker (`node --import tsx`, in a process group of its own, so the terminal's Ctrl-C does not reach it or the console
 * and Chromium it starts), forwards SIGINT / SIGTERM to it and exits with its code. If the supervisor is killed, the
 * worker sees its IPC channel close and cleans up all the same.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { REPO_ROOT } from '../harness.js';

const WORKER_ENV = 'LENDGUARD_CONSOLE_BENCH_WORKER';

export const isWorker = (): boolean => process.env[WORKER_ENV] === '1';

/** Runs `script` (this bench) as the worker with the same arguments; exits with its code, never returns. */
export function superviseWorker(script: string): Promise<never> {
  const worker = spawn(process.execPath, ['--import', 'tsx', script, ...process.argv.slice(2)], {
    cwd: REPO_ROOT,
    env: { ...process.env, [WORKER_ENV]: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void worker.kill(sig));
  return new Promise<never>(() => {
    worker.once('error', (err) => {
      console.error(`console bench: cannot start the worker: ${err.message}`);
      process.exit(1);
    });
    worker.once('exit', (code, signal) => process.exit(code ?? (signal ? 128 + constants.signals[signal] : 1)));
  });
}

/** In the worker: `stop` when the supervisor is gone (its IPC channel closed). */
export function onSupervisorGone(stop: () => void): void {
  process.channel?.unref();
  process.once('disconnect', stop);
}
