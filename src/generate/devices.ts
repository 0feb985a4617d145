import UserAgent, { type UserAgentData } from 'user-agents';
import { FixedWeights, WeightedTable, type Rng } from './prng.js';

/**
 * Devices and user agents. UAs come from the `user-agents` corpus (real browser UAs with observed weights), read once
 * through its deterministic `top()` listing and then picked with our own seeded generator (its `random()` uses
 * Math.random). The corpus files UAs by `deviceCategory`, but many "mobile" entries have `platform: "Linux x86_64"`:
 * desktop Chrome in device-emulation mode (e.g. the DevTools "Galaxy S5" UA with Chrome/53 and random build
 * numbers). Real Android phones report an ARM platform, so only those are used for Android.
 */

export type DevicePlatform = 'ios' | 'android' | 'web' | 'other';

export interface Device {
  deviceId: string;
  platform: DevicePlatform;
  userAgent: string;
  screen: string;
  language: string;
  timezone: string;
  rooted: boolean;
  emulator: boolean;
}

/** The corpus entries also carry `deviceCategory` (desktop | mobile | tablet), which the package's types omit. */
type UaEntry = UserAgentData & { deviceCategory?: string };

interface UaPools {
  android: WeightedTable<UaEntry>;
  ios: WeightedTable<UaEntry>;
  desktop: WeightedTable<UaEntry>;
}

let pools: UaPools | undefined;

function table(filter: (d: UaEntry) => boolean): WeightedTable<UaEntry> {
  const all = UserAgent.top(undefined, (d: UaEntry) => filter(d)) as UaEntry[];
  return new WeightedTable(all, (d) => d.weight);
}

export function uaPools(): UaPools {
  pools ??= {
    android: table((d) => d.deviceCategory === 'mobile' && /^Linux (armv|aarch64)/.test(d.platform) && d.userAgent.includes('Android')),
    ios: table((d) => d.platform === 'iPhone' && d.userAgent.includes('iPhone OS')),
    desktop: table((d) => d.deviceCategory === 'desktop' && (d.platform === 'Win32' || d.platform === 'MacIntel')),
  };
  return pools;
}

/** Real UA strings of Android emulators / cloud phones as farms run them (the corpus has none). */
export const EMULATOR_UAS: readonly string[] = [
  'Mozilla/5.0 (Linux; Android 11; sdk_gphone_x86 Build/RSR1.201013.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/83.0.4103.106 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; sdk_gphone64_x86_64 Build/TE1A.220922.012; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/103.0.5060.71 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 9; SM-G9750 Build/PQ3B.190801.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/92.0.4515.131 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 7.1.2; V1938T Build/N2G48C; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/68.0.3440.70 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 9; ASUS_I003DD Build/PI; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/91.0.4472.114 Mobile Safari/537.36',
];

/** HTTP libraries, scripts and headless browsers (what the `bot` pattern sends). */
export const BOT_UAS: readonly string[] = [
  'python-requests/2.31.0',
  'python-requests/2.32.3',
  'okhttp/4.12.0',
  'okhttp/3.14.9',
  'curl/8.5.0',
  'curl/7.81.0',
  'Go-http-client/1.1',
  'Apache-HttpClient/4.5.14 (Java/17.0.9)',
  'python-httpx/0.27.0',
  'axios/1.6.8',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.6367.60 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36',
];

function uuid(rng: Rng): string {
  const h = rng.hex(32);
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** SDK-style device ids: IDFV (upper-case UUID) on iOS, 16-hex ANDROID_ID on Android, a fingerprint hash on the web. */
export function makeDeviceId(rng: Rng, platform: DevicePlatform): string {
  if (platform === 'ios') return uuid(rng).toUpperCase();
  if (platform === 'android') return rng.hex(16);
  return `fp_${rng.hex(32)}`;
}

const ANDROID_WIDTHS = new FixedWeights([1080, 1440, 720], [85, 10, 5]);
const LANGUAGES = new FixedWeights(['zh-CN', 'zh-Hans-CN', 'en-US', 'zh-TW'], [92, 4, 3, 1]);
const PLATFORMS = new FixedWeights<DevicePlatform>(['android', 'ios', 'web'], [60, 30, 10]);

function physicalScreen(rng: Rng, d: UaEntry, platform: DevicePlatform): string {
  if (platform === 'web' && d.deviceCategory === 'desktop') return `${d.screenWidth}x${d.screenHeight}`;
  const targetWidth = platform === 'ios' ? (d.screenWidth <= 375 ? d.screenWidth * 2 : d.screenWidth * 3) : ANDROID_WIDTHS.pick(rng);
  const dpr = targetWidth / d.screenWidth;
  return `${Math.round(d.screenWidth * dpr)}x${Math.round(d.screenHeight * dpr)}`;
}

function language(rng: Rng): string {
  return LANGUAGES.pick(rng);
}

export interface DeviceOptions {
  platform?: DevicePlatform;
  timezone?: string;
  rooted?: boolean;
  emulator?: boolean;
  /** For `web`: probability of a desktop UA (else a mobile browser). */
  desktopShare?: number;
}

/** A believable consumer device: the UA family matches the platform. */
export function makeDevice(rng: Rng, opts: DeviceOptions = {}): Device {
  const platform = opts.platform ?? PLATFORMS.pick(rng);
  const p = uaPools();
  let data: UaEntry;
  if (platform === 'ios') data = p.ios.pick(rng);
  else if (platform === 'android') data = p.android.pick(rng);
  else data = rng.chance(opts.desktopShare ?? 0.7) ? p.desktop.pick(rng) : rng.chance(0.6) ? p.android.pick(rng) : p.ios.pick(rng);
  const emulator = opts.emulator ?? false;
  return {
    deviceId: makeDeviceId(rng, platform),
    platform,
    userAgent: emulator && platform === 'android' ? rng.pick(EMULATOR_UAS) : data.userAgent,
    screen: emulator ? rng.pick(['720x1280', '1080x1920', '900x1600']) : physicalScreen(rng, data, platform),
    language: language(rng),
    timezone: opts.timezone ?? 'Asia/Shanghai',
    rooted: opts.rooted ?? (platform === 'android' ? rng.chance(0.02) : false),
    emulator,
  };
}
