import { z } from 'zod';
import type { ApiRoute } from './router.js';

/**
 * GET /api/openapi.json: an OpenAPI 3.1 document made from the route declarations themselves (paths, roles,
 * parameters and bodies from their zod schemas), so it lists every route the server has. The operational routes
 * (/healthz, /readyz, /metrics) are described too.
 */
type JsonSchema = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType): JsonSchema => {
  const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete s.$schema;
  return s;
};

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const s = jsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
    schema: p,
  }));
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };

function content(route: ApiRoute, status: number): Record<string, unknown> {
  if (status >= 400) return { content: { 'application/json': { schema: ERROR_REF } } };
  if (status === 204) return {};
  if (route.stream) return { content: { 'text/event-stream': { schema: { type: 'string' } } } };
  return { content: { 'application/json': { schema: { type: 'object' } } } };
}

function responses(route: ApiRoute): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, description] of Object.entries(route.responses)) out[status] = { description, ...content(route, Number(status)) };
  const error = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_REF } } });
  if (route.params || route.query || route.body) out['400'] ??= error('invalid request: `fields` names each problem');
  if (route.role !== 'public') {
    out['401'] ??= error('not authenticated');
    out['403'] ??= error(`needs the ${route.role} role${route.write ? ' (or the CSRF token is missing with a cookie session)' : ''}`);
  }
  if (route.write) out['429'] ??= error('rate limited: see Retry-After');
  return out;
}

function operation(route: ApiRoute): Record<string, unknown> {
  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, '').replace(/\/(\w)/g, (_m, c: string) => c.toUpperCase())}`,
    summary: route.summary,
    tags: [route.tag],
    'x-role': route.role,
    security: route.role === 'public' ? [] : [{ bearerAuth: [] }, { cookieAuth: [] }],
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } } : {}),
    responses: responses(route),
  };
}

const OPS_PATHS = {
  '/healthz': {
    get: {
      operationId: 'healthz',
      summary: 'Liveness (no authentication)',
      tags: ['ops'],
      security: [],
      responses: { 200: { description: 'alive' }, 503: { description: 'failed' } },
    },
  },
  '/readyz': {
    get: {
      operationId: 'readyz',
      summary: 'Readiness: 503 with the reason until the ingest owns its partitions (no authentication)',
      tags: ['ops'],
      security: [],
      responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } },
    },
  },
};

export function openApiDocument(routes: readonly ApiRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = { ...OPS_PATHS };
  for (const route of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: '3.1.0',
    info: { title: 'lendguard console API', version, description: 'The analyst console: alerts, rings, labels, cases, users. See docs/console.md.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'a token of the users file (lendguard console user add)' },
        cookieAuth: { type: 'apiKey', in: 'cookie', name: 'lg_session', description: 'POST /api/login; writes also need X-CSRF-Token' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', description: 'docs/errors.md' },
                message: { type: 'string' },
                fields: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
              },
            },
          },
        },
      },
    },
  };
}
