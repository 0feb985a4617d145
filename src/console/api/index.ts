import { randomBytes } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { RecordWriter } from '../../pipeline/ports.js';
import type { Config } from '../../platform/config.js';
import { LendguardError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { Db } from '../db.js';
import type { Route } from '../http.js';
import type { ConsoleStore } from '../store/index.js';
import { Authenticator } from './auth/authenticate.js';
import { UserDirectory } from './auth/directory.js';
import { Sessions } from './auth/sessions.js';
import type { ApiDeps } from './deps.js';
import { createLabelPublisher } from './label-publisher.js';
import { openApiDocument } from './openapi.js';
import { RateLimiter } from './rate-limit.js';
import { defineRoute, toRoutes, type ApiRoute } from './router.js';
import { alertRoutes } from './routes/alerts.js';
import { caseRoutes } from './routes/cases.js';
import { labelRoutes } from './routes/labels.js';
import { reportRoutes } from './routes/reports.js';
import { configuredModelNames } from '../../reports/model-names.js';
import { streamRoutes } from './routes/stream.js';
import { userRoutes } from './routes/users.js';
import { AlertStreamHub } from './stream-hub.js';

/**
 * The console's HTTP API (docs/console.md): users and auth, the routes, the live stream and the OpenAPI document,
 * composed from config. Refuses at once (CONFIG_INVALID, exit 78) a users file that cannot be read, development
 * users or a missing session key in production.
 */
export interface ConsoleApi {
  /** the HTTP server's routes: the API, and /metrics behind authentication */
  readonly routes: Route[];
  readonly declarations: readonly ApiRoute[];
  readonly users: UserDirectory;
  readonly hub: AlertStreamHub;
  /** Dev users' tokens (development with console.devUsers), once start() has made them. */
  devTokens(): { name: string; role: string; token: string }[];
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface ConsoleApiDeps {
  store: ConsoleStore;
  db: Db;
  logger: Logger;
  registry: Registry;
  labelWriter: RecordWriter;
}

const VERSION = '0.1.0';

function sessionKey(config: Config, logger: Logger): string {
  const key = config.console.session.key;
  if (key) return key;
  if (config.mode === 'production') {
    throw new LendguardError('CONFIG_INVALID', 'console.session.key is required in production: set LENDGUARD_CONSOLE_SESSION_KEY to 32+ random characters');
  }
  logger.warn('console.session.key is not set: using a random key, so browser sessions end when the console restarts');
  return randomBytes(32).toString('base64url');
}

function checkUsers(config: Config): void {
  if (config.console.devUsers && config.mode === 'production') {
    throw new LendguardError('CONFIG_INVALID', 'console.devUsers is refused in production: add users with `lendguard console user add`');
  }
}

function metricsRoute(registry: Registry): ApiRoute {
  return defineRoute({
    method: 'GET',
    path: '/metrics',
    role: 'viewer',
    tag: 'ops',
    summary: 'Prometheus metrics (any role; scrape with a viewer token)',
    responses: { 200: 'Prometheus text format' },
    handle: async ({ res }) => {
      res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
      return undefined;
    },
  });
}

function openApiRoute(all: () => readonly ApiRoute[]): ApiRoute {
  let doc: Record<string, unknown> | undefined;
  return defineRoute({
    method: 'GET',
    path: '/api/openapi.json',
    role: 'viewer',
    tag: 'meta',
    summary: 'This OpenAPI 3.1 document',
    responses: { 200: 'the document' },
    handle: async () => ({ body: (doc ??= openApiDocument(all(), VERSION)) }),
  });
}

export function createConsoleApi(config: Config, deps: ConsoleApiDeps): ConsoleApi {
  const c = config.console;
  const logger = deps.logger.child({ component: 'console-api' });
  checkUsers(config);
  const users = new UserDirectory(c.usersFile, logger);
  const sessions = new Sessions({ key: sessionKey(config, logger), ttlMs: c.session.ttlMs, cookieSecure: c.session.cookieSecure });
  const auth = new Authenticator(users, sessions, new RateLimiter({ perMinute: c.rateLimit.authFailuresPerMinute, burst: c.rateLimit.authFailuresPerMinute }));
  const hub = new AlertStreamHub({ store: deps.store, logger, ...c.stream });
  const labels = createLabelPublisher(deps.labelWriter, config.topics.labels);
  const apiDeps: ApiDeps = {
    store: deps.store,
    db: deps.db,
    users,
    auth,
    labels,
    hub,
    logger,
    limits: { ringMaxNodes: c.ringMaxNodes },
    reportTopics: [config.topics.assessments, config.topics.alerts],
    reportModels: configuredModelNames(config),
  };
  const declarations: ApiRoute[] = [
    ...alertRoutes(apiDeps),
    ...labelRoutes(apiDeps),
    ...caseRoutes(apiDeps),
    ...userRoutes(apiDeps),
    ...streamRoutes(apiDeps),
    ...reportRoutes(apiDeps),
  ];
  declarations.push(
    openApiRoute(() => declarations),
    metricsRoute(deps.registry),
  );
  const writes = new RateLimiter({ perMinute: c.rateLimit.writesPerMinute, burst: c.rateLimit.writeBurst });
  const routes = toRoutes(declarations, { auth, writes, maxBodyBytes: c.http.maxBodyBytes, logger });
  let dev: { name: string; role: string; token: string }[] = [];
  const refresher = setInterval(() => users.refresh(), 5000).unref();
  return {
    routes,
    declarations,
    users,
    hub,
    devTokens: () => dev,
    async start() {
      if (c.devUsers) {
        dev = await users.addDevUsers();
        for (const u of dev) process.stderr.write(`!!! development console user ${u.name} (${u.role}): Authorization: Bearer ${u.token}\n`);
      }
      if (users.size === 0) logger.warn('the console has no users: every API request answers 401 (set console.usersFile, see docs/console.md)');
    },
    async close() {
      clearInterval(refresher);
      hub.close();
      await labels.close();
    },
  };
}
