import { statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { LendguardError } from '../../../platform/errors.js';
import type { Logger } from '../../../platform/logger.js';
import { generateToken, hashToken, tokenDigest, tokenUser, verifyToken } from './tokens.js';
import { addUserToFile, readUsersFile, removeUserFromFile, type Role, type StoredUser } from './users-file.js';

/**
 * The users the API knows: those of the users file (re-read when it changes, checked every few seconds) and, in
 * development with `console.devUsers`, a dev viewer and analyst that live in memory only. A verified token is
 * remembered (by its SHA-256) for a minute, so that scrypt runs once per token and minute, not once per request;
 * a user removed or given a new token is refused at once (the cache entry names the hash it was checked against).
 */
export interface User {
  name: string;
  role: Role;
  source: 'file' | 'dev';
}

interface Entry extends User {
  tokenHash: string;
}

const CACHE_MS = 60_000;
const CACHE_MAX = 10_000;

export class UserDirectory {
  private users = new Map<string, Entry>();
  private readonly verified = new Map<string, { name: string; tokenHash: string; until: number }>();
  private fileStamp = '';
  private changes: Promise<unknown> = Promise.resolve();
  /** checked against when the user named in a token does not exist, so that both cases take as long */
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly file: string | undefined,
    private readonly logger: Logger,
  ) {
    if (file) this.load();
  }

  /** Adds the development users (in memory only) and returns their tokens, to be printed. */
  async addDevUsers(): Promise<{ name: string; role: Role; token: string }[]> {
    const out: { name: string; role: Role; token: string }[] = [];
    for (const [name, role] of [
      ['dev-viewer', 'viewer'],
      ['dev-analyst', 'analyst'],
    ] as const) {
      const token = generateToken(name);
      this.users.set(name, { name, role, source: 'dev', tokenHash: await hashToken(token) });
      out.push({ name, role, token });
    }
    return out;
  }

  get size(): number {
    return this.users.size;
  }

  get manageable(): boolean {
    return this.file !== undefined;
  }

  list(): User[] {
    return [...this.users.values()].map(({ name, role, source }) => ({ name, role, source })).sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): User | undefined {
    const e = this.users.get(name);
    return e ? { name: e.name, role: e.role, source: e.source } : undefined;
  }

  /** A short digest of the user's current token hash: sessions carry it, so a new token or removal ends them. */
  fingerprint(name: string): string | undefined {
    const e = this.users.get(name);
    return e ? createHash('sha256').update(e.tokenHash).digest('base64url').slice(0, 22) : undefined;
  }

  /** The user of a token checked within the last minute (no hash computed), or undefined. */
  recentlyVerified(token: string): User | undefined {
    const hit = this.verified.get(tokenDigest(token));
    if (!hit || hit.until <= Date.now()) return undefined;
    const e = this.users.get(hit.name);
    return e && e.tokenHash === hit.tokenHash ? this.get(e.name) : undefined;
  }

  /** The user whose token this is, or undefined. */
  async authenticate(token: string): Promise<User | undefined> {
    const cached = this.recentlyVerified(token);
    if (cached) return cached;
    const digest = tokenDigest(token);
    const now = Date.now();
    const name = tokenUser(token);
    const e = name ? this.users.get(name) : undefined;
    if (!e) {
      this.dummyHash ??= hashToken(generateToken('nobody'));
      await verifyToken(token, await this.dummyHash);
      return undefined;
    }
    if (!(await verifyToken(token, e.tokenHash))) return undefined;
    if (this.verified.size >= CACHE_MAX) this.verified.clear();
    this.verified.set(digest, { name: e.name, tokenHash: e.tokenHash, until: now + CACHE_MS });
    return this.get(e.name);
  }

  /** Re-reads the users file if it changed; a file that became invalid is logged and the users known are kept. */
  refresh(): void {
    if (!this.file) return;
    try {
      if (this.stamp() !== this.fileStamp) this.load();
    } catch (err) {
      this.logger.error({ err: (err as Error).message }, 'users file not reloaded; keeping the users known');
    }
  }

  /** Adds a user to the file; returns the token (shown once). CONFLICT without a users file or for a name taken. */
  add(name: string, role: Role): Promise<{ user: User; token: string }> {
    return this.serial(async () => {
      const file = this.requireFile();
      if (this.users.get(name)?.source === 'dev') throw new LendguardError('CONFLICT', `user ${name} exists already (a development user)`);
      const { user, token } = await addUserToFile(file, name, role);
      this.load();
      return { user: { name: user.name, role: user.role, source: 'file' as const }, token };
    });
  }

  /** Removes a user of the file; false when there is none of that name. */
  remove(name: string): Promise<boolean> {
    return this.serial(async () => {
      const removed = removeUserFromFile(this.requireFile(), name);
      this.load();
      return removed;
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.changes.then(fn, fn);
    this.changes = run.catch(() => undefined);
    return run;
  }

  private requireFile(): string {
    if (!this.file) throw new LendguardError('CONFLICT', 'users are managed in a users file: set console.usersFile (LENDGUARD_CONSOLE_USERS_FILE)');
    return this.file;
  }

  private stamp(): string {
    try {
      const s = statSync(this.file as string);
      return `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch (err) {
      throw new LendguardError('CONFIG_INVALID', `users file ${this.file}: ${(err as Error).message}`);
    }
  }

  private load(): void {
    const stamp = this.stamp();
    const fromFile: StoredUser[] = readUsersFile(this.file as string);
    const dev = [...this.users.values()].filter((u) => u.source === 'dev' && !fromFile.some((f) => f.name === u.name));
    this.users = new Map([...fromFile.map((u): [string, Entry] => [u.name, { ...u, source: 'file' }]), ...dev.map((u): [string, Entry] => [u.name, u])]);
    this.fileStamp = stamp;
    this.logger.info({ users: fromFile.length, file: this.file }, 'console users loaded');
  }
}
