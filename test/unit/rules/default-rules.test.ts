import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/rules/engine.js';
import { FEATURE_CATALOGUE, KNOWN_FEATURES } from '../../../src/rules/features.js';
import { loadRuleSetFile } from '../../../src/rules/file.js';
import { compileRuleSet } from '../../../src/rules/loader.js';
import type { Features } from '../../../src/rules/rule.js';

const root = (p: string): string => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const RULES_FILE = root('config/rules.yaml');
const ruleSet = loadRuleSetFile(RULES_FILE, { knownFeatures: KNOWN_FEATURES });
const ids = ruleSet.rules.map((r) => r.id);
const comboIds = ruleSet.combinations.map((c) => c.id);

/** Every catalogue feature known, with values a normal applicant has. */
const CLEAN: Features = Object.fromEntries(
  Object.entries(FEATURE_CATALOGUE).map(([name, kind]) => [name, kind === 'count' ? 1 : kind === 'number' ? 0 : kind === 'bool' ? false : 'x']),
);
const clean = (over: Features): Features => ({
  ...CLEAN,
  'ip.class': 'public',
  'ip.country': 'CN',
  'device.type': 'mobile',
  'device.masked': 'de****',
  'ip.allowed': null, // no allow list configured
  'graph.knownFraudNearby': 0,
  'graph.knownFraudDistance': null, // no confirmed fraud nearby
  ...over,
});

/** The smallest change to a clean application that should trip each rule. */
const TRIGGERS: Record<string, Features> = {
  DEVICE_MANY_IDENTITIES: { 'device.identities.24h': 4 },
  DEVICE_IDENTITY_CYCLING: { 'device.identities.10m': 2 },
  DEVICE_MANY_IDENTITIES_7D: { 'device.identities.7d': 6 },
  DEVICE_MANY_PHONES: { 'device.phones.24h': 4 },
  DEVICE_VELOCITY: { 'device.apps.1h': 6 },
  IDENTITY_MANY_DEVICES: { 'identity.devices.24h': 3 },
  IDENTITY_VELOCITY: { 'identity.apps.24h': 5 },
  IDENTITY_VELOCITY_7D: { 'identity.apps.7d': 11 },
  PHONE_VELOCITY: { 'phone.apps.24h': 5 },
  EMAIL_VELOCITY: { 'email.apps.24h': 5 },
  BANK_VELOCITY: { 'bank.apps.24h': 5 },
  BANK_SHARED_BY_IDENTITIES: { 'bank.identities.7d': 2 },
  BANK_MULE_ACCOUNT: { 'bank.identities.7d': 3 },
  CONTACT_SHARED: { 'contact.shared.7d': 6 },
  // The two combinations first: merged with the others below, the larger partner counts win.
  MULTI_LENDER_NEW_BANK: { 'identity.partners.24h': 2, 'identity.newBank': true },
  MULTI_LENDER_NEW_PHONE: { 'identity.partners.24h': 2, 'identity.newPhone': true },
  MULTI_LENDER_PARTNERS_1H: { 'identity.partners.1h': 3 },
  MULTI_LENDER_PARTNERS_24H: { 'identity.partners.24h': 3 },
  MULTI_LENDER_SPREE: { 'identity.partners.24h': 4 },
  MULTI_LENDER_PARTNERS_30D: { 'identity.partners.30d': 7 },
  IDENTITY_MANY_PHONES: { 'identity.phones.7d': 3 },
  IDENTITY_MANY_BANKS: { 'identity.banks.7d': 3 },
  IDENTITY_TAKEOVER_SIGNS: { 'identity.devices.30d': 2, 'identity.newBank': true }, // before the next: it wins the merge
  IDENTITY_MANY_DEVICES_30D: { 'identity.devices.30d': 6 },
  PHONE_SHARED_BY_IDENTITIES: { 'phone.identities.7d': 3 },
  BANK_SHARED_BY_NAMES: { 'bank.names.7d': 4 }, // more names than the national IDs (1 here, 3 with BANK_MULE_ACCOUNT)
  PHONE_SHARED_BY_NAMES: { 'phone.names.7d': 4 },
  PHONE_VIRTUAL_OPERATOR: { 'phone.virtualOperator': true },
  PROFILE_THIN: { 'app.thinProfile': true },
  BUREAU_MULTI_LENDER: { 'bureau.multiLenderCount': 6 },
  BUREAU_MULTI_LENDER_SEVERE: { 'bureau.multiLenderCount': 16 },
  IP_MANY_IDENTITIES: { 'ip.identities.1h': 6 },
  IP_VELOCITY: { 'ip.apps.10m': 11 },
  SUBNET_BURST: { 'subnet.apps.10m': 31 },
  IP_DATACENTER: { 'ip.datacenter': true },
  IP_VPN: { 'ip.vpn': true },
  IP_TOR: { 'ip.tor': true },
  IP_BLOCKLISTED: { 'ip.blocked': true },
  IP_NOT_PUBLIC: { 'ip.class': 'private' },
  IP_OUTSIDE_SERVICE_AREA: { 'ip.country': 'US' },
  PARTNER_SURGE: { 'partner.apps.10m': 501 },
  DEVICE_BOT: { 'device.bot': true },
  DEVICE_UA_MISSING: { 'device.uaMissing': true },
  DEVICE_HEADLESS: { 'device.headless': true },
  DEVICE_EMULATOR: { 'device.emulator': true },
  DEVICE_ROOTED: { 'device.rooted': true },
  DEVICE_PLATFORM_MISMATCH: { 'device.platformMismatch': true },
  DEVICE_UNUSUAL_TYPE: { 'device.type': 'smarttv' },
  GEO_GPS_FAR_FROM_IP: { 'geo.gpsIpDistanceKm': 501 },
  GEO_TZ_MISMATCH: { 'geo.tzMismatch': true },
  GEO_COUNTRY_MISMATCH: { 'geo.countryMismatch': true },
  GEO_REGION_MISMATCH: { 'geo.regionMismatch': true },
  TRAVEL_IDENTITY_IMPOSSIBLE: { 'travel.identity.speedKmh': 1001, 'travel.identity.distanceKm': 301 },
  TRAVEL_DEVICE_IMPOSSIBLE: { 'travel.device.speedKmh': 1001, 'travel.device.distanceKm': 301 },
  RING_MEMBER: { 'ring.score': 60, 'ring.identities': 5, 'ring.burst': false },
  GRAPH_BURST: { 'ring.burst': true, 'ring.identities': 30 },
  GRAPH_KNOWN_FRAUD_NEARBY: { 'graph.knownFraudNearby': 2, 'graph.knownFraudDistance': 1 },
  GRAPH_SHARED_WITH_MANY: { 'graph.linkedIdentities': 5 },
};

