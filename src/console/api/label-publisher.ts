import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { RecordWriter } from '../../pipeline/ports.js';
import { LendguardError } from '../../platform/errors.js';
import type { Label } from '../store/index.js';

/**
 * Labels to detection: each stored label becomes one record of `topics.labels`, keyed by the application id,
 * `{applicationId, label, at, by}`, checked against contracts/label.schema.json before it is sent (a record the
 * processor would skip is a bug here: INTERNAL). `at` is the label's stored time, so the processor's "latest label
 * wins" and the console's agree.
 */
export interface LabelRecord {
  applicationId: string;
  label: 'fraud' | 'legit';
  at: string;
  by: string;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateLabel = ajv.compile<LabelRecord>(
  JSON.parse(readFileSync(new URL('../../../contracts/label.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>,
);

export function labelRecord(l: Label): LabelRecord {
  const record: LabelRecord = { applicationId: l.applicationId, label: l.label, at: l.createdAt, by: l.author };
  if (!validateLabel(record)) {
    throw new LendguardError('INTERNAL', `label record does not match contracts/label.schema.json: ${ajv.errorsText(validateLabel.errors)}`);
  }
  return record;
}

export interface LabelPublisher {
  publish(labels: readonly Label[]): Promise<void>;
  close(): Promise<void>;
}

/** At most this many records per send (each is small; this keeps a request well under the broker's 1 MB). */
const PER_SEND = 500;

export function createLabelPublisher(writer: RecordWriter, topic: string): LabelPublisher {
  return {
    async publish(labels) {
      const records = labels.map((l) => ({ key: l.applicationId, value: JSON.stringify(labelRecord(l)) }));
      for (let i = 0; i < records.length; i += PER_SEND) await writer.send(topic, records.slice(i, i + PER_SEND));
    },
    close: () => writer.close(),
  };
}
