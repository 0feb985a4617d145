import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redactedRedisUrl } from '../../../src/platform/redis-url.js';

describe('redis.url forms', () => {
  it('keeps a single-Redis URL as it is', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379' });
    expect(parseRedisUrl('rediss://user:pw@redis.example:6380/2')).toMatchObject({ kind: 'single' });
  });

  it('reads the seed nodes, credentials and TLS of a cluster URL', () => {
    expect(parseRedisUrl('redis+cluster://10.0.0.1:7000,10.0.0.2:7001')).toEqual({
      kind: 'cluster',
      tls: false,
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
    });
    expect(parseRedisUrl('rediss+cluster://lg:p%40ss:w@[::1]:7000,redis-0.internal:7000/')).toEqual({
      kind: 'cluster',
      tls: true,
      username: 'lg',
      password: 'p@ss:w',
      nodes: [
        { host: '::1', port: 7000 },
        { host: 'redis-0.internal', port: 7000 },
      ],
    });
  });

  it('says what is wrong with a bad URL', () => {
    expect(() => parseRedisUrl('http://x:1')).toThrow(/starts with redis:\/\/, rediss:\/\/, redis\+cluster:\/\//);
    expect(() => parseRedisUrl('redis://127.0.0.1:99999')).toThrow(/port is not 1–65535/);
    expect(() => parseRedisUrl('redis+cluster://a:7000,b')).toThrow(/"b" is not host:port/);
    expect(() => parseRedisUrl('redis+cluster://a:70000')).toThrow(/port of 1–65535/);
    expect(() => parseRedisUrl('redis+cluster://a:7000/1')).toThrow(/no database/);
    expect(() => parseRedisUrl('redis+cluster://')).toThrow(/is not host:port/);
  });

  it('never prints a password', () => {
    expect(redactedRedisUrl('redis://:secret@h:6379')).toBe('redis://:***@h:6379');
    expect(redactedRedisUrl('rediss+cluster://lg:secret@a:1,b:2')).toBe('rediss+cluster://lg:***@a:1,b:2');
    expect(redactedRedisUrl('redis://h:6379')).toBe('redis://h:6379');
  });
});
