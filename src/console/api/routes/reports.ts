import { z } from 'zod';
import { buildReport } from '../../../reports/build.js';
import { CONTENT_TYPES, REPORT_FORMATS, render } from '../../../reports/render/index.js';
import { LendguardError } from '../../../platform/errors.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { defineRoute, type ApiRoute } from '../router.js';

/**
 * The trend report (docs/reports.md) at an authenticated URL: the same report `lendguard report` writes, built
 * from the rollups at request time. The HTML is served sandboxed (CSP `sandbox`, no script, no network): it is a
 * document to read or save, not part of the console's origin.
 */
const TIME = z.string().max(40);
export const reportQuery = z
  .object({
    since: z
      .string()
      .regex(/^\d{1,4}[hd]$/, 'a duration such as 24h, 7d or 30d')
      .optional(),
    from: TIME.optional(),
    to: TIME.optional(),
    bucket: z.enum(['hour', 'day']).optional(),
    format: z.enum(REPORT_FORMATS).default('html'),
  })
  .strict();

const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

/** Reports built at once, across all users: each is many queries on the rollups, so a loop of requests cannot pile them up. */
const MAX_BUILDS = 2;

export function reportRoutes(deps: ApiDeps): ApiRoute[] {
  let building = 0;
  return [
    defineRoute({
      method: 'GET',
      path: '/api/reports/trends',
      role: 'viewer',
      tag: 'reports',
      summary: 'The fraud-trend report over a period (default the last 7 days) as self-contained HTML, CSV or JSON',
      query: reportQuery,
      responses: { 200: 'the report in the asked format', 400: 'a period that does not parse or is empty', 429: 'two reports are being built (RATE_LIMITED)' },
      handle: async ({ res, query }) => {
        if (building >= MAX_BUILDS)
          throw new ApiError('RATE_LIMITED', `${MAX_BUILDS} reports are being built; try again shortly`, undefined, { 'retry-after': '5' });
        building += 1;
        let report;
        try {
          report = await buildReport(deps.db, {
            ...query,
            since: query.since ?? (query.from ? undefined : '7d'),
            topics: deps.reportTopics,
            models: deps.reportModels,
            consoleUrl: null, // ring links stay relative (#/rings/…): the report is served from the console's origin
          });
        } catch (err) {
          if (err instanceof LendguardError && err.code === 'CONFIG_INVALID')
            throw new ApiError('INVALID_REQUEST', err.message, [{ path: 'query', message: err.message }]);
          throw err;
        } finally {
          building -= 1;
        }
        const day = report.period.from.slice(0, 10);
        res
          .writeHead(200, {
            'content-type': CONTENT_TYPES[query.format],
            'content-disposition': `inline; filename="lendguard-report-${day}.${query.format}"`,
            'cache-control': 'no-store',
            ...(query.format === 'html' ? { 'content-security-policy': REPORT_CSP } : {}),
          })
          .end(render(report, query.format));
        return undefined;
      },
    }),
  ];
}
