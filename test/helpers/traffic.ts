import { readFileSync } from 'node:fs';
import type { RawApplication } from '../../src/domain/application.js';
import type { RawMessage } from './services.js';

const example = JSON.parse(readFileSync(new URL('../../contracts/example-application.json', import.meta.url), 'utf8')) as RawApplication;

/** A valid application with distinct identifiers for index `i` (deterministic). */
export function application(prefix: string, i: number, patch: (a: RawApplication) => void = () => undefined): RawApplication {
  const a = structuredClone(example);
  a.applicationId = `${prefix}-${String(i).padStart(6, '0')}`;
  a.eventTime = new Date(Date.now() - 1000).toISOString();
  a.applicant.nationalId = `11010119900101${String(i).padStart(4, '0')}`;
  a.applicant.phone = `+86139${String(10_000_000 + i).slice(-8)}`;
  a.device.deviceId = `dev-${prefix}-${i}`;
  a.applicant.email = `user${i}@example.com`;
  a.applicant.bankAccount = `6222020200${String(i).padStart(9, '0')}`;
  a.applicant.contacts = [`+86137${String(20_000_000 + i).slice(-8)}`];
  a.applicant.address = `${100 + (i % 900)} Jianguo Road, unit ${i}, Chaoyang District, Beijing`;
  a.applicant.employer = `Employer ${i} Ltd`;
  // 123.123.0.0/16 geolocates to Beijing (DB-IP), matching the example's declared region and GPS.
  a.network.ip = `123.123.${(i >> 8) & 255}.${i & 255}`;
  patch(a);
  return a;
}

export function asMessage(a: RawApplication): RawMessage {
  return { key: a.applicationId, value: JSON.stringify(a) };
}
