import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { readRuleSetFile } from './file.js';
import { RuleSetError, type Problem } from './problems.js';
import type { RuleSet } from './loader.js';

/**
 * Hot reload of a rule file. Watches the file's directory (not the file: editors and config
 * mounts replace files by rename, which silently ends a watch on the old inode), debounces bursts
 * of events, and reloads. A bad change is reported through onError and the last good set stays
 * current; a good one is handed to onReload. Nothing here throws into the caller.
 */
export interface RuleWatcherOptions {
  file: string;
  knownFeatures: ReadonlySet<string> | readonly string[];
  onReload: (ruleSet: RuleSet, warnings: readonly Problem[]) => void;
  onError: (error: RuleSetError) => void;
  /** Quiet period after the last change before reloading. Default 250 ms. */
  debounceMs?: number;
}

export interface RuleWatcher {
  /** Loads the file once (onReload or onError), then watches. Idempotent. */
  start(): Promise<void>;
  stop(): void;
  /** The last good rule set, if any load has succeeded. */
  current(): RuleSet | undefined;
  /** Reload now (also what a change triggers). */
  reload(): Promise<void>;
}

export function watchRuleFile(opts: RuleWatcherOptions): RuleWatcher {
  const file = resolve(opts.file);
  const name = basename(file);
  const debounceMs = opts.debounceMs ?? 250;
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let current: RuleSet | undefined;
  let running = Promise.resolve();
  let stopped = false;
  let failing = false;

  const safely = (fn: () => void): void => {
    try {
      fn();
    } catch {
      // A throwing callback must not break the watcher; callers log inside their callbacks.
    }
  };
  const fail = (problems: Problem[]): void => safely(() => opts.onError(new RuleSetError(problems)));

  const loadOnce = async (): Promise<void> => {
    const result = await readRuleSetFile(file, { knownFeatures: opts.knownFeatures });
    if (stopped) return;
    if (!result.ok) {
      failing = true;
      return fail(result.problems);
    }
    // Touched but unchanged: stay quiet, unless this clears an earlier error.
    if (!failing && current?.version === result.ruleSet.version) return;
    failing = false;
    current = result.ruleSet;
    const loaded = result.ruleSet;
    safely(() => opts.onReload(loaded, result.warnings));
  };
  // Serialised: a change during a reload queues another reload instead of racing it.
  const reload = (): Promise<void> => (running = running.then(loadOnce, loadOnce));

  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void reload();
    }, debounceMs);
  };

  return {
    async start() {
      if (watcher) return;
      stopped = false;
      try {
        watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
          if (changed === null || changed === name || changed.toString() === name) schedule();
        });
        watcher.on('error', (err) => fail([{ file, line: 0, col: 0, message: `watching stopped: ${err.message}` }]));
      } catch (err) {
        fail([{ file, line: 0, col: 0, message: `cannot watch ${dirname(file)}: ${(err as Error).message}` }]);
      }
      await reload();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      watcher?.close();
      watcher = undefined;
    },
    current: () => current,
    reload,
  };
}
