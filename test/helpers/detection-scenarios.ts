import type { RawApplication } from '../../src/domain/application.js';
import { application } from './traffic.js';

/**
 * The detection scenarios of docs/rules.md ("Patterns and combinations"), as applications with event times relative
 * to `t0` (ms). Shared by the scenario test on the real broker and Redis and by the unit test on the in-process replay.
 *
 *   takeover   a Beijing customer applies at home; 15 minutes later "they" apply from Tokyo on another device,
 *              with the device still on Beijing time and a bank account they never used
 *   probe      a bought identity through four partners within 40 minutes, each time with a new phone and card
 *   cloudBot   a python-requests script and a headless Chrome from mainland Alibaba Cloud (AS37963)
 *   traveller  a Beijing customer who applied at home three days ago applies from Tokyo, device on Tokyo time
 */
export interface DetectionScenarios {
  takeover: RawApplication[];
  probe: RawApplication[];
  cloudBot: RawApplication[];
  traveller: RawApplication[];
}

const PARTNERS = ['partner-a', 'partner-b', 'partner-c', 'partner-d'];

export function detectionScenarios(prefix: string, t0: number): DetectionScenarios {
  const at = (minutes: number): string => new Date(t0 + minutes * 60_000).toISOString();
  const takeover = [
    application(`${prefix}-ato`, 1, (a) => void (a.eventTime = at(0))),
    application(`${prefix}-ato`, 1, (a) => {
      a.applicationId = `${prefix}-ato-000002`;
      a.eventTime = at(15);
      a.device.deviceId = `${prefix}-fraudster-phone`;
      a.device.gps = undefined;
      a.network.ip = '126.28.10.20'; // SoftBank mobile, Tokyo
      a.applicant.bankAccount = '6217000011112222333';
      a.amount = 20_000;
    }),
  ];
  const probe = PARTNERS.map((partner, k) =>
    application(`${prefix}-probe`, 10 + k, (a) => {
      a.applicant.nationalId = '440301199202023456';
      a.applicant.name = 'Li Si';
      a.partnerId = partner;
      a.device.deviceId = `${prefix}-probe-device`;
      a.network.ip = '123.123.77.7';
      a.eventTime = at(60 + k * 12);
    }),
  );
  const cloudBot = [
    application(`${prefix}-bot`, 20, (a) => {
      a.device.userAgent = 'python-requests/2.31.0';
      a.device.platform = 'web';
      delete a.device.gps;
      delete a.device.screen;
      a.network.ip = '47.92.33.44'; // Alibaba Cloud mainland (AS37963)
      a.eventTime = at(120);
    }),
    application(`${prefix}-bot`, 21, (a) => {
      a.device.userAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36';
      a.device.platform = 'web';
      delete a.device.gps;
      a.network.ip = '121.40.12.34'; // Alibaba Cloud mainland (AS37963), Hangzhou
      a.eventTime = at(121);
    }),
  ];
  const traveller = [
    application(`${prefix}-trip`, 30, (a) => void (a.eventTime = at(-3 * 24 * 60))),
    application(`${prefix}-trip`, 30, (a) => {
      a.applicationId = `${prefix}-trip-000002`;
      a.eventTime = at(130);
      a.device.timezone = 'Asia/Tokyo';
      a.device.gps = { lat: 35.68, lon: 139.76, accuracyM: 20 };
      a.network.ip = '126.28.10.21';
    }),
  ];
  return { takeover, probe, cloudBot, traveller };
}
