import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReplayCommand } from '../../../src/cli/replay.js';
import type { Assessment } from '../../../src/domain/assessment.js';
import { loadConfig } from '../../../src/platform/config.js';
import { createLogger } from '../../../src/platform/logger.js';
import { application } from '../../helpers/traffic.js';

/**
 * A proxy burst from mainland Alibaba Cloud (47.96.0.0/20, Hangzhou): X4BNet's data-centre list does not carry
 * these ranges, so with the lists alone IP_DATACENTER stays silent. The shipped ASN data and hosting-AS
 * classification (on by default) make it fire on every one, and leave the home-broadband control alone.
 */
const dir = mkdtempSync(join(tmpdir(), 'lg-cloud-'));
const input = join(dir, 'in.jsonl');
const t0 = Date.now() - 3_600_000;
const burst = Array.from({ length: 20 }, (_, i) =>
  application('cloud', i, (a) => {
    a.network.ip = `47.96.${i % 16}.${10 + i}`;
    a.eventTime = new Date(t0 + i * 20_000).toISOString();
  }),
);
const control = Array.from({ length: 5 }, (_, i) => application('home', 100 + i, (a) => (a.eventTime = new Date(t0 + i * 60_000).toISOString())));
writeFileSync(input, `${[...burst, ...control].map((a) => JSON.stringify(a)).join('\n')}\n`);

async function replay(env: Record<string, string>): Promise<Assessment[]> {
  const out = join(dir, `out-${Object.keys(env).join('-') || 'default'}.jsonl`);
  const config = loadConfig({ env: { LENDGUARD_PII_KEY: 'mainland-cloud-test-key-0123456789', ...env } });
  const r = await runReplayCommand(input, { out, state: 'memory' }, config, {
    stdout: () => undefined,
    stderr: () => undefined,
    logger: createLogger('silent'),
    progressEveryMs: 60_000,
  });
  expect(r.exitCode).toBe(0);
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Assessment);
}

const flagged = (as: Assessment[], prefix: string): number =>
  as.filter((a) => a.applicationId.startsWith(prefix) && a.flags.some((f) => f.code === 'IP_DATACENTER')).length;

describe('replay: a proxy burst from a mainland cloud', () => {
  it('raises the data-centre flag with the default configuration, and only with the ASN data', { timeout: 60_000 }, async () => {
    const withAsn = await replay({});
    expect(flagged(withAsn, 'cloud-')).toBe(20);
    expect(flagged(withAsn, 'home-')).toBe(0);
    const one = withAsn.find((a) => a.applicationId.startsWith('cloud-'));
    expect(one?.enrichment).toMatchObject({ 'ip.asn': 37963, 'ip.hosting': true, 'ip.hostingProvider': 'Alibaba Cloud' });
    const listsOnly = await replay({ LENDGUARD_ASN_ENABLED: 'false' });
    expect(flagged(listsOnly, 'cloud-')).toBe(0); // what the lists alone give: nothing
  });
});
