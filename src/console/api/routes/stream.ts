import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { isRowId } from '../../store/sql.js';
import { defineRoute, type ApiRoute } from '../router.js';

/** GET /api/stream: the live feed as server-sent events (stream-hub.ts), resumable with Last-Event-ID. */
const streamQuery = z
  .object({
    lastEventId: z
      .string()
      .refine((s) => isRowId(s), 'the id of the last event received')
      .optional(),
  })
  .strict();

export function streamRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/stream',
      role: 'viewer',
      tag: 'alerts',
      stream: true,
      summary:
        'Server-sent events of newly stored alerts: `alerts` events ({ items: AlertSummary[] }, id = last row id, at most one per 100 ms), `ready`, `overflow`, heartbeat comments; resume with Last-Event-ID',
      query: streamQuery,
      responses: { 200: 'text/event-stream', 503: 'too many streams open (STREAMS_EXHAUSTED)' },
      handle: async ({ req, res, query }) => {
        const header = req.headers['last-event-id'];
        const lastEventId = typeof header === 'string' && header !== '' ? header : query.lastEventId;
        if (lastEventId !== undefined && !isRowId(lastEventId)) {
          throw new ApiError('INVALID_REQUEST', 'invalid Last-Event-ID', [{ path: 'headers.last-event-id', message: 'the id of the last event received' }]);
        }
        if (deps.hub.full) throw new ApiError('STREAMS_EXHAUSTED', 'too many event streams are open; try again later', undefined, { 'retry-after': '10' });
        await deps.hub.attach(res, lastEventId);
        return undefined;
      },
    }),
  ];
}
