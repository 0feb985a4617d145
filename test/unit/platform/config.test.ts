import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, piiKeyOrFail } from '../../../src/platform/config.js';
import { ENV_VARS } from '../../../src/platform/config-env.js';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('config', () => {
  it('has working defaults', () => {
    const c = loadConfig({ env: {} });
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.topics.applications).toBe('loan.applications');
    expect(c.latency.budgetMs).toBe(100);
    expect(c.scoring.alertLevel).toBe('high');
  });

  it('layers file < environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'kafka:\n  groupId: from-file\n  brokers: [a:1]\nlatency:\n  budgetMs: 250\n');
    const c = loadConfig({ file, env: { LENDGUARD_KAFKA_BROKERS: 'x:1, y:2' } });
    expect(c.kafka.groupId).toBe('from-file');
    expect(c.kafka.brokers).toEqual(['x:1', 'y:2']);
    expect(c.latency.budgetMs).toBe(250);
  });

  it('reads SASL and TLS settings from the environment', () => {
    const c = loadConfig({
      env: {
        LENDGUARD_KAFKA_SASL_MECHANISM: 'scram-sha-512',
        LENDGUARD_KAFKA_SASL_USERNAME: 'svc',
        LENDGUARD_KAFKA_SASL_PASSWORD: 'secret',
        LENDGUARD_KAFKA_SSL_CA_FILE: '/etc/ca.pem',
      },
    });
    expect(c.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'svc', password: 'secret' });
    expect(c.kafka.ssl).toEqual({ caFile: '/etc/ca.pem', rejectUnauthorized: true });
  });

  it('explains every problem and where it came from', () => {
    const message = errorOf(() => loadConfig({ env: { LENDGUARD_KAFKA_BROKERS: 'nohost', LENDGUARD_HTTP_PORT: 'eighty', LENDGUARD_ALERT_LEVEL: 'severe' } }));
    expect(message).toMatch(/kafka\.brokers\.0 \(from LENDGUARD_KAFKA_BROKERS\): each broker must look like host:port/);
    expect(message).toMatch(/http\.port \(from LENDGUARD_HTTP_PORT\): .*expected number/);
    expect(message).toMatch(/scoring\.alertLevel \(from LENDGUARD_ALERT_LEVEL\)/);
  });

  it('rejects unknown keys and bad values in files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'kafak: {}\nscoring:\n  alertLevel: severe\n');
    const message = errorOf(() => loadConfig({ file, env: {} }));
    expect(message).toMatch(/Unrecognized key: "kafak"/);
    expect(message).toMatch(/scoring\.alertLevel/);
  });

  it('refuses production without a PII key and warns in development', () => {
    expect(() => piiKeyOrFail(loadConfig({ env: { LENDGUARD_MODE: 'production' } }), () => undefined)).toThrow(/LENDGUARD_PII_KEY/);
    const warnings: string[] = [];
    expect(piiKeyOrFail(loadConfig({ env: {} }), (m) => warnings.push(m))).toBeTruthy();
    expect(warnings[0]).toMatch(/DEVELOPMENT key/);
    expect(() => loadConfig({ env: { LENDGUARD_PII_KEY: 'short' } })).toThrow(/at least 16/);
  });

  it('documents every environment variable in the README', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const v of ENV_VARS) expect(readme, v.name).toContain(`\`${v.name}\``);
  });
});

describe('configuration holes a hostile probe found', () => {
  const fails = (opts: Parameters<typeof loadConfig>[0]): string => {
    try {
      loadConfig(opts);
    } catch (err) {
      return (err as Error).message;
    }
    return 'accepted';
  };

  it('refuses an empty LENDGUARD_KAFKA_BROKERS instead of using the default broker', () => {
    expect(fails({ env: { LENDGUARD_KAFKA_BROKERS: '' } })).toMatch(/kafka\.brokers \(from LENDGUARD_KAFKA_BROKERS\): is set but empty/);
  });

  it('reports a misspelt nested key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-config-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'kafka:\n  brokerz: [127.0.0.1:9092]\ngraph:\n  maxHops: 2\n');
    const message = fails({ file, env: {} });
    expect(message).toMatch(/kafka\.brokerz: unknown key/);
    expect(message).toMatch(/graph\.maxHops: unknown key/);
  });

  it('refuses pii.key in a config file in production (secrets come from the environment)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-config-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'mode: production\npii:\n  key: not-so-secret-0123456789abcdef\n');
    expect(fails({ file, env: {} })).toMatch(/pii\.key: a secret in a plain config file is refused in production/);
    expect(fails({ file, env: { LENDGUARD_MODE: 'development' } })).toBe('accepted');
  });

  it('refuses ports out of range', () => {
    expect(fails({ env: { LENDGUARD_KAFKA_BROKERS: '127.0.0.1:99999' } })).toMatch(/a port is 1–65535/);
    expect(fails({ env: { LENDGUARD_REDIS_URL: 'redis://127.0.0.1:99999' } })).toMatch(/port is not 1–65535/);
    expect(fails({ env: { LENDGUARD_REDIS_URL: 'redis+cluster://a:7000', LENDGUARD_REDIS_KEY_PREFIX: 'lg{x}:' } })).toMatch(/must not contain \{ or \}/);
    expect(fails({ env: { LENDGUARD_HTTP_PORT: '99999' } })).toMatch(/http\.port/);
  });
});
