import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/platform/errors.js';

describe('error catalogue', () => {
  it('documents every code with its policy in docs/errors.md', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    for (const [code, policy] of Object.entries(ERROR_CODES)) {
      expect(doc, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${policy} \\|`));
    }
  });
});

describe('error policy through wrappers', () => {
  it('finds a LendguardError inside the errors kafkajs wraps it in, and maps exit codes from one table', async () => {
    const { findLendguardError, exitCodeOf, asLendguardError, LendguardError: E } = await import('../../../src/platform/errors.js');
    const fatal = new E('CONFIG_INVALID', 'bad');
    const wrapped = Object.assign(new Error('KafkaJSNonRetriableError'), { cause: Object.assign(new Error('KafkaJSError'), { originalError: fatal }) });
    expect(findLendguardError(wrapped)).toBe(fatal);
    expect(asLendguardError(wrapped, 'INTERNAL')).toBe(fatal);
    expect(exitCodeOf(wrapped)).toBe(78);
    expect(exitCodeOf(new E('PII_KEY_MISSING', 'no key'))).toBe(78);
    expect(exitCodeOf(new E('INTERNAL', 'bug'))).toBe(1);
    expect(exitCodeOf(new TypeError('x'))).toBe(1);
  });
});
