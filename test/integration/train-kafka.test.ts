import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseModelFile } from '../../src/model/file.js';
import { testSetup } from '../helpers/processor.js';
import { createTopics, produceRaw } from '../helpers/services.js';
import { trendStream } from '../helpers/trend-stream.js';

/**
 * `lendguard train --from-kafka` on the real broker: the analysts' labels (fraud.labels) joined with the
 * assessments (fraud.assessments), both read to their end; the model file it writes validates, and its training
 * report counts exactly the labelled assessments.
 */
const run = promisify(execFile);

describe('train from Kafka', () => {
  it('joins the latest label of each application with its assessment and trains on them', { timeout: 180_000 }, async () => {
    const setup = await testSetup({ partitions: 2 });
    await createTopics([{ topic: setup.topics.labels, partitions: 1 }]);
    const stream = trendStream({ perHour: 6, burst: 60 }).assessments;
    await produceRaw(setup.topics.assessments, [...stream.map((a) => ({ key: a.applicationId, value: JSON.stringify(a) })), { key: 'bad', value: 'not json' }]);
    // Fraud for every alert; legit for every fourth of the rest; one label changed its mind (the latest counts).
    const labelled = stream.filter((a, i) => a.alert || i % 4 === 0);
    const label = (applicationId: string, fraud: boolean, at: string) => ({
      key: applicationId,
      value: JSON.stringify({ applicationId, label: fraud ? 'fraud' : 'legit', at }),
    });
    const flipped = labelled.find((a) => !a.alert) as (typeof stream)[number];
    await produceRaw(setup.topics.labels, [
      label(flipped.applicationId, true, '2026-01-01T00:00:00Z'),
      ...labelled.map((a) => label(a.applicationId, a.alert, a.assessedAt)),
      { key: 'x', value: '{"label":"fraud"}' },
    ]);
    const out = join(mkdtempSync(join(tmpdir(), 'lg-train-')), 'model.json');
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'train', '--from-kafka', '--out', out], {
      cwd: new URL('../../', import.meta.url),
      env: { ...process.env, ...setup.env },
    });
    expect(stderr).toMatch(new RegExp(`${labelled.length + 2} label records .*\\(${labelled.length} applications, 1 not labels\\)`));
    expect(stderr).toMatch(new RegExp(`${stream.length + 1} assessments .*, ${labelled.length} of them labelled`));
    expect(stdout).toMatch(/held out: AUC/);
    const model = parseModelFile(readFileSync(out, 'utf8'), out);
    const t = model.training as {
      rows: { fit: number; calibration: number; test: number };
      fraud: { fit: number; calibration: number; test: number };
      perPattern: { pattern: string }[];
    };
    expect(t.rows.fit + t.rows.calibration + t.rows.test).toBe(labelled.length);
    expect(t.fraud.fit + t.fraud.calibration + t.fraud.test).toBe(labelled.filter((a) => a.alert).length); // the flip is overridden
    expect(t.perPattern.map((p) => p.pattern).sort()).toEqual(['labelled fraud', 'labelled legit']);
    expect(model.description).toBe(`trained on ${setup.topics.labels} × ${setup.topics.assessments}`);
  });
});
