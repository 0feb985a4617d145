import { z } from 'zod';
import type { Severity } from '../domain/assessment.js';
import type { Aggregation } from './score.js';

/** The shape of config/rules.yaml (see docs/rules.md). Semantics (CEL, features, ids) are checked in the loader. */

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const satisfies readonly Severity[];

export const AGGREGATIONS = ['sum', 'max', 'noisy-or'] as const satisfies readonly Aggregation[];

const RULE_ID = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TAG = /^[a-z][a-z0-9-]*$/;

const score = (what: string) =>
  z
    .number({ error: `${what} must be a number from 0 to 100` })
    .min(0, `${what} must be at least 0`)
    .max(100, `${what} must be at most 100`);

const text = (what: string) => z.string({ error: `${what} must be a string (quote it if YAML read it as something else)` }).min(1, `${what} must not be empty`);

const scalarParam = z.union([z.string(), z.number(), z.boolean()]);
export const paramValue = z.union([scalarParam, z.array(z.union([z.string(), z.number()]))], {
  error: 'a param must be a string, number, boolean or a list of strings/numbers',
});
export type ParamValue = z.infer<typeof paramValue>;

export const ruleSchema = z.strictObject({
  id: z.string({ error: 'id must be a string' }).regex(RULE_ID, 'id must be UPPER_SNAKE_CASE, e.g. DEVICE_MANY_IDENTITIES'),
  description: text('description'),
  severity: z.enum(SEVERITIES, { error: `severity must be one of ${SEVERITIES.join(', ')}` }),
  weight: score('weight'),
  when: text('when (a CEL expression)'),
  evidence: z.array(z.string({ error: 'evidence entries must be feature or param names' }), { error: 'evidence must be a list of names' }).default([]),
  reason: text('reason'),
  params: z.record(z.string().regex(PARAM_NAME, 'param names must be identifiers (letters, digits, _), e.g. limit'), paramValue).default({}),
  enabled: z.boolean({ error: 'enabled must be true or false' }).default(true),
  tags: z.array(z.string().regex(TAG, 'tags are lower-case words, e.g. optional, expensive'), { error: 'tags must be a list' }).default([]),
});
export type RuleSpec = z.infer<typeof ruleSchema>;

export const thresholdsSchema = z
  .strictObject({ medium: score('thresholds.medium'), high: score('thresholds.high'), critical: score('thresholds.critical') })
  .refine((t) => t.medium < t.high && t.high < t.critical, 'thresholds must rise: medium < high < critical');

export const scoringSchema = z.strictObject({
  thresholds: thresholdsSchema.default({ medium: 30, high: 60, critical: 80 }),
  aggregation: z.enum(AGGREGATIONS, { error: `aggregation must be one of ${AGGREGATIONS.join(', ')}` }).default('sum'),
});
export type Scoring = z.infer<typeof scoringSchema>;

export const ruleFileSchema = z.strictObject({
  version: z.union([z.string(), z.number()], { error: 'version must be a label such as "2026-11-28.1"' }).transform(String),
  scoring: scoringSchema.default({ thresholds: { medium: 30, high: 60, critical: 80 }, aggregation: 'sum' }),
  rules: z.array(z.unknown(), { error: 'rules must be a list of rules' }),
  combinations: z.array(z.unknown(), { error: 'combinations must be a list (see docs/rules.md)' }).default([]),
});
