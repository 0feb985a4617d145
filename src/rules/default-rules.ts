import type { EvidenceValue } from '../domain/assessment.js';
import type { Features, Rule } from './rule.js';

/**
 * The built-in rule set. Every code is documented in docs/rules.md.
 */
const num = (f: Features, name: string): number => {
  const v = f[name];
  return typeof v === 'number' ? v : 0;
};

function over(feature: string, limit: number, extra: (f: Features) => Record<string, EvidenceValue> = () => ({})) {
  return (f: Features): Record<string, EvidenceValue> | null => {
    const value = num(f, feature);
    return value > limit ? { [feature]: value, limit, ...extra(f) } : null;
  };
}

export const DEFAULT_RULES: readonly Rule[] = [
  {
    code: 'DEVICE_EMULATOR',
    description: 'The device SDK reports an emulator: device farms run applications from emulators.',
    severity: 'high',
    weight: 35,
    when: (f) => (f['device.emulator'] === true ? { 'device.emulator': true, device: f['device.masked'] ?? null } : null),
    reason: (e) => `device ${String(e.device)} is an emulator (reported by the device SDK)`,
  },
  {
    code: 'DEVICE_ROOTED',
    description: 'The device SDK reports a rooted/jailbroken device, which can fake location and identity.',
    severity: 'medium',
    weight: 15,
    when: (f) => (f['device.rooted'] === true ? { 'device.rooted': true, device: f['device.masked'] ?? null } : null),
    reason: (e) => `device ${String(e.device)} is rooted or jailbroken`,
  },
  {
    code: 'IP_NOT_PUBLIC',
    description: 'The edge saw a non-public IP (private, loopback, reserved…): spoofed or misrouted input.',
    severity: 'medium',
    weight: 20,
    when: (f) =>
      typeof f['ip.class'] === 'string' && f['ip.class'] !== 'public' && f['ip.class'] !== 'carrier-nat'
        ? { 'ip.class': f['ip.class'], ip: f['ip.masked'] ?? null }
        : null,
    reason: (e) => `applicant IP ${String(e.ip)} is ${String(e['ip.class'])}, not a public address`,
  },
  {
    code: 'DEVICE_MANY_IDENTITIES',
    description: 'One device used by several national IDs in 24 h: the signature of a device farm cycling bought identities.',
    severity: 'high',
    weight: 40,
    when: over('device.identities.24h', 3, (f) => ({ device: f['device.masked'] ?? null })),
    reason: (e) => `device ${String(e.device)} used by ${String(e['device.identities.24h'])} identities in 24h (limit ${String(e.limit)})`,
  },
  {
    code: 'DEVICE_VELOCITY',
    description: 'Many applications from one device within an hour.',
    severity: 'medium',
    weight: 20,
    when: over('device.apps.1h', 5, (f) => ({ device: f['device.masked'] ?? null })),
    reason: (e) => `device ${String(e.device)} sent ${String(e['device.apps.1h'])} applications in 1h (limit ${String(e.limit)})`,
  },
  {
    code: 'IDENTITY_MANY_DEVICES',
    description: 'One national ID applying from several devices in 24 h: a bought identity tried from a farm.',
    severity: 'medium',
    weight: 25,
    when: over('identity.devices.24h', 2, (f) => ({ nationalId: f['identity.masked'] ?? null })),
    reason: (e) => `national ID ${String(e.nationalId)} applied from ${String(e['identity.devices.24h'])} devices in 24h (limit ${String(e.limit)})`,
  },
  {
    code: 'IDENTITY_VELOCITY',
    description: 'Many applications by one national ID within 24 h (probing many products or partners).',
    severity: 'medium',
    weight: 20,
    when: over('identity.apps.24h', 4, (f) => ({ nationalId: f['identity.masked'] ?? null })),
    reason: (e) => `national ID ${String(e.nationalId)} applied ${String(e['identity.apps.24h'])} times in 24h (limit ${String(e.limit)})`,
  },
  {
    code: 'IP_MANY_IDENTITIES',
    description: 'Many identities behind one IP within an hour: a proxy or data-centre burst.',
    severity: 'medium',
    weight: 25,
    when: over('ip.identities.1h', 5, (f) => ({ ip: f['ip.masked'] ?? null })),
    reason: (e) => `IP ${String(e.ip)} used by ${String(e['ip.identities.1h'])} identities in 1h (limit ${String(e.limit)})`,
  },
];
