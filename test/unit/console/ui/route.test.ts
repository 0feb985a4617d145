import { describe, expect, it } from 'vitest';
import { filterParams, readFilters } from '../../../../src/console/ui/web/filters.js';
import { formatRoute, parseRoute } from '../../../../src/console/ui/web/route.js';

describe('console UI routes', () => {
  it('reads the view, the id and the filters from the fragment, and writes them back', () => {
    const r = parseRoute('#/alerts/42?level=high,critical&country=CN');
    expect(r.view).toBe('alerts');
    expect(r.id).toBe('42');
    expect(r.query.get('level')).toBe('high,critical');
    expect(formatRoute(r)).toBe('#/alerts/42?level=high%2Ccritical&country=CN');
    expect(parseRoute(formatRoute({ view: 'rings', id: 'ring:3f/2a' })).id).toBe('ring:3f/2a');
  });

  it('falls back to the feed on an unknown view, a bad escape or an empty fragment', () => {
    expect(parseRoute('').view).toBe('alerts');
    expect(parseRoute('#/nope/1').view).toBe('alerts');
    expect(parseRoute('#/alerts/%E0%A4%A').id).toBeNull();
  });

  it('keeps only the filters the API knows, normalised, so a shared URL carries codes and ids only', () => {
    const f = readFilters(new URLSearchParams('level=high&level=critical&country=cn&rule=A,B&ruleMatch=all&labelled=maybe&kind=x&phone=13900000000'));
    expect(f).toMatchObject({ level: ['high', 'critical'], country: 'CN', rule: ['A', 'B'], ruleMatch: 'all', labelled: '', kind: '' });
    expect(filterParams(f).toString()).toBe('level=high%2Ccritical&rule=A%2CB&ruleMatch=all&country=CN');
  });
});
