import { isbot, list as isbotList } from 'isbot';
import UAParser from 'ua-parser-js';
import type { Application } from '../domain/application.js';
import { LruCache } from './lru.js';

/** Device signals from the user-agent string and the SDK (pure, apart from the parser's cache). */
export type DeviceType = 'mobile' | 'tablet' | 'desktop' | 'smarttv' | 'wearable' | 'console' | 'embedded' | 'unknown';
export type OsFamily = 'ios' | 'android' | 'macos' | 'windows' | 'desktop-other';
export type Platform = NonNullable<Application['device']['platform']>;

export interface UaInfo {
  missing: boolean;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  osFamily: OsFamily | null;
  type: DeviceType;
  vendor: string | null;
  model: string | null;
  /** isbot: crawlers, monitors, HTTP libraries (curl, python-requests, okhttp, Go-http-client, Java, …). */
  bot: boolean;
  /** Headless browsers and automation frameworks, by UA marker (a UA can be changed: absence proves nothing). */
  headless: boolean;
}

const PARSER_TYPES = new Set<DeviceType>(['mobile', 'tablet', 'smarttv', 'wearable', 'console', 'embedded']);
const DESKTOP_OSES = new Set([
  'windows',
  'mac os',
  'macos',
  'linux',
  'ubuntu',
  'debian',
  'fedora',
  'chromium os',
  'chrome os',
  'freebsd',
  'openbsd',
  'netbsd',
  'solaris',
  'arch',
  'gentoo',
  'mint',
  'suse',
  'opensuse',
  'redhat',
  'red hat',
  'centos',
  'deepin',
  'kubuntu',
  'manjaro',
  'elementary os',
  'unix',
  'mageia',
  'slackware',
]);

/** isbot's own automation patterns (headless, phantomjs, playwright, selenium, …) plus markers isbot leaves out. */
const AUTOMATION_FROM_ISBOT = isbotList.filter((p) => /headless|phantom|playwright|selenium|puppeteer|webdriver/i.test(p));
const AUTOMATION = new RegExp(
  [...AUTOMATION_FROM_ISBOT, 'electron/', 'puppeteer', 'jsdom/', 'slimerjs', 'nightmare', 'casperjs', 'htmlunit', 'zombie\\.js'].join('|'),
  'i',
);

export function osFamily(os: string | null): OsFamily | null {
  if (os === null) return null;
  const o = os.toLowerCase();
  if (o === 'ios') return 'ios';
  if (o === 'android' || o === 'harmonyos') return 'android'; // HarmonyOS 2–4 phones run Android apps
  if (o === 'mac os' || o === 'macos') return 'macos';
  if (o === 'windows') return 'windows';
  return DESKTOP_OSES.has(o) ? 'desktop-other' : null;
}

const orNull = (s: string | undefined): string | null => (s === undefined || s.trim() === '' ? null : s);

/** Pure: one UA string → UaInfo. Use DeviceParser in the hot path (it caches). */
export function parseUserAgent(ua: string | null | undefined): UaInfo {
  const text = ua?.trim() ?? '';
  if (text === '') {
    return {
      missing: true,
      browser: null,
      browserVersion: null,
      os: null,
      osVersion: null,
      osFamily: null,
      type: 'unknown',
      vendor: null,
      model: null,
      bot: false,
      headless: false,
    };
  }
  const r = new UAParser(text).getResult();
  const os = orNull(r.os.name);
  const family = osFamily(os);
  const parsedType = r.device.type as DeviceType | undefined;
  // ua-parser sets no type for desktops: call it a desktop only when a desktop OS *and* a browser were recognised.
  const type: DeviceType =
    parsedType !== undefined && PARSER_TYPES.has(parsedType)
      ? parsedType
      : (family === 'windows' || family === 'macos' || family === 'desktop-other') && orNull(r.browser.name) !== null
        ? 'desktop'
        : 'unknown';
  return {
    missing: false,
    browser: orNull(r.browser.name),
    browserVersion: orNull(r.browser.version),
    os,
    osVersion: orNull(r.os.version),
    osFamily: family,
    type,
    vendor: orNull(r.device.vendor),
    model: orNull(r.device.model),
    bot: isbot(text),
    headless: AUTOMATION.test(text),
  };
}

/** Parses UAs through a bounded LRU keyed by the exact UA string (the same few thousand UAs repeat millions of times). */
export class DeviceParser {
  private readonly cache: LruCache<string, UaInfo>;

  constructor(maxEntries = 10_000) {
    this.cache = new LruCache(maxEntries);
  }

  parse(ua: string | null | undefined): UaInfo {
    return this.cache.getOrCompute(ua ?? '', parseUserAgent);
  }

  stats(): { size: number; hits: number; misses: number } {
    return { size: this.cache.size, hits: this.cache.hits, misses: this.cache.misses };
  }
}

/**
 * Declared app platform vs the OS in the UA. null = cannot tell (no platform, 'other', no UA, unrecognised OS).
 * 'web' runs anywhere, so it never mismatches. An iOS app on a Mac-OS UA is fine: iPadOS browsers and WKWebViews
 * send a Macintosh UA by default. Known false positive: Android Chrome's "desktop site" mode sends a Linux x86_64 UA.
 */
export function platformMismatch(platform: Platform | undefined, ua: UaInfo): boolean | null {
  if (platform === undefined || platform === 'other' || ua.missing || ua.osFamily === null) return null;
  if (platform === 'web') return false;
  if (platform === 'ios') return ua.osFamily !== 'ios' && ua.osFamily !== 'macos';
  return ua.osFamily !== 'android';
}

/** A type alias (not an interface) so that it is assignable to Record<string, EvidenceValue>. */
export type DeviceFeatures = {
  'device.browser': string | null;
  'device.browserVersion': string | null;
  'device.os': string | null;
  'device.osVersion': string | null;
  'device.type': DeviceType;
  'device.vendor': string | null;
  'device.model': string | null;
  'device.bot': boolean;
  'device.headless': boolean;
  'device.uaMissing': boolean;
  'device.platformMismatch': boolean | null;
  'device.emulator': boolean | null;
  'device.rooted': boolean | null;
};

export function deviceFeatures(device: Application['device'], ua: UaInfo): DeviceFeatures {
  return {
    'device.browser': ua.browser,
    'device.browserVersion': ua.browserVersion,
    'device.os': ua.os,
    'device.osVersion': ua.osVersion,
    'device.type': ua.type,
    'device.vendor': ua.vendor,
    'device.model': ua.model,
    'device.bot': ua.bot,
    'device.headless': ua.headless,
    'device.uaMissing': ua.missing,
    'device.platformMismatch': platformMismatch(device.platform, ua),
    'device.emulator': typeof device.emulator === 'boolean' ? device.emulator : null,
    'device.rooted': typeof device.rooted === 'boolean' ? device.rooted : null,
  };
}