const run = (f: Features) => evaluate(ruleSet, f);
const fired = (f: Features): string[] => run(f).flags.map((x) => x.code);

describe('config/rules.yaml', () => {
  it('loads with no problems and no warnings', () => {
    const r = compileRuleSet(readFileSync(RULES_FILE, 'utf8'), { file: RULES_FILE, knownFeatures: KNOWN_FEATURES });
    expect(r.ok ? [] : r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(ruleSet.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+\+[0-9a-f]{8}$/);
    expect(ruleSet.disabled).toEqual([]);
  });

  it('keeps the codes the pipeline already emits', () => {
    expect(ids).toEqual(
      expect.arrayContaining([
        'DEVICE_EMULATOR',
        'DEVICE_ROOTED',
        'IP_NOT_PUBLIC',
        'DEVICE_MANY_IDENTITIES',
        'DEVICE_VELOCITY',
        'IDENTITY_MANY_DEVICES',
        'IDENTITY_VELOCITY',
        'IP_MANY_IDENTITIES',
      ]),
    );
  });

  it('stays silent on a clean application, deciding every rule', () => {
    expect(run(clean({}))).toEqual({ flags: [], score: 0, level: 'low', errors: [], unknown: [] });
  });

  it('has a crafted trigger for every rule, and each trigger fires exactly its rule', () => {
    expect(Object.keys(TRIGGERS).sort()).toEqual([...ids].sort());
    for (const [id, trigger] of Object.entries(TRIGGERS)) expect([id, fired(clean(trigger))]).toEqual([id, [id]]);
  });

  it('fires every rule at once on an application with everything wrong, without errors', () => {
    // A ring is a ring or a burst, not both, and the bureau figure and a shared card are in one tier: everything else
    // fires with the ring, the severe bureau tier and the mule account.
    const { GRAPH_BURST: _burst, BUREAU_MULTI_LENDER: _tier, BANK_SHARED_BY_IDENTITIES: _shared, MULTI_LENDER_PARTNERS_24H: _day, ...rest } = TRIGGERS;
    const r = run(clean(Object.assign({}, ...Object.values(rest)) as Features));
    const tiers = ['GRAPH_BURST', 'BUREAU_MULTI_LENDER', 'BANK_SHARED_BY_IDENTITIES', 'MULTI_LENDER_PARTNERS_24H'];
    expect(r.flags.map((x) => x.code)).toEqual([...ids.filter((id) => !tiers.includes(id)), ...comboIds]);
    expect(r).toMatchObject({ score: 100, level: 'critical', errors: [] });
    for (const flag of r.flags) expect(flag.reason).not.toMatch(/[{}]/);
  });

  it('is exact at each velocity limit', () => {
    expect(fired(clean({ 'device.identities.24h': 3 }))).toEqual([]);
    expect(fired(clean({ 'ip.identities.1h': 5 }))).toEqual([]);
    expect(fired(clean({ 'bank.identities.7d': 1 }))).toEqual([]);
    expect(fired(clean({ 'identity.partners.1h': 2, 'identity.partners.24h': 2, 'identity.partners.30d': 6 }))).toEqual([]);
    expect(fired(clean({ 'identity.phones.7d': 2, 'identity.banks.7d': 2, 'phone.identities.7d': 2 }))).toEqual([]);
    expect(fired(clean({ 'bureau.multiLenderCount': 5 }))).toEqual([]);
    expect(fired(clean({ 'bureau.multiLenderCount': 15 }))).toEqual(['BUREAU_MULTI_LENDER']);
  });

  it('多头: new phone or card alone, or several partners with the same ones, fire nothing; a probe with new ones alerts', () => {
    expect(fired(clean({ 'identity.newPhone': true, 'identity.newBank': true }))).toEqual([]); // a first application
    expect(fired(clean({ 'identity.partners.24h': 2 }))).toEqual([]); // shopping around with one phone and card
    const probe = clean({ 'identity.partners.1h': 3, 'identity.partners.24h': 3, 'identity.newBank': true, 'identity.newPhone': true });
    expect(fired(probe)).toEqual([
      'MULTI_LENDER_PARTNERS_1H',
      'MULTI_LENDER_PARTNERS_24H',
      'MULTI_LENDER_NEW_BANK',
      'MULTI_LENDER_NEW_PHONE',
      'MULTI_LENDER_PROBE',
      'MULTI_LENDER_FRESH_CREDENTIALS',
    ]);
    expect(run(probe)).toMatchObject({ score: 100, level: 'critical' });
    expect(run(probe).flags[2]?.reason).toBe('national ID x applied through 3 partners in 24h, now with a bank account new to it in 30d');
    expect(run(probe).flags[4]?.reason).toBe(
      'multi-lender probing: MULTI_LENDER_PARTNERS_1H,MULTI_LENDER_PARTNERS_24H,MULTI_LENDER_NEW_PHONE,MULTI_LENDER_NEW_BANK',
    );
    // The second partner of the day with a fresh phone and card already reaches the alert level.
    const second = clean({ 'identity.partners.1h': 2, 'identity.partners.24h': 2, 'identity.newBank': true, 'identity.newPhone': true });
    expect(run(second)).toMatchObject({ score: 65, level: 'high' });
  });

  it('tells a family card (one name per ID) from a card under more names than IDs', () => {
    expect(fired(clean({ 'bank.identities.7d': 2, 'bank.names.7d': 2 }))).toEqual(['BANK_SHARED_BY_IDENTITIES']);
    expect(fired(clean({ 'bank.identities.7d': 1, 'bank.names.7d': 2 }))).toEqual(['BANK_SHARED_BY_NAMES']);
    expect(fired(clean({ 'phone.identities.7d': 1, 'phone.names.7d': 2 }))).toEqual(['PHONE_SHARED_BY_NAMES']);
  });

  it('lets a known allow list suppress every IP rule', () => {
    const bad = clean({
      ...TRIGGERS.IP_DATACENTER,
      ...TRIGGERS.IP_VPN,
      ...TRIGGERS.IP_TOR,
      ...TRIGGERS.IP_BLOCKLISTED,
      ...TRIGGERS.IP_MANY_IDENTITIES,
      ...TRIGGERS.IP_VELOCITY,
      ...TRIGGERS.SUBNET_BURST,
      ...TRIGGERS.IP_NOT_PUBLIC,
      ...TRIGGERS.IP_OUTSIDE_SERVICE_AREA,
    });
    expect(fired(bad)).toHaveLength(10); // the nine and HOSTING_AND_HIDING (a data centre with a burst)
    expect(fired({ ...bad, 'ip.allowed': false })).toHaveLength(10);
    expect(fired({ ...bad, 'ip.allowed': true })).toEqual([]);
  });

  it('never fires on unknown features: an application with nothing known is low with no errors', () => {
    const r = run({});
    expect(r).toMatchObject({ flags: [], score: 0, level: 'low', errors: [] });
    expect(r.unknown).toEqual(ids);
    expect(r.flags).toEqual([]); // no combination without its rules
  });

  it('gives sensible levels: weak alone low, two medium → medium, farm/bot/emulator → high, combinations → critical', () => {
    const level = (...names: string[]) => run(clean(Object.assign({}, ...names.map((n) => TRIGGERS[n])) as Features)).level;
    expect(level('GEO_TZ_MISMATCH')).toBe('low');
    expect(level('IP_VPN')).toBe('low');
    expect(level('DEVICE_ROOTED', 'GEO_GPS_FAR_FROM_IP')).toBe('medium');
    expect(level('IP_VPN', 'DEVICE_PLATFORM_MISMATCH')).toBe('medium');
    expect(level('DEVICE_MANY_IDENTITIES', 'DEVICE_IDENTITY_CYCLING')).toBe('high'); // device farm
    expect(level('DEVICE_MANY_PHONES', 'DEVICE_MANY_IDENTITIES')).toBe('critical'); // SIM farm (CYCLING_ON_TAMPERED_DEVICE)
    expect(level('DEVICE_BOT')).toBe('high'); // a script fills in a loan application
    expect(level('DEVICE_BOT', 'IP_DATACENTER')).toBe('critical'); // scripted, from a server (AUTOMATION_FROM_HOSTING)
    expect(level('DEVICE_HEADLESS', 'IP_DATACENTER')).toBe('critical');
    expect(level('IP_DATACENTER')).toBe('low'); // a cloud egress alone: corporate proxies, cloud desktops
    expect(level('IP_DATACENTER', 'GEO_REGION_MISMATCH')).toBe('high'); // proxy burst: HOSTING_AND_HIDING
    expect(level('PHONE_VIRTUAL_OPERATOR', 'PROFILE_THIN')).toBe('medium'); // bought identity signs: a look, not an alert
    expect(level('IDENTITY_TAKEOVER_SIGNS', 'BANK_SHARED_BY_IDENTITIES')).toBe('high'); // takeover paying out to a shared card
    expect(level('IDENTITY_TAKEOVER_SIGNS', 'BANK_MULE_ACCOUNT')).toBe('high'); // … or to a mule account
    expect(level('BANK_MULE_ACCOUNT')).toBe('medium');
    expect(level('DEVICE_IDENTITY_CYCLING', 'DEVICE_ROOTED')).toBe('high'); // cycling on a rooted handset
    expect(level('DEVICE_IDENTITY_CYCLING')).toBe('low'); // two IDs on one family tablet
    expect(level('RING_MEMBER')).toBe('high');
    // Account takeover: impossible travel from abroad (TAKEOVER_TRAVEL); a traveller abroad without it stays low.
    expect(level('TRAVEL_IDENTITY_IMPOSSIBLE', 'IP_OUTSIDE_SERVICE_AREA', 'GEO_COUNTRY_MISMATCH')).toBe('high');
    expect(level('IP_OUTSIDE_SERVICE_AREA', 'GEO_COUNTRY_MISMATCH')).toBe('low');
    expect(level('TRAVEL_IDENTITY_IMPOSSIBLE')).toBe('medium');
    expect(level('DEVICE_EMULATOR', 'DEVICE_MANY_IDENTITIES')).toBe('critical');
    expect(level('DEVICE_EMULATOR', 'DEVICE_MANY_IDENTITIES', 'IP_DATACENTER')).toBe('critical');
    // Velocity alone sees pieces of a ring (medium); the graph binds them (RING_MEMBER, RING_WITH_SHARED_PAYOUT).
    expect(level('BANK_SHARED_BY_IDENTITIES', 'CONTACT_SHARED', 'IDENTITY_MANY_DEVICES')).toBe('medium');
    expect(level('RING_MEMBER', 'BANK_MULE_ACCOUNT')).toBe('critical');
    expect(level('BANK_SHARED_BY_IDENTITIES', 'CONTACT_SHARED')).toBe('low'); // a family card and a popular contact
    expect(level('BUREAU_MULTI_LENDER')).toBe('low');
    expect(level('BUREAU_MULTI_LENDER_SEVERE')).toBe('low');
    // A heavy borrower behind carrier NAT with a popular contact, or on a family card: not an alert.
    expect(level('BUREAU_MULTI_LENDER_SEVERE', 'IP_MANY_IDENTITIES', 'CONTACT_SHARED')).toBe('medium');
    expect(level('BUREAU_MULTI_LENDER_SEVERE', 'BANK_SHARED_BY_IDENTITIES', 'CONTACT_SHARED')).toBe('medium');
    // Many lenders elsewhere and probing here: BUREAU_WITH_PROBE_SIGNS.
    expect(level('BUREAU_MULTI_LENDER', 'MULTI_LENDER_PARTNERS_24H')).toBe('high');
    // A data-centre IP is evidence of its own (25): the three reach an alert.
    expect(level('BUREAU_MULTI_LENDER_SEVERE', 'IP_DATACENTER')).toBe('high');
    expect(level('BUREAU_MULTI_LENDER_SEVERE', 'MULTI_LENDER_PARTNERS_1H')).toBe('critical');
    expect(fired(clean({ ...TRIGGERS.BUREAU_MULTI_LENDER, ...TRIGGERS.MULTI_LENDER_SPREE }))).toContain('BUREAU_WITH_PROBE_SIGNS'); // the heaviest tier too
    expect(level('PHONE_SHARED_BY_IDENTITIES')).toBe('low');
    expect(level('MULTI_LENDER_PARTNERS_1H', 'MULTI_LENDER_PARTNERS_24H', 'IDENTITY_MANY_PHONES', 'IDENTITY_MANY_BANKS')).toBe('critical'); // probing with fresh SIMs and cards
  });

  it('can shed optional rules under load', () => {
    const r = evaluate(ruleSet, clean({ ...TRIGGERS.GEO_REGION_MISMATCH, ...TRIGGERS.DEVICE_EMULATOR }), { skipTags: ['optional'] });
    expect(r.flags.map((x) => x.code)).toEqual(['DEVICE_EMULATOR']);
  });
});

describe('docs/rules.md', () => {
  const docs = readFileSync(root('docs/rules.md'), 'utf8');
  const rulesTable = docs.slice(docs.indexOf('## Default rules'), docs.indexOf('## Combinations'));
  const documented = [...rulesTable.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);

  it('documents every default rule in its table, and nothing else', () => {
    expect([...documented].sort()).toEqual([...ids].sort());
  });

  it('documents every default combination with its severity and weight', () => {
    const table = docs.slice(docs.indexOf('## Combinations'), docs.indexOf('## 多头'));
    const listed = [...table.matchAll(/^\| `([A-Z0-9_]+)` \| (\w+) \| (\d+) \|/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(listed.sort()).toEqual(ruleSet.combinations.map((c) => `${c.id} ${c.severity} ${c.weight}`).sort());
  });

  it('shows each rule with its current severity and weight', () => {
    for (const r of ruleSet.rules) expect(docs).toMatch(new RegExp(`^\\| \`${r.id}\` \\| ${r.severity} \\| ${r.weight} \\|`, 'm'));
  });
});
