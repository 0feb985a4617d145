import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserDirectory } from '../../../../src/console/api/auth/directory.js';
import { hashToken } from '../../../../src/console/api/auth/tokens.js';
import { addUserToFile, parseUsers, readUsersFile, removeUserFromFile } from '../../../../src/console/api/auth/users-file.js';
import { createLogger } from '../../../../src/platform/logger.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'lg-users-'));
const logger = createLogger('silent');

describe('console users file', () => {
  it('reads YAML and JSON lists and refuses bad entries, naming each problem', async () => {
    const hash = await hashToken('t', { N: 1024, r: 8, p: 1 });
    expect(parseUsers(`- name: ana\n  role: analyst\n  tokenHash: "${hash}"\n`, 'u.yaml')).toEqual([{ name: 'ana', role: 'analyst', tokenHash: hash }]);
    expect(parseUsers(JSON.stringify([{ name: 'vera', role: 'viewer', tokenHash: hash }]), 'u.json')).toHaveLength(1);
    expect(parseUsers('', 'empty.yaml')).toEqual([]);
    const bad = (text: string): string => {
      try {
        parseUsers(text, 'u.yaml');
        return 'accepted';
      } catch (err) {
        return `${(err as { code: string }).code}: ${(err as Error).message}`;
      }
    };
    expect(bad(`- { name: ana, role: root, tokenHash: "${hash}" }`)).toMatch(/^CONFIG_INVALID: .*0\.role/s);
    expect(bad('- { name: ana, role: viewer, tokenHash: plain-token }')).toMatch(/0\.tokenHash: expected scrypt/);
    expect(bad(`- { name: Ana, role: viewer, tokenHash: "${hash}" }`)).toMatch(/0\.name/);
    expect(bad(`- { name: ana, role: viewer, tokenHash: "${hash}", token: secret }`)).toMatch(/token/);
    expect(bad(`[{ name: a, role: viewer, tokenHash: "${hash}" }, { name: a, role: admin, tokenHash: "${hash}" }]`)).toMatch(/listed twice/);
    expect(bad('{ not: a list }')).toMatch(/CONFIG_INVALID/);
    expect(bad('- [unclosed')).toMatch(/not YAML or JSON/);
  });

  it('adds users with a token shown once (only the hash written, mode 0600), refuses a taken name, removes', async () => {
    for (const file of [join(dir(), 'users.yaml'), join(dir(), 'users.json')]) {
      const { token, user } = await addUserToFile(file, 'ana', 'analyst');
      expect(user.role).toBe('analyst');
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(token);
      expect(text).toContain(user.tokenHash);
      if (file.endsWith('.json')) expect(JSON.parse(text)).toHaveLength(1);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      await expect(addUserToFile(file, 'ana', 'viewer')).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(addUserToFile(file, 'Bad Name', 'viewer')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
      await addUserToFile(file, 'bo', 'viewer');
      expect(readUsersFile(file).map((u) => u.name)).toEqual(['ana', 'bo']);
      expect(removeUserFromFile(file, 'ana')).toBe(true);
      expect(removeUserFromFile(file, 'ana')).toBe(false);
      expect(readUsersFile(file).map((u) => u.name)).toEqual(['bo']);
    }
    expect(() => readUsersFile(join(dir(), 'missing.yaml'))).toThrow(/cannot be read/);
  });
});

describe('console user directory', () => {
  it('authenticates tokens of the file, caches them, and refuses at once a user removed or given a new token', async () => {
    const file = join(dir(), 'users.yaml');
    const { token } = await addUserToFile(file, 'ana', 'analyst');
    const users = new UserDirectory(file, logger);
    expect(await users.authenticate(token)).toEqual({ name: 'ana', role: 'analyst', source: 'file' });
    expect(await users.authenticate(token)).toMatchObject({ name: 'ana' }); // cached
    expect(await users.authenticate('lgc_ana_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
    expect(await users.authenticate('lgc_nobody_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
    expect(await users.authenticate('garbage')).toBeUndefined();
    const fingerprint = users.fingerprint('ana');
    // Another process (the CLI) rewrites the file: the directory notices on refresh.
    removeUserFromFile(file, 'ana');
    const again = await addUserToFile(file, 'ana', 'admin');
    users.refresh();
    expect(await users.authenticate(token)).toBeUndefined();
    expect(await users.authenticate(again.token)).toMatchObject({ role: 'admin' });
    expect(users.fingerprint('ana')).not.toBe(fingerprint);
    const added = await users.add('bo', 'viewer');
    expect(await users.authenticate(added.token)).toMatchObject({ name: 'bo', role: 'viewer' });
    await expect(users.add('bo', 'viewer')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await users.remove('bo')).toBe(true);
    expect(await users.remove('bo')).toBe(false);
    expect(await users.authenticate(added.token)).toBeUndefined();
    expect(users.list()).toEqual([{ name: 'ana', role: 'admin', source: 'file' }]);
  });

  it('keeps the users it knows when the file becomes invalid, and has dev users only in memory', async () => {
    const file = join(dir(), 'users.yaml');
    await addUserToFile(file, 'ana', 'analyst');
    const users = new UserDirectory(file, logger);
    writeFileSync(file, '- { name: broken }\n');
    users.refresh();
    expect(users.list().map((u) => u.name)).toEqual(['ana']);
    const dev = await users.addDevUsers();
    expect(dev.map((d) => [d.name, d.role])).toEqual([
      ['dev-viewer', 'viewer'],
      ['dev-analyst', 'analyst'],
    ]);
    expect(await users.authenticate(dev[1]?.token as string)).toEqual({ name: 'dev-analyst', role: 'analyst', source: 'dev' });
    expect(readFileSync(file, 'utf8')).not.toContain('dev-');
    const none = new UserDirectory(undefined, logger);
    expect(none.manageable).toBe(false);
    await expect(none.add('x', 'viewer')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(() => new UserDirectory(join(dir(), 'missing.yaml'), logger)).toThrow(/CONFIG_INVALID|missing/);
  });
});
