import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Alert } from '../domain/alert.js';
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
const validateAlert = ajv.compile<Alert>(contract('alert'));

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

export function decodeAlert(record: AlertRecord): Decoded {
  const dead = (code: DeadAlertRow['code'], reason: string): Decoded => ({
    dead: { source: record.source, recordKey: record.key, value: record.value, code, reason },
  });
  const { value } = record;
  if (value === null || value.length === 0) return dead('EMPTY_VALUE', 'record has no value (null or empty); expected a UTF-8 JSON alert');
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
  if (!validateAlert(parsed)) {
    // oneOf reports both branches; the problems of the branch alertType names are the useful ones, so dedupe and cap.
    const problems = [...new Set((validateAlert.errors ?? []).map(describe))].slice(0, 8);
    return dead('SCHEMA_VIOLATION', `record is not an alert (contract alert.v1): ${problems.join('; ')}`);
  }
  return { row: alertRow(parsed, json, record.source, record.key) };
}
