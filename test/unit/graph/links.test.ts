import { describe, expect, it } from 'vitest';
import { linksFor } from '../../../src/graph/links.js';
import { application, T0 } from './helpers.js';

describe('linksFor', () => {
  it('links the application node to one node per identifier kind, contacts on phone nodes', () => {
    const links = linksFor(application('a1', T0, { contacts: ['ph_friend', 'ph_friend', 'ph_other'] }));
    expect(links.map((l) => l.kind)).toEqual([
      'device',
      'ip',
      'subnet',
      'phone',
      'email',
      'nationalId',
      'bankAccount',
      'address',
      'employer',
      'contact',
      'contact',
    ]);
    expect(links.every((l) => l.app === 'a1' && l.atMs === T0)).toBe(true);
    expect(links.find((l) => l.kind === 'contact')).toMatchObject({ node: 'phone:ph_friend', masked: 'ph_f****' });
    expect(links.find((l) => l.kind === 'subnet')?.node).toBe('subnet:ip_net_a1');
  });

  it('is stable (the same links for the same application) and skips absent identifiers', () => {
    const a = application('a2', T0, { email: null, bank: null });
    expect(linksFor(a)).toEqual(linksFor(a));
    expect(linksFor(a).some((l) => l.kind === 'email' || l.kind === 'bankAccount')).toBe(false);
  });

  it('gives a phone and a contact with the same pseudonym the same node, as two links', () => {
    const mine = linksFor(application('a3', T0, { phone: 'ph_x' }));
    const yours = linksFor(application('a4', T0, { contacts: ['ph_x'] }));
    expect(mine.find((l) => l.kind === 'phone')?.node).toBe(yours.find((l) => l.kind === 'contact')?.node);
  });
});
