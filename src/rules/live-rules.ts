import { LendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { loadRuleSetFile } from './file.js';
import type { RuleSet } from './loader.js';
import { RuleSetError } from './problems.js';
import { watchRuleFile, type RuleWatcher } from './watcher.js';

/**
 * The rule set in force: loaded (and validated) at start-up, then hot-reloaded when the file
 * changes. An invalid change is refused and logged; the last good rules keep running.
 */
export interface LiveRules {
  current(): RuleSet;
  start(): Promise<void>;
  stop(): void;
}

export interface LiveRulesOptions {
  file: string;
  hotReload: boolean;
  /** Feature names rules may read (depends on the configured windows). */
  knownFeatures: ReadonlySet<string>;
  logger: Logger;
  onReload?: (ruleSet: RuleSet) => void;
  onRefused?: (error: RuleSetError) => void;
}

export function createLiveRules(opts: LiveRulesOptions): LiveRules {
  let current: RuleSet;
  try {
    current = loadRuleSetFile(opts.file, { knownFeatures: opts.knownFeatures });
  } catch (err) {
    const detail = err instanceof RuleSetError ? err.message : `cannot read ${opts.file}: ${(err as Error).message}`;
    throw new LendguardError('CONFIG_INVALID', `rules file ${opts.file} is invalid: ${detail}`, { cause: err });
  }
  let watcher: RuleWatcher | undefined;
  return {
    current: () => current,
    async start() {
      if (!opts.hotReload || watcher) return;
      watcher = watchRuleFile({
        file: opts.file,
        knownFeatures: opts.knownFeatures,
        onReload: (ruleSet) => {
          if (ruleSet.version === current.version) return;
          opts.logger.info({ from: current.version, to: ruleSet.version, rules: ruleSet.rules.length }, 'rules reloaded');
          current = ruleSet;
          opts.onReload?.(ruleSet);
        },
        onError: (error) => {
          opts.logger.error({ problems: error.problems, keeping: current.version }, 'rules change refused; the last good rules keep running');
          opts.onRefused?.(error);
        },
      });
      await watcher.start();
    },
    stop() {
      watcher?.stop();
    },
  };
}
