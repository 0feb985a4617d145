/** Ground truth carried by a labelled input line as the top-level property `_truth`. */
export interface Truth {
  fraud: boolean;
  /** What kind of traffic this is, e.g. "clean", "device-farm", "proxy-burst". */
  pattern: string;
  /** Records of one fraud ring share an id. */
  ringId?: string;
  /** Cohorts the record belongs to, e.g. "family", "cgnat" (distinct, at most MAX_TAGS of at most MAX_TAG_LENGTH characters). */
  tags?: string[];
}
