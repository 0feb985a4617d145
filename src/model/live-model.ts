import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { LendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { ModelFileError, modelWarnings, parseModelFile } from './file.js';
import { compileModel, type CompiledModel } from './scorecard.js';

/**
 * The model in force (as the rules are): loaded and validated at start-up (CONFIG_INVALID listing every problem),
 * then hot-reloaded when the file changes. The folder is watched, not the file (editors and config mounts replace
 * files by rename), changes are debounced, and an invalid file is refused with its problems logged while the last
 * good model keeps running. `loadModelFile` is the start-up read, also used by replay and shadow candidates.
 */
export interface LiveModel {
  current(): CompiledModel;
  start(): void;
  stop(): void;
  /** reload now (what a change triggers); resolves once tried */
  reload(): void;
}

export interface LiveModelOptions {
  file: string;
  hotReload: boolean;
  logger: Logger;
  /** what the model is, in messages: "model", "shadow model" */
  role?: string;
  onReload?: (model: CompiledModel) => void;
  onRefused?: (err: ModelFileError) => void;
}

export function loadModelFile(file: string, role = 'model'): CompiledModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LendguardError('CONFIG_INVALID', `${role} file ${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  try {
    return compileModel(parseModelFile(text, file));
  } catch (err) {
    const detail = err instanceof ModelFileError ? err.problems.join('; ') : (err as Error).message;
    throw new LendguardError('CONFIG_INVALID', `${role} file ${file} is invalid: ${detail}`, { cause: err });
  }
}

export function createLiveModel(opts: LiveModelOptions): LiveModel {
  const role = opts.role ?? 'model';
  const file = resolve(opts.file);
  const warn = (m: CompiledModel): void => {
    const warnings = modelWarnings(m.file);
    if (warnings.length > 0)
      opts.logger.warn({ file, version: m.version, warnings: warnings.slice(0, 20), count: warnings.length }, `${role} has bins it guesses`);
  };
  let current = loadModelFile(file, role);
  warn(current);
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  const reload = (): void => {
    let next: CompiledModel;
    try {
      next = compileModel(parseModelFile(readFileSync(file, 'utf8'), file));
    } catch (err) {
      const e = err instanceof ModelFileError ? err : new ModelFileError(file, [(err as Error).message]);
      opts.logger.error({ file, problems: e.problems, keeping: current.version }, `${role} change refused; the last good ${role} keeps running`);
      opts.onRefused?.(e);
      return;
    }
    if (next.version === current.version) return;
    opts.logger.info({ from: current.version, to: next.version, features: next.features.length }, `${role} reloaded`);
    warn(next);
    current = next;
    opts.onReload?.(next);
  };
  return {
    current: () => current,
    reload,
    start() {
      if (!opts.hotReload || watcher) return;
      try {
        watcher = watch(dirname(file), (_event, name) => {
          if (name !== null && name !== basename(file)) return;
          if (timer) clearTimeout(timer);
          timer = setTimeout(reload, 250);
          timer.unref();
        });
      } catch (err) {
        // ENOSPC / EMFILE (the inotify limits) must not stop the processor: it runs on without hot reload.
        opts.logger.warn({ file, err: (err as Error).message }, `${role} file cannot be watched; hot reload is off`);
        return;
      }
      watcher.on('error', (err) => opts.logger.warn({ file, err: err.message }, `${role} file watch failed; hot reload is off`));
      watcher.unref();
      reload(); // a change between the start-up read and the watch
    },
    stop() {
      watcher?.close();
      watcher = undefined;
      if (timer) clearTimeout(timer);
    },
  };
}
