import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planGenerate, runGenerate } from '../../../src/cli/generate.js';
import { decodeApplication } from '../../../src/boundary/validate.js';
import type { GeneratedApplication } from '../../../src/generate/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lendguard-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

describe('lendguard generate --out', () => {
  it('writes JSONL records, the truth side file and a summary', async () => {
    const out = join(dir, 'apps.jsonl');
    const truth = join(dir, 'truth.jsonl');
    const log: string[] = [];
    const summary = await runGenerate(
      { count: '3000', out, truth, seed: '42', start: '2026-11-28T02:00:00Z', attackShare: '0.1' },
      { log: (l) => log.push(l) },
    );
    expect(summary.sent).toBe(3000);
    const records = lines(out).map((l) => JSON.parse(l) as GeneratedApplication);
    expect(records).toHaveLength(3000);
    for (const l of lines(out)) decodeApplication(Buffer.from(l), { maxRecordBytes: 65536 });
    const truthLines = lines(truth).map((l) => JSON.parse(l) as { applicationId: string; fraud: boolean; pattern: string; tags?: string[] });
    expect(truthLines.map((t) => t.applicationId)).toEqual(records.map((r) => r.applicationId));
    expect(truthLines.map((t) => t.pattern)).toEqual(records.map((r) => r._truth.pattern));
    expect(truthLines.map((t) => t.tags)).toEqual(records.map((r) => r._truth.tags));
    // 300 attack records; the at-home first application of an impossible-travel pair is labelled legit.
    const victims = records.filter((r) => r._truth.tags?.includes('takeover-victim')).length;
    expect(victims).toBeGreaterThan(0);
    expect(records.filter((r) => r._truth.fraud)).toHaveLength(300 - victims);
    // As fast as possible: spread over the default 2h span.
    expect(Date.parse(records[records.length - 1]!.eventTime) - Date.parse('2026-11-28T02:00:00Z')).toBeGreaterThan(1.9 * 3_600_000);
    expect(log.at(-1)).toContain(`legit ${(2700 + victims).toLocaleString('en-US')}`);
    expect(summary.byPattern.legit).toBe(2700 + victims);

    // Same seed and start: the same bytes.
    const again = join(dir, 'again.jsonl');
    await runGenerate({ count: '3000', out: again, seed: '42', start: '2026-11-28T02:00:00Z', attackShare: '0.1' }, { log: () => undefined });
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
  });

  it("--profile simple writes the original generator's bytes (hashes taken at b00f709)", async () => {
    const out = join(dir, 'simple.jsonl');
    const truth = join(dir, 'simple-truth.jsonl');
    const log: string[] = [];
    await runGenerate(
      { count: '4000', out, truth, seed: '42', start: '2026-11-28T02:00:00Z', attackShare: '0.1', profile: 'simple' },
      { log: (l) => log.push(l) },
    );
    const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(sha(out)).toBe('e74c5e8c59ac18e1b3735b16d060d866c9f033ddaa480152d68a0eace3431846');
    expect(sha(truth)).toBe('0e5b4f091fde69ab666219ae46a2936fcc820c151eda00be5391ad2ae5c88bc8');
    expect(log[0]).toMatch(/profile simple/);
  });

  it('paces to --rate with event times that advance at that rate (fake clock)', async () => {
    let clock = 1_000_000;
    const out = join(dir, 'paced.jsonl');
    const summary = await runGenerate(
      { count: '1000', rate: '200', out, seed: '1', start: '2026-11-28T02:00:00Z' },
      { log: () => undefined, now: () => clock, sleep: async (ms) => void (clock += ms) },
    );
    expect(summary.sent).toBe(1000);
    expect(Math.abs(summary.elapsedMs - 5000)).toBeLessThan(100);
    const times = lines(out).map((l) => Date.parse((JSON.parse(l) as GeneratedApplication).eventTime));
    expect((times[times.length - 1]! - times[0]!) / 1000).toBeGreaterThan(4.5);
    expect((times[times.length - 1]! - times[0]!) / 1000).toBeLessThanOrEqual(5);
  });

  it('stops at --duration', async () => {
    let clock = 0;
    const summary = await runGenerate(
      { duration: '3s', rate: '100', out: join(dir, 'dur.jsonl'), seed: '1' },
      { log: () => undefined, now: () => clock, sleep: async (ms) => void (clock += ms) },
    );
    expect(summary.sent).toBeGreaterThanOrEqual(290);
    expect(summary.sent).toBeLessThanOrEqual(310);
  });

  it('without --start, a file written as fast as possible ends at now; Kafka and --rate start at now', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const startOf = (o: Parameters<typeof planGenerate>[0]): number | undefined => planGenerate(o, now).traffic.startMs;
    expect(startOf({ count: '1000', out: 'x.jsonl' })).toBe(now - 2 * 3_600_000);
    expect(startOf({ count: '1000', out: 'x.jsonl', span: '24h' })).toBe(now - 24 * 3_600_000);
    expect(startOf({ count: '1000', duration: '10s', out: 'x.jsonl', span: '30m' })).toBe(now - 30 * 60_000);
    expect(startOf({ count: '1000', out: 'x.jsonl', start: '2026-11-30T00:00:00Z' })).toBe(Date.parse('2026-11-30T00:00:00Z'));
    expect(startOf({ count: '1000', out: 'x.jsonl', rate: '500' })).toBe(now);
    expect(startOf({ count: '1000' })).toBe(now); // Kafka
    expect(startOf({ count: '1000', topic: 'loan.applications.test' })).toBe(now);
    expect(startOf({ duration: '10s', out: 'x.jsonl' })).toBe(now); // no --count: the event-time span is not known
  });

  it('a file written without --start has no event time after now (a replay takes every record)', async () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const out = join(dir, 'now.jsonl');
    await runGenerate({ count: '2000', out, seed: '9', span: '1h' }, { log: () => undefined, now: () => now });
    const times = lines(out).map((l) => Date.parse((JSON.parse(l) as GeneratedApplication).eventTime));
    expect(Math.max(...times)).toBeLessThanOrEqual(now);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(now - 3_600_000);
    expect(Math.max(...times)).toBeGreaterThan(now - 60_000);
  });

  it('rejects bad options with a message that says what to fix', () => {
    expect(() => planGenerate({}, 0)).toThrow(/--count N or --duration/);
    expect(() => planGenerate({ count: '-3' }, 0)).toThrow(/--count/);
    expect(() => planGenerate({ count: '10', attackShare: '5' }, 0)).toThrow(/attack-share/);
    expect(() => planGenerate({ count: '10', attacks: 'bot,warp' }, 0)).toThrow(/warp/);
    expect(() => planGenerate({ count: '10', start: 'yesterday' }, 0)).toThrow(/--start/);
    expect(() => planGenerate({ duration: 'forever' }, 0)).toThrow(/invalid duration/);
    expect(planGenerate({ count: '7200', span: '1h' }, 0).traffic.eventsPerSecond).toBe(2);
  });
});
