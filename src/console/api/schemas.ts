import { z } from 'zod';
import { ALERT_TYPES } from '../../domain/alert.js';
import { LEVELS } from '../../domain/assessment.js';
import { CASE_STATUSES } from '../store/cases.js';
import { isRowId } from '../store/sql.js';
import { LABELS } from '../store/labels.js';
import { USER_NAME } from './auth/tokens.js';
import { ROLES } from './auth/users-file.js';

/**
 * The zod schemas of every query, path parameter and body of the API. Queries are strict (an unknown parameter is
 * a 400, so a typo never silently widens a filter), every string and list is bounded, and filters are codes, levels
 * and ids only: no personal data goes in a URL. A list parameter is repeated or comma-separated (`level=high,critical`).
 */
export const ID = z.string().refine((s) => isRowId(s, true), 'a positive integer id (at most 9223372036854775807)');
const CODE = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits, ".", "_", ":" and "-" (max 128)');
export const RING_ID = CODE;
const APPLICATION_ID = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces (max 128)');
const TIME = z.iso.datetime({ offset: true, message: 'an RFC 3339 time, e.g. 2026-11-28T03:15:42Z' });
const NOTE = z.string().max(2000).optional();

/** A list parameter: repeated and/or comma-separated values, each checked by `item`, at most `max`. */
function list<T extends z.ZodType<unknown, string>>(item: T, max: number) {
  return z
    .union([z.string(), z.array(z.string()).max(max)])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter((s) => s !== ''))
    .pipe(z.array(item).min(1).max(max));
}

const limit = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max))
    .optional()
    .transform((v) => v ?? fallback);

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'pass back the nextCursor of the previous page unchanged');

export const alertListQuery = z
  .object({
    kind: z.enum(ALERT_TYPES).optional(),
    level: list(z.enum(LEVELS), LEVELS.length).optional(),
    rule: list(z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'a rule code (upper case, digits, "_")'), 20).optional(),
    ruleMatch: z.enum(['any', 'all']).optional(),
    partner: list(CODE, 50).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code, e.g. CN')
      .optional(),
    region: z.string().min(1).max(100).optional(),
    ipClass: list(z.string().regex(/^[a-z][a-z-]{0,31}$/, 'an IP class, e.g. public, carrier-nat'), 10).optional(),
    ringId: RING_ID.optional(),
    from: TIME.optional(),
    to: TIME.optional(),
    labelled: bool.optional(),
    q: APPLICATION_ID.optional().describe('an applicationId prefix'),
    limit: limit(500, 50),
    cursor: cursor.optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'to must be after from' });

export const pageQuery = z.object({ limit: limit(500, 50) }).strict();
export const similarQuery = z.object({ limit: limit(200, 50) }).strict();

export const caseListQuery = z
  .object({
    status: list(z.enum(CASE_STATUSES), CASE_STATUSES.length).optional(),
    assignee: z.string().regex(USER_NAME, 'a user name').optional(),
    limit: limit(200, 50),
    cursor: cursor.optional(),
  })
  .strict();

export const idParams = z.object({ id: ID }).strict();
export const ringParams = z.object({ ringId: RING_ID }).strict();
export const userParams = z.object({ name: z.string().regex(USER_NAME, 'a user name') }).strict();

export const labelBody = z.object({ applicationId: APPLICATION_ID, label: z.enum(LABELS), note: NOTE }).strict();

export const ringLabelBody = z
  .object({
    label: z.enum(LABELS),
    note: NOTE,
    confirm: z.literal(true, { message: 'labelling every member of a ring needs "confirm": true' }),
  })
  .strict();

const alertIds = z.array(ID).min(1).max(500);
const assignee = z.string().regex(USER_NAME, 'a user name').nullable();
const title = z.string().trim().min(1).max(200);

export const caseCreateBody = z.object({ title, assignee: assignee.optional(), alertIds: alertIds.optional() }).strict();

export const caseUpdateBody = z
  .object({ title: title.optional(), assignee: assignee.optional(), status: z.enum(CASE_STATUSES).optional() })
  .strict()
  .refine((b) => b.title !== undefined || b.assignee !== undefined || b.status !== undefined, { message: 'change at least one of title, assignee, status' });

export const caseAlertsBody = z.object({ alertIds }).strict();

export const loginBody = z.object({ token: z.string().min(1).max(512) }).strict();

export const userCreateBody = z.object({ name: z.string().regex(USER_NAME, 'a user name'), role: z.enum(ROLES) }).strict();
