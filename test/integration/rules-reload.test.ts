import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/domain/assessment.js';
import type { Processor } from '../../src/main.js';
import { loadConfig } from '../../src/platform/config.js';
import { httpGet, startInProcess, testSetup, waitFor } from '../helpers/processor.js';
import { collect, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * A running processor picks up a rule change on disk without a restart, refuses an invalid one
 * (the last good rules keep running), and every assessment says which rules produced it.
 */
describe('rules hot reload in a running processor', () => {
  let processor: Processor | undefined;
  afterAll(() => processor?.close());

  it('applies a valid change, refuses an invalid one, and records the version on each assessment', { timeout: 90_000 }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lg-rules-')), 'rules.yaml');
    copyFileSync(fileURLToPath(new URL('../../config/rules.yaml', import.meta.url)), file);
    const setup = await testSetup({ partitions: 1, extraEnv: { LENDGUARD_RULES_FILE: file } });
    processor = await startInProcess(loadConfig({ env: setup.env }));
    const p = processor;
    const version = (): string => String(p.health.snapshot().details.rulesVersion);
    const v1 = version();

    let n = 0;
    const assessNext = async (): Promise<Assessment> => {
      const app = application(setup.id, n++);
      await produceRaw(setup.topics.applications, [asMessage(app)]);
      const all = await collect(setup.topics.assessments, { count: n, readCommitted: true, timeoutMs: 30_000 });
      const found = all.map((r) => JSON.parse(String(r.value)) as Assessment).find((a) => a.applicationId === app.applicationId);
      if (!found) throw new Error(`no assessment for ${app.applicationId}`);
      return found;
    };
    expect((await assessNext()).rulesVersion).toBe(v1);

    // A valid change: the label and a weight.
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^version: .*$/m, 'version: "reload-test.2"').replace('weight: 40', 'weight: 41'));
    await waitFor(
      () => version().startsWith('reload-test.2+'),
      20_000,
      () => `still ${version()}`,
    );
    const v2 = version();
    expect((await assessNext()).rulesVersion).toBe(v2);

    // An invalid change (a typo in a feature name) is refused; v2 keeps running.
    writeFileSync(file, text.replace(/^version: .*$/m, 'version: "broken"').replace('f["device.identities.24h"]', 'f["device.identites.24h"]'));
    await waitFor(
      async () => /lendguard_rule_reloads_total\{result="refused"\} [1-9]/.test((await httpGet(p.httpPort() as number, '/metrics')).body),
      20_000,
      () => 'no refusal counted',
    );
    expect(version()).toBe(v2);
    expect((await assessNext()).rulesVersion).toBe(v2);
  });
});
