import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { createLiveRules, type LiveRules } from '../rules/live-rules.js';
import type { Candidate, ModelContext } from '../pipeline/model-stage.js';
import { DriftMonitor } from './drift.js';
import { createLiveModel, type LiveModel } from './live-model.js';

/**
 * The model stage as configured (`model.*`): the active model and the shadow candidate (a model file, a rules file,
 * or both), each validated at start-up and hot-reloaded; drift counts of the active model's features. Undefined
 * `context` when nothing is configured: the pipeline then runs the rules alone, exactly as before.
 */
export interface ModelStage {
  context: ModelContext | undefined;
  /** the versions in force, for /healthz */
  versions(): { model: string | null; shadowModel: string | null; shadowRules: string | null };
  drift: DriftMonitor | undefined;
  start(): void;
  stop(): void;
}

export interface ModelStageOptions {
  logger: Logger;
  knownFeatures: ReadonlySet<string>;
  onReload?: (what: 'model' | 'shadow model' | 'shadow rules', version: string) => void;
  onRefused?: (what: 'model' | 'shadow model' | 'shadow rules') => void;
}

export function createModelStage(config: Config, o: ModelStageOptions): ModelStage {
  const m = config.model;
  const live = (file: string | undefined, role: 'model' | 'shadow model'): LiveModel | undefined =>
    file
      ? createLiveModel({
          file,
          hotReload: m.hotReload,
          logger: o.logger,
          role,
          onReload: (next) => o.onReload?.(role, next.version),
          onRefused: () => o.onRefused?.(role),
        })
      : undefined;
  const active = live(m.file, 'model');
  const shadowModel = live(m.shadow.modelFile, 'shadow model');
  const shadowRules: LiveRules | undefined = m.shadow.rulesFile
    ? createLiveRules({
        file: m.shadow.rulesFile,
        hotReload: m.hotReload,
        knownFeatures: o.knownFeatures,
        logger: o.logger,
        onReload: (r) => o.onReload?.('shadow rules', r.version),
        onRefused: () => o.onRefused?.('shadow rules'),
      })
    : undefined;
  const drift = active ? new DriftMonitor() : undefined;
  const candidate = (): Candidate | undefined =>
    shadowModel || shadowRules
      ? { ...(shadowModel ? { model: shadowModel.current() } : {}), ...(shadowRules ? { ruleSet: shadowRules.current() } : {}) }
      : undefined;
  const context: ModelContext | undefined =
    active || shadowModel || shadowRules
      ? {
          ...(active ? { model: () => active.current() } : {}),
          ...(shadowModel || shadowRules ? { shadow: candidate } : {}),
          ...(drift ? { onScored: (model, bins) => drift.count(model, bins) } : {}),
        }
      : undefined;
  return {
    context,
    drift,
    versions: () => ({
      model: active?.current().version ?? null,
      shadowModel: shadowModel?.current().version ?? null,
      shadowRules: shadowRules?.current().version ?? null,
    }),
    start() {
      active?.start();
      shadowModel?.start();
      void shadowRules?.start();
    },
    stop() {
      active?.stop();
      shadowModel?.stop();
      shadowRules?.stop();
    },
  };
}
