import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Alert } from '../domain/alert.js';
import type { Assessment } from '../domain/assessment.js';
import { alertRow, type AlertRow, type DeadAlertRow, type RecordRef } from './alert-row.js';

/**
 * Decodes one record of the alerts topic (pure): an alert row, or a dead alert saying why not. The contract is
 * contracts/alert.schema.json (which references contracts/assessment.schema.json); nothing is ever dropped.
 */
const contract = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../contracts/${name}.schema.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(contract('assessment'));
export const validateAlert = ajv.compile<Alert>(contract('alert'));
/** The assessments topic's contract (the trend report's rollups read it). */
export const validateAssessment = ajv.getSchema<Assessment>('assessment.v1') as ValidateFunction<Assessment>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function describe(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : '(root)';
  if (error.keyword === 'required') return `${where === '(root)' ? '' : `${where}.`}${String(error.params.missingProperty)} is required`;
  if (error.keyword === 'unevaluatedProperties' || error.keyword === 'additionalProperties') {
    const extra = String(error.params.unevaluatedProperty ?? error.params.additionalProperty);
    return `${where === '(root)' ? '' : `${where}.`}${extra} is not in the contract`;
  }
  return `${where} ${error.message ?? 'is invalid'}`;
}

export interface AlertRecord {
  source: RecordRef;
  key: string | null;
  value: Buffer | null;
}

export type Decoded = { row: AlertRow } | { dead: DeadAlertRow };

/** A record decoded against a contract: its value and JSON text, or a dead record saying why not. */
export type DecodedJson<T> = { value: T; json: string } | { dead: DeadAlertRow };

/**
 * The shared steps of decoding a record of one of the output topics: a value, UTF-8, JSON, the contract. `what`
 * names the contract in the reason ("an alert (contract alert.v1)").
 */
export function decodeJsonRecord<T>(record: AlertRecord, validate: ValidateFunction<T>, what: string): DecodedJson<T> {
  const dead = (code: DeadAlertRow['code'], reason: string): DecodedJson<T> => ({
    dead: { source: record.source, recordKey: record.key, value: record.value, code, reason },
  });
  const { value } = record;
  if (value === null || value.length === 0) return dead('EMPTY_VALUE', `record has no value (null or empty); expected ${what} as UTF-8 JSON`);
  let json: string;
  try {
    json = utf8.decode(value);
  } catch {
    return dead('INVALID_ENCODING', 'record value is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    return dead('INVALID_JSON', `record value is not JSON: ${(err as Error).message}`);
  }
  if (!validate(parsed)) {
    // oneOf reports both branches; the problems of the branch alertType names are the useful ones, so dedupe and cap.
    const problems = [...new Set((validate.errors ?? []).map(describe))].slice(0, 8);
    return dead('SCHEMA_VIOLATION', `record is not ${what}: ${problems.join('; ')}`);
  }
  return { value: parsed, json };
}

export function decodeAlert(record: AlertRecord): Decoded {
  const d = decodeJsonRecord(record, validateAlert, 'an alert (contract alert.v1)');
  return 'dead' in d ? d : { row: alertRow(d.value, d.json, record.source, record.key) };
}
