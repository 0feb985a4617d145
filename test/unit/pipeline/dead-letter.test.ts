import { describe, expect, it } from 'vitest';
import { deadLetter } from '../../../src/pipeline/dead-letter.js';
import { LendguardError } from '../../../src/platform/errors.js';

const source = { topic: 'in', partition: 0, offset: '7', timestampMs: 1 };

describe('deadLetter', () => {
  it('keeps the value whole and the reason in headers', () => {
    const d = deadLetter('dlq', { key: 'k', value: Buffer.from('{') }, source, new LendguardError('INVALID_JSON', 'record value is not JSON'), 0, 'p-1');
    expect(d).toMatchObject({ topic: 'dlq', key: 'k', value: Buffer.from('{') });
    expect(d.headers).toMatchObject({ 'dlq.error.code': 'INVALID_JSON', 'dlq.error.message': 'record value is not JSON', 'dlq.source.offset': '7' });
  });

  it('caps the message at 1,024 characters: a reason that quotes the input must not outgrow the DLQ', () => {
    const d = deadLetter('dlq', { key: null, value: Buffer.alloc(10) }, source, new LendguardError('SCHEMA_VIOLATION', 'x'.repeat(70_000)), 0, 'p-1');
    expect(d.headers?.['dlq.error.message']).toHaveLength(1024);
    expect(d.headers?.['dlq.error.message']?.endsWith('…')).toBe(true);
  });
});
