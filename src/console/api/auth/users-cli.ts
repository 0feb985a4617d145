import { existsSync } from 'node:fs';
import type { Config } from '../../../platform/config.js';
import { LendguardError } from '../../../platform/errors.js';
import { addUserToFile, readUsersFile, removeUserFromFile, ROLES, type Role } from './users-file.js';

/**
 * `lendguard console user add|remove|list`: edits the users file (`--file`, else `console.usersFile`). `add`
 * prints the new token once; only its scrypt hash is written. A running console picks the change up within seconds.
 */
export interface UserCliOptions {
  file?: string;
  role?: string;
}

function usersFile(config: () => Config, opts: UserCliOptions): string {
  const file = opts.file ?? config().console.usersFile;
  if (!file) throw new LendguardError('CONFIG_INVALID', 'no users file: pass --file or set console.usersFile (LENDGUARD_CONSOLE_USERS_FILE)');
  return file;
}

export async function runUserAdd(name: string, opts: UserCliOptions, config: () => Config, print: (line: string) => void): Promise<void> {
  const role = opts.role ?? 'viewer';
  if (!(ROLES as readonly string[]).includes(role)) throw new LendguardError('CONFIG_INVALID', `--role must be one of ${ROLES.join(', ')}`);
  const file = usersFile(config, opts);
  const { user, token } = await addUserToFile(file, name, role as Role);
  print(`added ${user.name} (${user.role}) to ${file}`);
  print(`token (shown once; keep it in your secret store): ${token}`);
}

export function runUserRemove(name: string, opts: UserCliOptions, config: () => Config, print: (line: string) => void): number {
  const file = usersFile(config, opts);
  if (!removeUserFromFile(file, name)) {
    print(`no user ${name} in ${file}`);
    return 1;
  }
  print(`removed ${name} from ${file}`);
  return 0;
}

export function runUserList(opts: UserCliOptions, config: () => Config, print: (line: string) => void): void {
  const file = usersFile(config, opts);
  for (const u of existsSync(file) ? readUsersFile(file) : []) print(`${u.name}\t${u.role}`);
}
