import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KNOWN_FEATURES } from '../../../src/rules/features.js';
import type { RuleSet } from '../../../src/rules/loader.js';
import type { RuleSetError } from '../../../src/rules/problems.js';
import { watchRuleFile, type RuleWatcher } from '../../../src/rules/watcher.js';

/** Real files, real fs.watch: waits are generous because CI file events can lag. */
const ruleFile = (limit: number): string => `version: "w"
rules:
  - id: DEVICE_VELOCITY
    description: Many applications from one device.
    severity: medium
    weight: 20
    params: { limit: ${limit} }
    when: f["device.apps.1h"] > params.limit
    reason: "{device.apps.1h} applications in 1h (limit {limit})"
`;
const BAD = ruleFile(5).replace('f["device.apps.1h"]', 'f["device.aps.1h"]');

async function waitFor(what: string, ok: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const limitOf = (rs: RuleSet | undefined): unknown => rs?.rules[0]?.params.limit;

describe('watchRuleFile', () => {
  let dir: string;
  let file: string;
  let watcher: RuleWatcher | undefined;
  let reloads: RuleSet[];
  let errors: RuleSetError[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lendguard-rules-'));
    file = join(dir, 'rules.yaml');
    reloads = [];
    errors = [];
  });
  afterEach(() => {
    watcher?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (extra: { onReload?: () => void } = {}): Promise<RuleWatcher> => {
    watcher = watchRuleFile({
      file,
      knownFeatures: KNOWN_FEATURES,
      debounceMs: 50,
      onReload: (rs) => {
        reloads.push(rs);
        extra.onReload?.();
      },
      onError: (e) => errors.push(e),
    });
    await watcher.start();
    return watcher;
  };

  it('loads, reloads on change, keeps the last good set on a bad change, and recovers', async () => {
    writeFileSync(file, ruleFile(5));
    const w = await start();
    expect(reloads.map(limitOf)).toEqual([5]);

    writeFileSync(file, ruleFile(6));
    await waitFor('reload to limit 6', () => reloads.length === 2);
    expect(limitOf(w.current())).toBe(6);

    writeFileSync(file, BAD);
    await waitFor('the error', () => errors.length === 1);
    expect(errors[0]?.problems[0]?.message).toContain('unknown feature "device.aps.1h" (did you mean "device.apps.1h"?)');
    expect(errors[0]?.problems[0]).toMatchObject({ file, line: 8, rule: 'DEVICE_VELOCITY' });
    expect(limitOf(w.current())).toBe(6); // still running the last good set
    expect(reloads).toHaveLength(2);

    writeFileSync(file, ruleFile(7));
    await waitFor('reload to limit 7', () => reloads.length === 3);
    expect(limitOf(w.current())).toBe(7);
  });

  it('follows editors that replace the file by rename', async () => {
    writeFileSync(file, ruleFile(5));
    const w = await start();
    const tmp = join(dir, '.rules.yaml.swp');
    writeFileSync(tmp, ruleFile(8));
    renameSync(tmp, file);
    await waitFor('reload after rename', () => limitOf(w.current()) === 8);
    // …and keeps following the new inode.
    writeFileSync(file, ruleFile(9));
    await waitFor('reload after a later write', () => limitOf(w.current()) === 9);
  });

  it('reports a deleted file, keeps the old set, and reloads when it comes back', async () => {
    writeFileSync(file, ruleFile(5));
    const w = await start();
    unlinkSync(file);
    await waitFor('the missing-file error', () => errors.length === 1);
    expect(errors[0]?.problems[0]?.message).toMatch(/cannot read the rule file/);
    expect(limitOf(w.current())).toBe(5);
    writeFileSync(file, ruleFile(5));
    // Same content as the running set, but it clears the error, so listeners hear about it.
    await waitFor('reload after recreation', () => reloads.length === 2);
  });

  it('debounces bursts, ignores rewrites with the same content and other files in the directory', async () => {
    writeFileSync(file, ruleFile(5));
    await start();
    for (let i = 10; i < 15; i++) writeFileSync(file, ruleFile(i));
    await waitFor('one reload for the burst', () => reloads.length === 2);
    await sleep(400);
    expect(reloads.map(limitOf)).toEqual([5, 14]);
    writeFileSync(file, ruleFile(14));
    writeFileSync(join(dir, 'other.yaml'), 'x: 1');
    await sleep(400);
    expect(reloads).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('reports an invalid file at start without throwing, then loads once it is fixed', async () => {
    writeFileSync(file, BAD);
    const w = await start();
    expect(w.current()).toBeUndefined();
    expect(errors).toHaveLength(1);
    writeFileSync(file, ruleFile(5));
    await waitFor('first good load', () => reloads.length === 1);
  });

  it('survives a throwing callback and stops cleanly', async () => {
    writeFileSync(file, ruleFile(5));
    const w = await start({
      onReload: () => {
        throw new Error('listener bug');
      },
    });
    writeFileSync(file, ruleFile(6));
    await waitFor('reload despite the throwing listener', () => reloads.length === 2);
    w.stop();
    writeFileSync(file, ruleFile(7));
    await sleep(400);
    expect(reloads).toHaveLength(2);
    expect(limitOf(w.current())).toBe(6);
  });
});
