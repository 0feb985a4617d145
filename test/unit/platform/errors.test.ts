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

describe('error policy: what is never retried', () => {
  it('treats a programmer error as INTERNAL (fatal) whatever the fallback, and derives exit codes from the catalogue', async () => {
    const { asLendguardError, exitCodeOf, ERROR_CATALOGUE, ERROR_CODES, LendguardError: E } = await import('../../../src/platform/errors.js');
    const bug = asLendguardError(new TypeError("Cannot read properties of undefined (reading 'x')"), 'KAFKA_UNAVAILABLE');
    expect(bug).toMatchObject({ code: 'INTERNAL', policy: 'fatal' });
    expect(bug.message).toMatch(/^TypeError: /);
    expect(asLendguardError(new Error('ECONNREFUSED'), 'KAFKA_UNAVAILABLE')).toMatchObject({ code: 'KAFKA_UNAVAILABLE', policy: 'retriable' });
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(ERROR_CODES[code as keyof typeof ERROR_CODES]).toBe(entry.policy);
      const exit = exitCodeOf(new E(code as keyof typeof ERROR_CODES, 'x'));
      expect(exit, code).toBe('exitCode' in entry ? entry.exitCode : 1);
    }
    expect(exitCodeOf(new E('STATE_LOST', 'gone'))).toBe(78);
  });

  it('classifies Redis replies: "not now" and connection errors are retried, any other reply error is fatal', async () => {
    const { ReplyError } = await import('ioredis');
    const { stateCommandError } = await import('../../../src/state/redis-state-store.js');
    const reply = (message: string): Error => new (ReplyError as new (m: string) => Error)(message);
    expect(stateCommandError(reply('WRONGTYPE Operation against a key holding the wrong kind of value'), 'w')).toMatchObject({
      code: 'STATE_SCRIPT_FAILED',
      policy: 'fatal',
    });
    expect(stateCommandError(reply('ERR user_script:12: attempt to compare nil with number'), 'w').code).toBe('STATE_SCRIPT_FAILED');
    for (const transient of [
      'LOADING Redis is loading the dataset in memory',
      'BUSY Redis is busy running a script',
      "OOM command not allowed when used memory > 'maxmemory'",
      "READONLY You can't write against a read only replica",
    ]) {
      expect(stateCommandError(reply(transient), 'w').code, transient).toBe('REDIS_UNAVAILABLE');
    }
    expect(stateCommandError(new Error('Connection is closed.'), 'w').code).toBe('REDIS_UNAVAILABLE');
  });
});
