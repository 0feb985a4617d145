import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/platform/config.js';
import { PACKAGE_ROOT, PATH_SETTINGS } from '../../../src/platform/config-paths.js';
import { configSchema } from '../../../src/platform/config-schema.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const elsewhere = (): string => mkdtempSync(join(tmpdir(), 'lg-cwd-'));

describe('file and directory settings', () => {
  it('resolves the defaults from the package root, whatever the working directory', () => {
    const c = loadConfig({ env: {}, cwd: elsewhere() });
    expect(PACKAGE_ROOT).toBe(root);
    expect(c.rules.file).toBe(join(root, 'config/rules.yaml'));
    expect(c.enrichment.ipLists.datacenter).toEqual([join(root, 'data/iplists/datacenter-ipv4.txt'), join(root, 'data/iplists/datacenter-ipv6.txt')]);
    expect(c.enrichment.asn.hostingFile).toBe(join(root, 'config/hosting-asns.yaml'));
  });

  it('resolves paths in a config file from that file’s folder, not from the working directory', () => {
    const dir = elsewhere();
    mkdirSync(join(dir, 'etc'));
    writeFileSync(
      join(dir, 'etc', 'my.yaml'),
      'rules: { file: my-rules.yaml }\nenrichment:\n  ipLists: { block: [lists/block.txt, /abs/allow.txt] }\nkafka:\n  ssl: { caFile: ../certs/ca.pem }\n',
    );
    const c = loadConfig({ file: 'etc/my.yaml', env: {}, cwd: dir });
    expect(c.rules.file).toBe(join(dir, 'etc', 'my-rules.yaml'));
    expect(c.enrichment.ipLists.block).toEqual([join(dir, 'etc', 'lists', 'block.txt'), '/abs/allow.txt']);
    expect(c.kafka.ssl).toMatchObject({ caFile: join(dir, 'certs', 'ca.pem') });
    expect(c.enrichment.ipLists.vpn[0]).toBe(join(root, 'data/iplists/vpn-ipv4.txt')); // not in the file: the default
  });

  it('resolves paths from the environment (and overrides) from the working directory', () => {
    const cwd = elsewhere();
    const c = loadConfig({ env: { LENDGUARD_RULES_FILE: 'r.yaml', LENDGUARD_IP_LIST_TOR: 'a.txt,/b.txt' }, overrides: { 'enrichment.dbipDir': 'geo' }, cwd });
    expect(c.rules.file).toBe(join(cwd, 'r.yaml'));
    expect(c.enrichment.ipLists.tor).toEqual([join(cwd, 'a.txt'), '/b.txt']);
    expect(c.enrichment.dbipDir).toBe(join(cwd, 'geo'));
  });

  it('lists every file or directory setting of the schema', () => {
    const found: string[] = [];
    const walk = (schema: unknown, path: string[]): void => {
      let s = schema as { def: { type: string; innerType?: unknown; shape?: Record<string, unknown>; options?: unknown[] } };
      while (s.def.innerType) s = s.def.innerType as typeof s;
      if (s.def.type === 'union') for (const o of s.def.options ?? []) walk(o, path);
      if (s.def.type !== 'object' || !s.def.shape) return;
      for (const [key, child] of Object.entries(s.def.shape)) {
        const p = [...path, key];
        if (/^(file|dir)$|(File|Dir)$/.test(key) || path[path.length - 1] === 'ipLists') found.push(p.join('.'));
        else walk(child, p);
      }
    };
    walk(configSchema, []);
    expect(found.length).toBeGreaterThan(5);
    expect([...PATH_SETTINGS].sort()).toEqual([...new Set(found)].sort());
  });

  it('lets `replay` run from another folder with the default rules (it exited 78 before)', () => {
    const cwd = elsewhere();
    const input = join(cwd, 'in.jsonl');
    writeFileSync(input, `${JSON.stringify(JSON.parse(readFileSync(join(root, 'contracts/example-application.json'), 'utf8')))}\n`);
    // `--import tsx` would be looked up from the working directory: give the loader's own path.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const out = execFileSync(process.execPath, ['--import', tsx, join(root, 'src/cli/index.ts'), 'replay', input], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, LENDGUARD_LOG_LEVEL: 'silent', LENDGUARD_PII_KEY: 'config-paths-test-key-0123456789' },
      timeout: 60_000,
    });
    expect(out).toContain(`(${join(root, 'config/rules.yaml')})`);
    expect(out).toMatch(/1 read · 1 assessed · 0 dead-lettered/);
  });
});
