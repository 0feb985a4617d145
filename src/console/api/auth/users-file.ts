import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { writeFileAtomically } from '../../../platform/atomic-write.js';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { LendguardError } from '../../../platform/errors.js';
import { generateToken, hashToken, isTokenHash, USER_NAME } from './tokens.js';

/**
 * The users file of the console API (config `console.usersFile`): a YAML or JSON list of `{ name, role, tokenHash }`,
 * kept outside the repository. Only hashes are in it. Written atomically (a temporary file renamed over it, mode
 * 0600); `.json` files are written as JSON, anything else as YAML.
 */
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface StoredUser {
  name: string;
  role: Role;
  tokenHash: string;
}

const userSchema = z
  .object({
    name: z.string().regex(USER_NAME, 'a user name is lower-case letters, digits, "." and "-", starting with a letter (max 64)'),
    role: z.enum(ROLES),
    tokenHash: z.string().refine(isTokenHash, 'expected scrypt$N$r$p$salt$hash'),
  })
  .strict();

const usersSchema = z.array(userSchema).superRefine((users, ctx) => {
  const seen = new Set<string>();
  users.forEach((u, i) => {
    if (seen.has(u.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `user ${u.name} is listed twice` });
    seen.add(u.name);
  });
});

/** Parses a users file's text (YAML is a superset of JSON). Throws CONFIG_INVALID naming each problem. */
export function parseUsers(text: string, file: string): StoredUser[] {
  let raw: unknown;
  try {
    raw = text.trim() === '' ? [] : parseYaml(text);
  } catch (err) {
    throw new LendguardError('CONFIG_INVALID', `users file ${file}: not YAML or JSON: ${(err as Error).message}`);
  }
  const parsed = usersSchema.safeParse(raw ?? []);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new LendguardError('CONFIG_INVALID', `users file ${file} is invalid:\n${problems}`);
  }
  return parsed.data;
}

export function readUsersFile(file: string): StoredUser[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LendguardError('CONFIG_INVALID', `users file ${file} cannot be read: ${(err as Error).message}`);
  }
  return parseUsers(text, file);
}

export function writeUsersFile(file: string, users: readonly StoredUser[]): void {
  const text = extname(file).toLowerCase() === '.json' ? `${JSON.stringify(users, null, 2)}\n` : stringifyYaml(users);
  writeFileAtomically(file, text, { mode: 0o600 });
}

/** Adds a user with a fresh token to the file (created if missing) and returns the token: shown once, never stored. */
export async function addUserToFile(file: string, name: string, role: Role): Promise<{ user: StoredUser; token: string }> {
  const users = existsSync(file) ? readUsersFile(file) : [];
  if (!USER_NAME.test(name)) throw new LendguardError('INVALID_REQUEST', `invalid user name ${JSON.stringify(name)}: ${USER_NAME.source}`);
  if (users.some((u) => u.name === name)) throw new LendguardError('CONFLICT', `user ${name} exists already in ${file}`);
  const token = generateToken(name);
  const user: StoredUser = { name, role, tokenHash: await hashToken(token) };
  writeUsersFile(file, [...users, user]);
  return { user, token };
}

/** Removes a user from the file; false when it was not there. */
export function removeUserFromFile(file: string, name: string): boolean {
  const users = readUsersFile(file);
  const kept = users.filter((u) => u.name !== name);
  if (kept.length === users.length) return false;
  writeUsersFile(file, kept);
  return true;
}
