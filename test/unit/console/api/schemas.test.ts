import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { alertFilters, pageCursor } from '../../../../src/console/api/routes/alerts.js';
import * as schemas from '../../../../src/console/api/schemas.js';
import { decodeCursor, encodeCursor } from '../../../../src/console/store/index.js';

const problems = (schema: z.ZodType, value: unknown): string[] => {
  const r = schema.safeParse(value);
  return r.success ? [] : [...new Set(r.error.issues.map((i) => i.path.join('.')))];
};

describe('console API schemas', () => {
  it('parses the feed query: lists repeated or comma-separated, booleans, limits, times', () => {
    const q = schemas.alertListQuery.parse({
      level: ['high,critical', 'medium'],
      rule: 'GEO_MISMATCH',
      partner: 'p-1,p-2',
      labelled: 'false',
      limit: '20',
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-02T00:00:00+08:00',
      ringId: 'ring:abc-1',
    });
    expect(q).toMatchObject({ level: ['high', 'critical', 'medium'], rule: ['GEO_MISMATCH'], partner: ['p-1', 'p-2'], labelled: false, limit: 20 });
    expect(alertFilters(q)).toEqual({
      levels: ['high', 'critical', 'medium'],
      ruleCodes: ['GEO_MISMATCH'],
      ruleCodesMatch: 'any',
      partnerIds: ['p-1', 'p-2'],
      ringId: 'ring:abc-1',
      detectedFrom: '2026-11-01T00:00:00Z',
      detectedBefore: '2026-11-02T00:00:00+08:00',
      labelled: false,
    });
    expect(schemas.alertListQuery.parse({}).limit).toBe(50);
  });

  it('refuses bad values field by field, unknown parameters and unbounded lists', () => {
    expect(problems(schemas.alertListQuery, { limit: '0' })).toEqual(['limit']);
    expect(problems(schemas.alertListQuery, { limit: '1e3' })).toEqual(['limit']);
    expect(problems(schemas.alertListQuery, { level: 'severe' })).toEqual(['level.0']);
    expect(problems(schemas.alertListQuery, { country: 'cn' })).toEqual(['country']);
    expect(problems(schemas.alertListQuery, { rule: 'lower' })).toEqual(['rule.0']);
    expect(problems(schemas.alertListQuery, { partner: Array.from({ length: 51 }, (_, i) => `p${i}`) })).toEqual(['partner']);
    expect(problems(schemas.alertListQuery, { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' })).toEqual(['to']);
    expect(problems(schemas.alertListQuery, { phone: '13800138000' })).toEqual(['']);
    expect(problems(schemas.alertListQuery, { q: 'has space' })).toEqual(['q']);
    expect(problems(schemas.labelBody, { applicationId: '', label: 'spam' }).sort()).toEqual(['applicationId', 'label']);
    expect(problems(schemas.labelBody, { applicationId: 'a', label: 'fraud', note: 'x'.repeat(2001) })).toEqual(['note']);
    expect(problems(schemas.ringLabelBody, { label: 'fraud', confirm: false })).toEqual(['confirm']);
    expect(problems(schemas.caseUpdateBody, {})).toEqual(['']);
    expect(problems(schemas.caseUpdateBody, { status: 'done' })).toEqual(['status']);
    expect(problems(schemas.caseCreateBody, { title: 't', alertIds: ['0'] })).toEqual(['alertIds.0']);
    expect(problems(schemas.caseAlertsBody, { alertIds: Array.from({ length: 501 }, (_, i) => String(i + 1)) })).toEqual(['alertIds']);
    expect(problems(schemas.idParams, { id: '12345678901234567890' })).toEqual(['id']);
    expect(problems(schemas.idParams, { id: '9999999999999999999' })).toEqual(['id']); // 19 digits, over bigint: a 400, not a 500
    expect(problems(schemas.idParams, { id: '9223372036854775807' })).toEqual([]);
    expect(problems(schemas.idParams, { id: 'abc' })).toEqual(['id']);
    expect(problems(schemas.userCreateBody, { name: 'x', role: 'root' })).toEqual(['role']);
    expect(schemas.caseCreateBody.parse({ title: '  Farm  ' }).title).toBe('Farm');
  });

  it('every schema can be described in JSON Schema (the OpenAPI document)', () => {
    for (const [name, schema] of Object.entries(schemas)) {
      if (schema instanceof z.ZodType) expect(() => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), name).not.toThrow();
    }
  });
});

describe('console cursors', () => {
  it('round-trips an opaque cursor and refuses a forged one as a 400 on query.cursor', () => {
    const c = { detectedAt: '2026-11-28T03:15:42.123Z', id: '12345' };
    const s = encodeCursor(c);
    expect(s).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(s).not.toContain('2026');
    expect(decodeCursor(s)).toEqual(c);
    expect(pageCursor(s)).toEqual(c);
    expect(pageCursor(undefined)).toBeUndefined();
    for (const forged of [Buffer.from('2026-11-28T03:15:42Z|1; DROP').toString('base64url'), Buffer.from('x|1').toString('base64url'), 'AAAA']) {
      expect(() => pageCursor(forged)).toThrow(
        expect.objectContaining({ code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'query.cursor' })] }),
      );
    }
  });
});
