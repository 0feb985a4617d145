import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { compileRuleSet, loadRuleSet, type LoadResult, type RuleSet } from './loader.js';

/** File adapters over the pure loader. */

export interface FileOptions {
  knownFeatures: ReadonlySet<string> | readonly string[];
}

/** For startup: throws a RuleSetError (every problem, with file:line) or an fs error. */
export function loadRuleSetFile(path: string, opts: FileOptions): RuleSet {
  return loadRuleSet(readFileSync(path, 'utf8'), { file: path, knownFeatures: opts.knownFeatures });
}

/** Reads and compiles without throwing; a missing/unreadable file becomes a problem. */
export async function readRuleSetFile(path: string, opts: FileOptions): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const message = `cannot read the rule file: ${(err as Error).message}`;
    return { ok: false, problems: [{ file: path, line: 0, col: 0, message }], warnings: [] };
  }
  return compileRuleSet(text, { file: path, knownFeatures: opts.knownFeatures });
}
