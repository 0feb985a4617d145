import { BIN_ALPHABET, type CompiledModel } from './scorecard.js';

/**
 * Drift of the model's features (pure but for the clock passed in): each scoring adds one to its bin of each
 * feature, per UTC day; the population stability index of a feature compares today's bin shares a with the
 * training shares e: PSI = Σ (a − e) ln(a / e), shares floored at 0.0001. Below `minRows` rows in the day nothing is
 * reported (too few to tell). A new model version or a new day starts the counts again; the last full day's values
 * are kept for reading.
 */
export interface FeatureDrift {
  feature: string;
  psi: number;
  drifted: boolean;
}

const FLOOR = 1e-4;

export function psi(actual: readonly number[], expected: readonly number[]): number {
  const total = actual.reduce((s, x) => s + x, 0);
  if (total === 0) return 0;
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = Math.max((actual[i] ?? 0) / total, FLOOR);
    const e = Math.max(expected[i] ?? 0, FLOOR);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

export class DriftMonitor {
  private version = '';
  private day = -1;
  private counts: number[][] = [];
  private rows = 0;
  private model: CompiledModel | undefined;
  private lastDay: FeatureDrift[] = [];

  constructor(private readonly minRows = 500) {}

  /** `bins`: the score's bin string (one character per feature, ModelScore.bins). */
  count(model: CompiledModel, bins: string, nowMs = Date.now()): void {
    const day = Math.floor(nowMs / 86_400_000);
    if (model.version !== this.version || day !== this.day) {
      this.lastDay = model.version === this.version ? this.current() : []; // another model's features are not this one's
      this.version = model.version;
      this.day = day;
      this.model = model;
      this.counts = model.features.map((f) => new Array<number>(f.bins.length + 2).fill(0));
      this.rows = 0;
    }
    for (let i = 0; i < bins.length && i < this.counts.length; i++) {
      const c = this.counts[i] as number[];
      const b = BIN_ALPHABET.indexOf(bins[i] as string);
      c[b] = (c[b] ?? 0) + 1;
    }
    this.rows += 1;
  }

  /** Today's PSI per feature (empty below minRows); `drifted` past the model file's psiThreshold. */
  current(): FeatureDrift[] {
    const m = this.model;
    if (!m || this.rows < this.minRows) return [];
    return m.file.features.map((f, i) => {
      const expected = [...f.bins.map((b) => b.share), f.missing.share, ...(f.kind === 'categorical' ? [f.other.share] : [0])];
      const value = psi(this.counts[i] ?? [], expected);
      return { feature: f.name, psi: value, drifted: value > m.file.psiThreshold };
    });
  }

  /** The last full day's PSI, or today's when there was none. */
  report(): { version: string; rows: number; features: FeatureDrift[] } {
    const today = this.current();
    return { version: this.version, rows: this.rows, features: today.length > 0 ? today : this.lastDay };
  }
}
