import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * The output contracts in contracts/ compiled with ajv (strict, every error), for the unit and integration
 * tests that check what the processor really produces against them.
 */
export const CONTRACTS = ['assessment', 'alert', 'graph-link', 'label', 'dead-letter'] as const;
export type Contract = (typeof CONTRACTS)[number];

export const contractSchema = (name: Contract): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../contracts/${name}.schema.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

function compileAll(): Record<Contract, ValidateFunction> {
  // Strict, but a link triple's third member (masked) is optional by design: not a closed tuple.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false, allowUnionTypes: true });
  addFormats(ajv);
  for (const name of CONTRACTS) ajv.addSchema(contractSchema(name));
  return Object.fromEntries(CONTRACTS.map((name) => [name, ajv.getSchema(`${name}.v1`) as ValidateFunction])) as Record<Contract, ValidateFunction>;
}

const validators = compileAll();

/** The schema's errors for a value, one line each (empty when it conforms). */
export function contractErrors(name: Contract, value: unknown): string[] {
  const validate = validators[name];
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Every violation of every value, prefixed by what it was (for one readable assertion). */
export function violations(name: Contract, values: readonly { what: string; value: unknown }[]): string[] {
  return values.flatMap(({ what, value }) => contractErrors(name, value).map((e) => `${name} ${what}: ${e}`));
}
