import { describe, expect, it } from 'vitest';
import { DeviceParser, deviceFeatures, parseUserAgent, platformMismatch } from '../../../src/enrich/device.js';
import { LruCache } from '../../../src/enrich/lru.js';
import { UA } from './user-agents.js';

describe('parseUserAgent', () => {
  it.each([
    ['chromeWin', { browser: 'Chrome', os: 'Windows', type: 'desktop', bot: false, headless: false }],
    ['edgeWin', { browser: 'Edge', browserVersion: '124.0.2478.80', os: 'Windows', type: 'desktop' }],
    ['firefoxWin', { browser: 'Firefox', os: 'Windows', type: 'desktop' }],
    ['safariMac', { browser: 'Safari', os: 'Mac OS', osVersion: '10.15.7', type: 'desktop', vendor: 'Apple' }],
    ['androidChrome', { browser: 'Chrome', os: 'Android', osVersion: '10', type: 'mobile', osFamily: 'android' }],
    ['iphoneSafari', { browser: 'Mobile Safari', os: 'iOS', osVersion: '17.4.1', type: 'mobile', vendor: 'Apple', model: 'iPhone' }],
    ['ipad', { os: 'iOS', type: 'tablet', model: 'iPad' }],
    ['wechatAndroid', { browser: 'WeChat', os: 'Android', type: 'mobile', vendor: 'Vivo', model: 'V2134A', bot: false }],
    ['wechatIos', { browser: 'WeChat', os: 'iOS', type: 'mobile', bot: false }],
    ['iosNativeApp', { browser: null, os: 'iOS', osFamily: 'ios', type: 'unknown', bot: false }],
    ['googlebot', { browser: null, os: null, type: 'unknown', bot: true, headless: false }],
    ['curl', { type: 'unknown', bot: true, headless: false }],
    ['pythonRequests', { type: 'unknown', bot: true }],
    ['okhttp', { type: 'unknown', bot: true }],
    ['headlessChrome', { browser: 'Chrome Headless', os: 'Linux', type: 'desktop', bot: true, headless: true }],
    ['puppeteerDefault', { headless: true, bot: true }],
    ['phantomjs', { browser: 'PhantomJS', headless: true, bot: true }],
    ['electron', { browser: 'Electron', headless: true, bot: false }],
    ['garbage', { browser: null, os: null, type: 'unknown', missing: false }],
  ] as const)('%s', (name, expected) => {
    expect(parseUserAgent(UA[name])).toMatchObject(expected);
  });

  it('treats absent, empty and blank UAs as missing', () => {
    for (const ua of [undefined, null, '', '   ']) {
      expect(parseUserAgent(ua)).toMatchObject({ missing: true, bot: false, headless: false, type: 'unknown', browser: null });
    }
  });

  it('catches automation markers isbot does not list', () => {
    expect(parseUserAgent(`${UA.chromeWin} Puppeteer`).headless).toBe(true);
    expect(parseUserAgent('Mozilla/5.0 (linux) AppleWebKit/537.36 (KHTML, like Gecko) jsdom/20.0.0').headless).toBe(true);
  });
});

describe('platformMismatch', () => {
  const p = (ua: string) => parseUserAgent(ua);
  it.each([
    ['ios', UA.androidChrome, true],
    ['android', UA.iphoneSafari, true],
    ['android', UA.chromeWin, true], // mobile app platform, desktop UA
    ['ios', UA.firefoxWin, true],
    ['ios', UA.headlessChrome, true],
    ['android', UA.safariMac, true],
    ['ios', UA.iphoneSafari, false],
    ['ios', UA.wechatIos, false],
    ['ios', UA.iosNativeApp, false],
    ['ios', UA.safariMac, false], // iPadOS sends a Macintosh UA by default
    ['android', UA.wechatAndroid, false],
    ['web', UA.chromeWin, false],
    ['web', UA.androidChrome, false],
    ['other', UA.chromeWin, null],
    ['android', UA.curl, null], // no OS in the UA: cannot tell
    ['android', '', null],
  ] as const)('%s + %s → %s', (platform, ua, expected) => {
    expect(platformMismatch(platform, p(ua))).toBe(expected);
  });

  it('is unknown without a declared platform', () => {
    expect(platformMismatch(undefined, p(UA.androidChrome))).toBeNull();
  });
});

describe('deviceFeatures', () => {
  it('passes SDK rooted/emulator through, null when not sent', () => {
    const f = deviceFeatures({ deviceId: { id: 'd', masked: 'd' }, platform: 'android', rooted: true, emulator: false }, parseUserAgent(UA.androidChrome));
    expect(f).toMatchObject({ 'device.rooted': true, 'device.emulator': false, 'device.platformMismatch': false, 'device.type': 'mobile' });
    const g = deviceFeatures({ deviceId: { id: 'd', masked: 'd' } }, parseUserAgent(undefined));
    expect(g).toMatchObject({ 'device.rooted': null, 'device.emulator': null, 'device.uaMissing': true, 'device.platformMismatch': null });
  });
});

describe('DeviceParser cache', () => {
  it('parses each distinct UA once and stays bounded', () => {
    const parser = new DeviceParser(2);
    const first = parser.parse(UA.chromeWin);
    expect(parser.parse(UA.chromeWin)).toBe(first);
    parser.parse(UA.curl);
    parser.parse(UA.okhttp); // evicts chromeWin (least recently used)
    expect(parser.stats()).toEqual({ size: 2, hits: 1, misses: 3 });
    expect(parser.parse(UA.chromeWin)).not.toBe(first);
    expect(parser.parse(UA.chromeWin)).toEqual(first);
  });

  it('LRU refreshes recency on get and rejects a non-positive size', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
    expect(() => new LruCache(0)).toThrow(/positive integer/);
  });
});
