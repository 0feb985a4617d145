/**
 * Vitest globalSetup: makes sure the local Redis + Kafka used by the
 * integration tests are up (`bash scripts/services.sh up`, idempotent and fast
 * when they already run). Set LENDGUARD_SKIP_SERVICES=1 to skip (e.g. when the
 * services are provided some other way, or for unit-only runs).
 * Teardown intentionally leaves the services running for the next run.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.LENDGUARD_SKIP_SERVICES !== '1') {
    const started = Date.now();
    const out = execFileSync('bash', ['scripts/services.sh', 'up'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      timeout: 15 * 60_000, // a cold start may first download the Kafka jars
    });
    if (out.trim().length > 0) process.stderr.write(out);
    // The console's browser tests need Chromium (Debian's package; a fresh machine installs it once).
    execFileSync('bash', ['scripts/chromium.sh', 'ensure'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000 });
    const ms = Date.now() - started;
    if (ms > 2_000) process.stderr.write(`[global-services] services ready in ${(ms / 1000).toFixed(1)}s\n`);
  }
  return async () => {
    // Leave Redis/Kafka running: the next test run (or developer) reuses them.
  };
}
