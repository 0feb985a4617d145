import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { RawApplication } from '../domain/application.js';
import { LendguardError } from '../platform/errors.js';

/**
 * Decode and validate one input value (pure). The contract is the JSON Schema in
 * contracts/loan-application.schema.json (test/unit/boundary/validate.test.ts checks that every field it requires is enforced).
 */
const schemaUrl = new URL('../../contracts/loan-application.schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaUrl, 'utf8')) as Record<string, unknown>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateSchema = ajv.compile<RawApplication>(schema);

const utf8 = new TextDecoder('utf-8', { fatal: true });

function describe(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : '(root)';
  if (error.keyword === 'required') return `${where === '(root)' ? '' : `${where}.`}${String(error.params.missingProperty)} is required`;
  if (error.keyword === 'enum') return `${where} must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
  return `${where} ${error.message ?? 'is invalid'}`;
}

export interface ValidationLimits {
  maxRecordBytes: number;
}

/** Returns the validated application or throws a poison LendguardError that says what to fix. */
export function decodeApplication(value: Buffer | null, limits: ValidationLimits): RawApplication {
  if (value === null || value.length === 0) {
    throw new LendguardError('EMPTY_VALUE', 'record has no value (null or empty); expected a UTF-8 JSON loan application');
  }
  if (value.length > limits.maxRecordBytes) {
    throw new LendguardError('OVERSIZED_RECORD', `record is ${value.length} bytes, over the limit of ${limits.maxRecordBytes} (processing.maxRecordBytes)`);
  }
  let text: string;
  try {
    text = utf8.decode(value);
  } catch {
    throw new LendguardError('INVALID_ENCODING', 'record value is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new LendguardError('INVALID_JSON', `record value is not JSON: ${(err as Error).message}`);
  }
  if (typeof json === 'object' && json !== null && 'schemaVersion' in json && json.schemaVersion !== 1) {
    throw new LendguardError(
      'UNSUPPORTED_SCHEMA_VERSION',
      `schemaVersion ${String(JSON.stringify(json.schemaVersion)).slice(0, 40)} is not supported; this processor reads version 1`,
    );
  }
  if (!validateSchema(json)) {
    const problems = (validateSchema.errors ?? []).slice(0, 10).map(describe);
    throw new LendguardError('SCHEMA_VIOLATION', `application does not match contract v1: ${problems.join('; ')}`);
  }
  if (isIP(json.network.ip) === 0) {
    throw new LendguardError('INVALID_IP', 'network.ip is not a valid IPv4 or IPv6 address');
  }
  if (Number.isNaN(Date.parse(json.eventTime))) {
    throw new LendguardError('INVALID_EVENT_TIME', 'eventTime is not a valid RFC 3339 date-time');
  }
  return json;
}
