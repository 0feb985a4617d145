/**
 * The built-in sample: a small, deterministic mix of clean applications, a device farm, an emulator
 * burst from one data-centre IP, and a few bad records, so a first run shows every kind of output.
 * (The realistic traffic generator is a separate tool; this is only for the first five minutes.)
 */
export interface SampleRecord {
  key: string | null;
  value: string;
  kind: 'clean' | 'device-farm' | 'proxy-burst' | 'bad';
}

const UA_ANDROID = 'Mozilla/5.0 (Linux; Android 13; 2210132C) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile Safari/537.36';
const UA_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
const CITIES = [
  { region: 'Beijing', city: 'Beijing', lat: 39.9042, lon: 116.4074, ip: '123.123.45.' },
  { region: 'Shanghai', city: 'Shanghai', lat: 31.2304, lon: 121.4737, ip: '116.228.89.' },
  { region: 'Guangdong', city: 'Shenzhen', lat: 22.5431, lon: 114.0579, ip: '113.116.12.' },
  { region: 'Sichuan', city: 'Chengdu', lat: 30.5728, lon: 104.0668, ip: '171.221.34.' },
];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

interface Person {
  i: number;
  cityIndex: number;
}

/** Each run's people are new people: identifiers depend on the run tag, so runs never link up. */
function personOffset(runTag: string): number {
  let h = 0;
  for (const ch of runTag) h = (h * 31 + ch.charCodeAt(0)) % 9973;
  return h * 1000;
}

function application(id: string, p: Person, device: string, ip: string, atMs: number, extra: { emulator?: boolean; ua?: string } = {}) {
  const c = CITIES[p.cityIndex % CITIES.length] as (typeof CITIES)[number];
  return {
    schemaVersion: 1,
    applicationId: id,
    eventTime: new Date(atMs).toISOString(),
    partnerId: `partner-${['alpha', 'beta', 'gamma'][p.i % 3]}`,
    product: 'cash-installment',
    amount: 2000 + (p.i % 9) * 1000,
    currency: 'CNY',
    termMonths: [3, 6, 12][p.i % 3],
    applicant: {
      nationalId: `1101011990${pad(1 + (p.i % 12), 2)}${pad(10 + (p.i % 18), 2)}${pad(p.i, 4)}`,
      name: `Applicant ${p.i}`,
      phone: `+86138${pad(10000000 + p.i * 7919, 8)}`,
      email: `user${p.i}@example.com`,
      bankAccount: `62220202${pad(p.i * 104729, 11)}`,
      declaredRegion: { country: 'CN', region: c.region, city: c.city },
      contacts: [`+86139${pad(20000000 + p.i * 31, 8)}`],
    },
    device: {
      deviceId: device,
      userAgent: extra.ua ?? (p.i % 2 ? UA_IPHONE : UA_ANDROID),
      platform: p.i % 2 ? 'ios' : 'android',
      timezone: 'Asia/Shanghai',
      language: 'zh-CN',
      gps: { lat: c.lat + (p.i % 7) * 0.01, lon: c.lon - (p.i % 5) * 0.01, accuracyM: 30 },
      rooted: false,
      emulator: extra.emulator ?? false,
    },
    network: { ip },
  };
}

export function buildSample(nowMs: number, runTag: string): SampleRecord[] {
  const offset = personOffset(runTag);
  const person = (i: number, cityIndex: number): Person => ({ i: i + offset, cityIndex });
  const out: SampleRecord[] = [];
  const add = (kind: SampleRecord['kind'], body: unknown, key?: string): void => {
    const id = (body as { applicationId?: string }).applicationId;
    out.push({ kind, key: key ?? id ?? null, value: typeof body === 'string' ? body : JSON.stringify(body) });
  };
  let seq = 0;
  const nextId = (): string => `sample-${runTag}-${pad(++seq, 4)}`;
  for (let i = 1; i <= 20; i++) {
    const c = CITIES[i % CITIES.length] as (typeof CITIES)[number];
    add('clean', application(nextId(), person(i, i), `dev-${runTag}-${i}`, `${c.ip}${10 + i}`, nowMs - (20 - i) * 60_000));
  }
  // A device farm: one handset cycling six bought identities within half an hour.
  for (let k = 0; k < 6; k++) {
    add('device-farm', application(nextId(), person(100 + k, 2), `dev-${runTag}-farm`, `113.116.12.${200 + k}`, nowMs - (6 - k) * 300_000));
  }
  // Emulators behind one data-centre address, eight identities in minutes.
  for (let k = 0; k < 8; k++) {
    add('proxy-burst', application(nextId(), person(200 + k, 0), `emu-${runTag}-${k}`, '47.89.21.5', nowMs - (8 - k) * 30_000, { emulator: true }));
  }
  add('bad', 'this is not JSON', `bad-${runTag}-1`);
  add('bad', { ...application(nextId(), person(300, 1), 'dev-x', '116.228.89.9', nowMs), schemaVersion: 2 });
  const missing = application(nextId(), person(301, 1), 'dev-y', '116.228.89.9', nowMs) as Record<string, unknown>;
  delete missing.applicant;
  add('bad', missing);
  add('bad', application(nextId(), person(302, 1), 'dev-z', '999.1.1.1', nowMs));
  return out;
}
