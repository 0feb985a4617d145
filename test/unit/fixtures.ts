import { readFileSync } from 'node:fs';
import type { RawApplication } from '../../src/domain/application.js';

export const EXAMPLE_BYTES = readFileSync(new URL('../../contracts/example-application.json', import.meta.url));

export function exampleApp(patch: (a: RawApplication) => void = () => undefined): RawApplication {
  const a = JSON.parse(EXAMPLE_BYTES.toString('utf8')) as RawApplication;
  patch(a);
  return a;
}

export function bytes(value: unknown): Buffer {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
}
