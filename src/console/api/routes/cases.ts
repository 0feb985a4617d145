import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { isRowId } from '../../store/sql.js';
import { defineRoute, type ApiRoute } from '../router.js';
import { caseAlertsBody, caseCreateBody, caseListQuery, caseUpdateBody, idParams } from '../schemas.js';

/** Cases: list, open, read (with its alerts and audit trail), change (title, assignee, status), add alerts. Each change is audited. */
export function caseRoutes(deps: ApiDeps): ApiRoute[] {
  const { store, users } = deps;
  const knownAssignee = (assignee: string | null | undefined): void => {
    if (assignee && !users.get(assignee)) throw new ApiError('INVALID_REQUEST', 'invalid body', [{ path: 'body.assignee', message: `no user ${assignee}` }]);
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/api/cases',
      role: 'viewer',
      tag: 'cases',
      summary: 'Cases, newest first, by status and assignee; keyset pages (nextCursor)',
      query: caseListQuery,
      responses: { 200: '{ items: Case[], nextCursor: string | null }' },
      handle: async ({ query }) => {
        const before = query.cursor === undefined ? undefined : Buffer.from(query.cursor, 'base64url').toString('utf8');
        if (before !== undefined && !isRowId(before, true)) {
          throw new ApiError('INVALID_REQUEST', 'invalid query', [
            { path: 'query.cursor', message: 'pass back the nextCursor of the previous page unchanged' },
          ]);
        }
        const page = await store.listCases(
          { ...(query.status ? { statuses: query.status } : {}), ...(query.assignee ? { assignee: query.assignee } : {}) },
          { limit: query.limit, ...(before ? { beforeId: before } : {}) },
        );
        return { body: { items: page.items, nextCursor: page.next ? Buffer.from(page.next).toString('base64url') : null } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/cases',
      role: 'analyst',
      tag: 'cases',
      summary: 'Open a case (optionally with alerts); unknown alert ids are reported, not an error',
      body: caseCreateBody,
      responses: { 201: '{ case: Case }' },
      handle: async ({ body, principal }) => {
        knownAssignee(body.assignee);
        const created = await store.createCase({
          title: body.title,
          assignee: body.assignee ?? null,
          actor: principal.user.name,
          ...(body.alertIds ? { alertIds: body.alertIds } : {}),
        });
        return { status: 201, body: { case: created } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/cases/{id}',
      role: 'viewer',
      tag: 'cases',
      summary: 'One case with its alerts and its audit trail',
      params: idParams,
      responses: { 200: '{ case: Case, alerts: AlertSummary[], audit: AuditRecord[] }', 404: 'no such case' },
      handle: async ({ params }) => {
        const found = await store.getCase(params.id);
        if (!found) throw new ApiError('NOT_FOUND', `no case ${params.id}`);
        const [alerts, audit] = await Promise.all([store.alertSummaries(found.alertIds.slice(0, 500)), store.auditTrail(`case:${found.id}`)]);
        return { body: { case: found, alerts, audit } };
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/cases/{id}',
      role: 'analyst',
      tag: 'cases',
      summary: 'Change a case: title, assignee (a user, or null), status open | investigating | closed',
      params: idParams,
      body: caseUpdateBody,
      responses: { 200: '{ case: Case }', 404: 'no such case' },
      handle: async ({ params, body, principal }) => {
        knownAssignee(body.assignee);
        const updated = await store.updateCase(params.id, body, principal.user.name);
        if (!updated) throw new ApiError('NOT_FOUND', `no case ${params.id}`);
        return { body: { case: updated } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/cases/{id}/alerts',
      role: 'analyst',
      tag: 'cases',
      summary: 'Add alerts to a case; unknown ids and alerts already in it are reported',
      params: idParams,
      body: caseAlertsBody,
      responses: { 200: '{ case: Case, added: string[], unknown: string[] }', 404: 'no such case' },
      handle: async ({ params, body, principal }) => {
        const result = await store.addAlertsToCase(params.id, body.alertIds, principal.user.name);
        if (!result) throw new ApiError('NOT_FOUND', `no case ${params.id}`);
        return { body: result };
      },
    }),
  ];
}
