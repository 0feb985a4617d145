import { describe, expect, it } from 'vitest';
import { assertRedisVersion } from '../../../src/state/redis-state-store.js';

const info = (version: string): string => `# Server\r\nredis_version:${version}\r\nredis_mode:standalone\r\n`;

describe('assertRedisVersion', () => {
  it('accepts Redis 7 and later', () => {
    expect(() => assertRedisVersion(info('7.0.15'))).not.toThrow();
    expect(() => assertRedisVersion(info('8.2.1'))).not.toThrow();
  });

  it('refuses an older server with a fatal error naming the version', () => {
    expect(() => assertRedisVersion(info('6.2.14'))).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', policy: 'fatal', message: expect.stringMatching(/Redis 6\.2\.14 is too old.*7\.0 or later/) }),
    );
  });

  it('lets a server that hides its version through (the script reports the problem then)', () => {
    expect(() => assertRedisVersion('# Server\r\n')).not.toThrow();
  });
});
