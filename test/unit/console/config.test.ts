import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/platform/config.js';

describe('console configuration', () => {
  it('has defaults that point at the local PostgreSQL and its own consumer group', () => {
    const c = loadConfig({ env: {} }).console;
    expect(c.postgres.url).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(c.postgres.schema).toBe('lendguard');
    expect(c.groupId).toBe('lendguard-console');
    expect(c.retentionDays).toBe(90);
    expect(c.http.port).toBe(9465);
  });

  it('reads the environment and refuses bad values at start-up', () => {
    const c = loadConfig({
      env: {
        LENDGUARD_CONSOLE_POSTGRES_SCHEMA: 'lg_x',
        LENDGUARD_CONSOLE_GROUP_ID: 'g',
        LENDGUARD_CONSOLE_RETENTION_DAYS: '7',
        LENDGUARD_CONSOLE_HTTP_PORT: '0',
      },
    }).console;
    expect(c).toMatchObject({ groupId: 'g', retentionDays: 7, http: { port: 0 }, postgres: { schema: 'lg_x' } });
    expect(() => loadConfig({ env: { LENDGUARD_CONSOLE_POSTGRES_SCHEMA: 'Robert"); DROP' } })).toThrow(/console\.postgres\.schema/);
    expect(() => loadConfig({ env: { LENDGUARD_CONSOLE_POSTGRES_URL: 'mysql://x' } })).toThrow(/postgres:\/\//);
    expect(() => loadConfig({ env: { LENDGUARD_CONSOLE_RETENTION_DAYS: '0' } })).toThrow(/console\.retentionDays/);
  });
});
