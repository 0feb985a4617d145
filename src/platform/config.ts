import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './config-schema.js';
import { ENV_VARS, parseEnvValue } from './config-env.js';
import { isPathSetting, PACKAGE_ROOT, resolvePaths, resolvePathValue } from './config-paths.js';
import { LendguardError } from './errors.js';

export type { Config } from './config-schema.js';

type Tree = Record<string, unknown>;

function setPath(tree: Tree, path: readonly string[], value: unknown): void {
  let node = tree;
  path.slice(0, -1).forEach((key) => {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Tree;
  });
  node[path[path.length - 1] as string] = value;
}

function readFileConfig(file: string): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LendguardError('CONFIG_INVALID', `cannot read config file ${file}: ${(err as Error).message}`);
  }
  try {
    const parsed: unknown = parseYaml(text, { prettyErrors: true });
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the top level must be a mapping');
    return parsed as Tree;
  } catch (err) {
    throw new LendguardError('CONFIG_INVALID', `config file ${file} is not valid YAML/JSON: ${(err as Error).message}`);
  }
}

function formatIssues(issues: z.core.$ZodIssue[], envSources: Map<string, string>): string {
  return issues
    .map((issue) => {
      const path = issue.path.join('.') || '(top level)';
      const source = envSources.get(path) ?? envSources.get(issue.path.slice(0, -1).join('.'));
      return `  - ${path}${source ? ` (from ${source})` : ''}: ${issue.message}`;
    })
    .join('\n');
}

/** Unwraps defaults, optionals and the like down to the schema that says what the value is. */
function inner(schema: z.ZodType): z.ZodType {
  let s = schema as { def: { type: string; innerType?: z.ZodType } };
  while (s.def.innerType && ['default', 'prefault', 'optional', 'nullable', 'pipe', 'readonly'].includes(s.def.type)) s = s.def.innerType;
  return s as unknown as z.ZodType;
}

/** Keys the schema does not know, anywhere in the tree (a misspelt `kafka.brokerz` is an error, not ignored). */
function unknownKeys(schema: z.ZodType, value: unknown, path: string[] = []): string[] {
  const s = inner(schema) as unknown as { def: { type: string; shape?: Record<string, z.ZodType>; options?: z.ZodType[] } };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  if (s.def.type === 'union') {
    const objects = (s.def.options ?? []).filter((o) => (inner(o) as unknown as { def: { type: string } }).def.type === 'object');
    return objects.length > 0 ? unknownKeys(objects[0] as z.ZodType, value, path) : [];
  }
  if (s.def.type !== 'object' || !s.def.shape) return [];
  const shape = s.def.shape;
  return Object.entries(value as Tree).flatMap(([key, v]) =>
    key in shape ? unknownKeys(shape[key] as z.ZodType, v, [...path, key]) : [[...path, key].join('.')],
  );
}

export interface LoadOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
  overrides?: Tree;
  /** What relative paths in the environment, the overrides and `file` itself are resolved from (default: process.cwd()). */
  cwd?: string;
}

/**
 * Defaults < config file < environment < overrides. Throws a CONFIG_INVALID error whose message
 * lists every problem and where it came from. File and directory settings come back absolute: a relative
 * one is resolved from its config file's folder, from the working directory (environment, overrides), or
 * from the package root (defaults); see config-paths.ts.
 */
export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const file = opts.file ?? env.LENDGUARD_CONFIG;
  const tree: Tree = file ? readFileConfig(resolve(cwd, file)) : {};
  if (file) resolvePaths(tree, dirname(resolve(cwd, file)));
  const problems: string[] = [];
  const secretInFile = typeof (tree.pii as Tree | undefined)?.key === 'string';
  const envSources = new Map<string, string>();
  for (const spec of ENV_VARS) {
    const raw = env[spec.name];
    if (raw === undefined) continue;
    if (raw.trim() === '') {
      // Set but empty is a mistake, not "use the default" (an empty broker list must not mean 127.0.0.1).
      problems.push(`  - ${spec.path.join('.')} (from ${spec.name}): is set but empty; give a value or unset it to use the default`);
      continue;
    }
    if (spec.path[0] === 'kafka' && spec.path[1] === 'ssl' && spec.path.length === 3) {
      const current = (tree.kafka as Tree | undefined)?.ssl;
      if (typeof current !== 'object' || current === null) setPath(tree, ['kafka', 'ssl'], {});
    }
    const value = parseEnvValue(spec.type, raw);
    setPath(tree, spec.path, isPathSetting(spec.path) ? resolvePathValue(value, cwd) : value);
    envSources.set(spec.path.join('.'), spec.name);
  }
  for (const [key, value] of Object.entries(opts.overrides ?? {}))
    setPath(tree, key.split('.'), isPathSetting(key.split('.')) ? resolvePathValue(value, cwd) : value);
  for (const key of unknownKeys(configSchema, tree)) problems.push(`  - ${key}: unknown key (see config/default.yaml for every key)`);
  const result = configSchema.safeParse(tree);
  if (!result.success) problems.push(formatIssues(result.error.issues, envSources));
  if (result.success && result.data.mode === 'production' && secretInFile) {
    problems.push('  - pii.key: a secret in a plain config file is refused in production; set LENDGUARD_PII_KEY from your secret store instead');
  }
  if (problems.length > 0 || !result.success) {
    throw new LendguardError('CONFIG_INVALID', `configuration is invalid${file ? ` (file ${file})` : ''}:\n${problems.join('\n')}`);
  }
  resolvePaths(result.data, PACKAGE_ROOT); // what is still relative is a default
  return result.data;
}

/** Start-up policy for the PII key: refuse in production, warn loudly in development. */
export function piiKeyOrFail(config: Config, warn: (msg: string) => void): string {
  if (config.pii.key) return config.pii.key;
  if (config.mode === 'production') {
    throw new LendguardError(
      'PII_KEY_MISSING',
      'LENDGUARD_PII_KEY is not set: production mode refuses to pseudonymise identifiers without a secret key. ' +
        'Set it to 32+ random bytes, e.g. `export LENDGUARD_PII_KEY=$(openssl rand -base64 32)`.',
    );
  }
  warn(
    '!!! LENDGUARD_PII_KEY is not set: using a built-in DEVELOPMENT key. Pseudonyms are NOT secret and ' +
      'change when you set a real key. Never run like this with real data (set LENDGUARD_MODE=production). !!!',
  );
  return 'lendguard-development-key-not-secret';
}
