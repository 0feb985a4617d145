import { loadModelFile } from '../model/live-model.js';
import type { Config } from '../platform/config.js';
import type { ModelNames } from './model-section.js';

/**
 * The feature names of the configured model files (active and shadow), for the report's drift table. A file that
 * cannot be read is left out (the table then says "feature #i"): the report never fails for a model file.
 */
export function configuredModelNames(config: Config): ModelNames[] {
  const out: ModelNames[] = [];
  for (const file of [config.model.file, config.model.shadow.modelFile]) {
    if (!file) continue;
    try {
      const m = loadModelFile(file);
      out.push({ version: m.version, features: m.file.features.map((f) => f.name), psiThreshold: m.file.psiThreshold });
    } catch {
      // named by index instead
    }
  }
  return out;
}
