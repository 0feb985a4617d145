import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphService } from '../../../src/graph/graph-service.js';
import { createPseudonymiser } from '../../../src/boundary/pseudonymise.js';
import { decodeApplication } from '../../../src/boundary/validate.js';
import { processBatch, type InputRecord, type PipelineDeps } from '../../../src/pipeline/process-batch.js';
import { fixedClock } from '../../../src/platform/clock.js';
import { loadConfig } from '../../../src/platform/config.js';
import { LendguardError } from '../../../src/platform/errors.js';
import { FUZZ_NOW, hostileRecord as record } from '../../helpers/hostile.js';
import { unitPipelineDeps } from '../fixtures.js';

/**
 * Property-based fuzzing of the ingest boundary and the whole in-process pipeline (memory state, identity
 * graph, default rules): random bytes, random JSON, and valid applications with hostile fields (huge, deep,
 * wrong types, prototype keys, 1e999, IPv6 spellings, extreme times, hostile user agents, invalid UTF-8).
 * Every record ends as exactly one assessment or one dead letter; nothing throws or hangs. The 1M-record
 * profile is bench material; this is the bounded CI run.
 */
const NOW = FUZZ_NOW;

function deps(): PipelineDeps {
  return unitPipelineDeps({
    pseudonymise: createPseudonymiser('fuzz-key-0123456789abcdef'),
    graph: new GraphService(loadConfig({ env: {} }).graph),
    clock: fixedClock(NOW),
    processorId: 'fuzz',
  });
}

describe('fuzzing the boundary and the pipeline', () => {
  it('decodeApplication either returns an application or throws a poison LendguardError, never anything else', () => {
    fc.assert(
      fc.property(record, (value) => {
        try {
          decodeApplication(value, { maxRecordBytes: 65536 });
        } catch (err) {
          expect(err).toBeInstanceOf(LendguardError);
          expect((err as LendguardError).policy).toBe('poison');
        }
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('every record ends as exactly one assessment or one dead letter, and nothing throws', { timeout: 120_000 }, async () => {
    const d = deps();
    let offset = 0;
    const seen = { assessed: 0, deadLettered: 0 };
    const heap0 = process.memoryUsage().heapUsed;
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 20 }), async (values) => {
        const records: InputRecord[] = values.map((value) => ({
          key: `k${offset}`,
          value,
          source: { topic: 'in', partition: 0, offset: String(offset++), timestampMs: NOW },
        }));
        const result = await processBatch(records, d);
        d.graph?.acknowledge(result.reportedRings);
        const outcomes = new Map<string, number>();
        for (const a of result.assessments) outcomes.set(a.source.offset, (outcomes.get(a.source.offset) ?? 0) + 1);
        for (const x of result.deadLettered) outcomes.set(x.source.offset, (outcomes.get(x.source.offset) ?? 0) + 1);
        for (const r of records) expect(outcomes.get(r.source.offset), `offset ${r.source.offset}`).toBe(1);
        seen.assessed += result.assessments.length;
        seen.deadLettered += result.deadLettered.length;
        for (const o of result.outputs)
          expect(o.topic === 'dlq' ? (o.value as Buffer).length : Buffer.byteLength(String(o.value))).toBeLessThanOrEqual(1_000_000);
      }),
      { numRuns: 1500, seed: 7 },
    );
    // Both ends are exercised: hostile but valid applications are assessed, the rest dead-lettered.
    expect(seen.assessed).toBeGreaterThan(100);
    expect(seen.deadLettered).toBeGreaterThan(100);
    // 1,500 batches of hostile records leave no large residue (generous: GC timing varies).
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(400 * 2 ** 20);
  });
});
