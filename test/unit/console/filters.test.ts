import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, likePrefix, whereClause } from '../../../src/console/store/filters.js';
import { Params } from '../../../src/console/store/sql.js';

describe('alert filters', () => {
  it('builds a WHERE clause with every value as a parameter, never in the SQL text', () => {
    const p = new Params();
    const where = whereClause(
      {
        kind: 'application',
        levels: ['critical'],
        ruleCodes: ["X'; DROP TABLE alerts; --", 'B'],
        partnerIds: ['p1', 'p2'],
        country: 'CN',
        region: 'Beijing',
        ipClasses: ['public'],
        ringId: 'ring:1',
        applicationIdPrefix: 'app-1',
        detectedFrom: '2026-11-01T00:00:00Z',
        detectedBefore: new Date('2026-11-02T00:00:00Z'),
        eventFrom: '2026-10-31T00:00:00Z',
        eventBefore: '2026-11-02T00:00:00Z',
        labelled: false,
      },
      p,
      { detectedAt: '2026-11-01T12:00:00.000Z', id: '42' },
    );
    expect(where).not.toMatch(/DROP|Beijing|app-1|ring:1|2026/);
    expect(where).toContain('a.level = $2');
    expect(where).toContain('a.rule_codes && $3::text[]');
    expect(where).toContain('a.partner_id = ANY($4::text[])');
    expect(where).toContain('NOT EXISTS (SELECT 1 FROM labels l WHERE l.application_id = a.application_id)');
    expect(where).toMatch(/\(a\.detected_at, a\.id\) < \(\$\d+::timestamptz, \$\d+::bigint\)$/);
    expect(p.values).toContainEqual(["X'; DROP TABLE alerts; --", 'B']);
    expect(p.values).toContain('app-1%');
    expect(p.values).toContain('2026-11-02T00:00:00.000Z');
  });

  it('matches all rule codes on request, and has no WHERE without filters', () => {
    const p = new Params();
    expect(whereClause({ ruleCodes: ['A', 'B'], ruleCodesMatch: 'all' }, p)).toBe('WHERE a.rule_codes @> $1::text[]');
    expect(whereClause({}, new Params())).toBe('');
    expect(whereClause({ levels: [], ruleCodes: [] }, new Params())).toBe('');
  });

  it('escapes LIKE wildcards in an application id prefix', () => {
    expect(likePrefix('app_1%')).toBe('app\\_1\\%%');
    expect(likePrefix('a\\b')).toBe('a\\\\b%');
  });

  it('round-trips a cursor and refuses a forged or bad one with a poison error (a 400)', () => {
    const c = { detectedAt: '2026-11-01T12:00:00.123Z', id: '9007199254740993' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    for (const bad of ['', 'bm90IGEgY3Vyc29y', encodeCursor({ detectedAt: 'yesterday', id: '1' }), encodeCursor({ detectedAt: c.detectedAt, id: '1; --' })]) {
      expect(() => decodeCursor(bad), bad).toThrow(expect.objectContaining({ code: 'SCHEMA_VIOLATION', policy: 'poison' }));
    }
    expect(() => whereClause({ detectedFrom: 'not a time' }, new Params())).toThrow(/invalid time/);
  });
});
