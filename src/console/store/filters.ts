import type { AlertType } from '../../domain/alert.js';
import type { Level } from '../../domain/assessment.js';
import { LendguardError } from '../../platform/errors.js';
import { isRowId, type Params } from './sql.js';

/**
 * The console's alert filters and keyset cursor, turned into a parameterised WHERE clause (pure). Every filter has
 * an index (migration 1); lists of values match any of them. Time ranges are half-open: [from, before).
 */
export interface AlertFilters {
  kind?: AlertType;
  levels?: readonly Level[];
  /** alerts with any of these rule codes, or all of them with `ruleCodesMatch: 'all'` */
  ruleCodes?: readonly string[];
  ruleCodesMatch?: 'any' | 'all';
  partnerIds?: readonly string[];
  country?: string;
  region?: string;
  ipClasses?: readonly string[];
  ringId?: string;
  applicationIdPrefix?: string;
  detectedFrom?: string | Date;
  detectedBefore?: string | Date;
  eventFrom?: string | Date;
  eventBefore?: string | Date;
  /** true: only alerts whose application has a label; false: only those without */
  labelled?: boolean;
}

/** Position in the feed (newest first): the last row seen. */
export interface Cursor {
  detectedAt: string;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.detectedAt}|${c.id}`, 'utf8').toString('base64url');
}

/** The cursor in an opaque string. A malformed one (or a bad time filter) is the request's fault: SCHEMA_VIOLATION, a 400 for the API. */
export function decodeCursor(s: string): Cursor {
  const [detectedAt = '', id = '', ...rest] = Buffer.from(s, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !isRowId(id) || Number.isNaN(Date.parse(detectedAt))) {
    throw new LendguardError('SCHEMA_VIOLATION', 'invalid cursor: pass back the `next` value of a previous page unchanged');
  }
  return { detectedAt: new Date(detectedAt).toISOString(), id };
}

/** LIKE pattern for a prefix: %, _ and \ in the prefix match themselves. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const time = (v: string | Date): string => {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new LendguardError('SCHEMA_VIOLATION', `invalid time ${JSON.stringify(String(v))}`);
  return d.toISOString();
};

/** `column = $n` for one value, `column = ANY($n)` for several. */
function oneOf(column: string, values: readonly string[], p: Params): string {
  return values.length === 1 ? `${column} = ${p.add(values[0])}` : `${column} = ANY(${p.add(values, 'text[]')})`;
}

function conditions(f: AlertFilters, p: Params): string[] {
  const c: string[] = [];
  if (f.kind) c.push(`a.kind = ${p.add(f.kind)}`);
  if (f.levels?.length) c.push(oneOf('a.level', f.levels, p));
  if (f.ruleCodes?.length) c.push(`a.rule_codes ${f.ruleCodesMatch === 'all' ? '@>' : '&&'} ${p.add(f.ruleCodes, 'text[]')}`);
  if (f.partnerIds?.length) c.push(oneOf('a.partner_id', f.partnerIds, p));
  if (f.country) c.push(`a.ip_country = ${p.add(f.country)}`);
  if (f.region) c.push(`a.ip_region = ${p.add(f.region)}`);
  if (f.ipClasses?.length) c.push(oneOf('a.ip_class', f.ipClasses, p));
  if (f.ringId) c.push(`a.ring_id = ${p.add(f.ringId)}`);
  if (f.applicationIdPrefix) c.push(`a.application_id LIKE ${p.add(likePrefix(f.applicationIdPrefix))}`);
  if (f.detectedFrom !== undefined) c.push(`a.detected_at >= ${p.add(time(f.detectedFrom), 'timestamptz')}`);
  if (f.detectedBefore !== undefined) c.push(`a.detected_at < ${p.add(time(f.detectedBefore), 'timestamptz')}`);
  if (f.eventFrom !== undefined) c.push(`a.event_time >= ${p.add(time(f.eventFrom), 'timestamptz')}`);
  if (f.eventBefore !== undefined) c.push(`a.event_time < ${p.add(time(f.eventBefore), 'timestamptz')}`);
  if (f.labelled !== undefined) c.push(`${f.labelled ? '' : 'NOT '}EXISTS (SELECT 1 FROM labels l WHERE l.application_id = a.application_id)`);
  return c;
}

/** The WHERE clause (or '') for the filters and, when paging on, the rows after the cursor. */
export function whereClause(f: AlertFilters, p: Params, after?: Cursor): string {
  const c = conditions(f, p);
  if (after) c.push(`(a.detected_at, a.id) < (${p.add(after.detectedAt, 'timestamptz')}, ${p.add(after.id, 'bigint')})`);
  return c.length > 0 ? `WHERE ${c.join(' AND ')}` : '';
}
