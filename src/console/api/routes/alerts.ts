import type { z } from 'zod';
import { findLendguardError } from '../../../platform/errors.js';
import { decodeCursor, type AlertFilters, type Cursor } from '../../store/index.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { defineRoute, type ApiRoute } from '../router.js';
import { alertListQuery, idParams, similarQuery } from '../schemas.js';

/** The feed (filters, keyset pages), one alert with its labels and cases, and the alerts similar to it. */
type ListQuery = z.output<typeof alertListQuery>;

export function alertFilters(q: ListQuery): AlertFilters {
  return {
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.level ? { levels: q.level } : {}),
    ...(q.rule ? { ruleCodes: q.rule, ruleCodesMatch: q.ruleMatch ?? 'any' } : {}),
    ...(q.partner ? { partnerIds: q.partner } : {}),
    ...(q.country ? { country: q.country } : {}),
    ...(q.region ? { region: q.region } : {}),
    ...(q.ipClass ? { ipClasses: q.ipClass } : {}),
    ...(q.ringId ? { ringId: q.ringId } : {}),
    ...(q.q ? { applicationIdPrefix: q.q } : {}),
    ...(q.from ? { detectedFrom: q.from } : {}),
    ...(q.to ? { detectedBefore: q.to } : {}),
    ...(q.labelled !== undefined ? { labelled: q.labelled } : {}),
  };
}

/** The cursor of a page, or a 400 naming `query.cursor`. */
export function pageCursor(cursor: string | undefined): Cursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    return decodeCursor(cursor);
  } catch (err) {
    const message = findLendguardError(err)?.message ?? 'invalid cursor';
    throw new ApiError('INVALID_REQUEST', 'invalid query', [{ path: 'query.cursor', message }]);
  }
}

export function alertRoutes(deps: ApiDeps): ApiRoute[] {
  const { store } = deps;
  return [
    defineRoute({
      method: 'GET',
      path: '/api/alerts',
      role: 'viewer',
      tag: 'alerts',
      summary: 'The alert feed, newest first: filters by codes, levels and ids; keyset pages (nextCursor)',
      query: alertListQuery,
      responses: { 200: '{ items: AlertSummary[], nextCursor: string | null }' },
      handle: async ({ query }) => {
        const after = pageCursor(query.cursor);
        const page = await store.listAlerts(alertFilters(query), { limit: query.limit, ...(after ? { after } : {}) });
        return { body: { items: page.items, nextCursor: page.next } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/alerts/{id}',
      role: 'viewer',
      tag: 'alerts',
      summary: 'One alert: its payload (masked identifiers and pseudonyms only), its labels with who and when, the cases it is in',
      params: idParams,
      responses: { 200: '{ alert: AlertDetail, labels: Label[], cases: CaseRef[] }', 404: 'no such alert' },
      handle: async ({ params }) => {
        const alert = await store.getAlert(params.id);
        if (!alert) throw new ApiError('NOT_FOUND', `no alert ${params.id}`);
        const [labels, cases] = await Promise.all([alert.applicationId ? store.labelsFor(alert.applicationId) : [], store.casesForAlert(alert.id)]);
        return { body: { alert, labels, cases } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/alerts/{id}/similar',
      role: 'viewer',
      tag: 'alerts',
      summary: "Other applications' alerts sharing an identifier (by pseudonym; not the IP) with this alert's application",
      params: idParams,
      query: similarQuery,
      responses: { 200: '{ items: { alert: AlertSummary, shared: { kind, masked, id }[] }[] } (empty for a ring alert)', 404: 'no such alert' },
      handle: async ({ params, query }) => {
        const alert = await store.getAlert(params.id);
        if (!alert) throw new ApiError('NOT_FOUND', `no alert ${params.id}`);
        const items = alert.applicationId ? await store.similarAlerts(alert.applicationId, { limit: query.limit }) : [];
        return { body: { items } };
      },
    }),
  ];
}
