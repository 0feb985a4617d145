/**
 * Every environment variable the processor reads, and the config path it sets. The README's
 * configuration table lists exactly these (a test keeps the two in step).
 */
export type EnvType = 'string' | 'int' | 'bool' | 'list' | 'ssl';

export interface EnvVar {
  name: string;
  path: string[];
  type: EnvType;
  help: string;
}

const v = (name: string, path: string, type: EnvType, help: string): EnvVar => ({ name, path: path.split('.'), type, help });

export const ENV_VARS: readonly EnvVar[] = [
  v('LENDGUARD_MODE', 'mode', 'string', '`development` (default) or `production` (refuses to start without a PII key)'),
  v('LENDGUARD_KAFKA_BROKERS', 'kafka.brokers', 'list', 'comma-separated host:port list'),
  v('LENDGUARD_KAFKA_CLIENT_ID', 'kafka.clientId', 'string', 'Kafka client id'),
  v('LENDGUARD_KAFKA_GROUP_ID', 'kafka.groupId', 'string', 'consumer group of the processors'),
  v('LENDGUARD_KAFKA_TRANSACTIONAL_ID_PREFIX', 'kafka.transactionalIdPrefix', 'string', 'prefix of per-partition transactional ids (default: the group id)'),
  v('LENDGUARD_KAFKA_SSL', 'kafka.ssl', 'ssl', '`true` to use TLS with the system CAs'),
  v('LENDGUARD_KAFKA_SSL_CA_FILE', 'kafka.ssl.caFile', 'string', 'PEM file of the CA that signed the brokers (implies TLS)'),
  v('LENDGUARD_KAFKA_SSL_CERT_FILE', 'kafka.ssl.certFile', 'string', 'client certificate for mutual TLS'),
  v('LENDGUARD_KAFKA_SSL_KEY_FILE', 'kafka.ssl.keyFile', 'string', 'client key for mutual TLS'),
  v('LENDGUARD_KAFKA_SASL_MECHANISM', 'kafka.sasl.mechanism', 'string', '`plain`, `scram-sha-256` or `scram-sha-512`'),
  v('LENDGUARD_KAFKA_SASL_USERNAME', 'kafka.sasl.username', 'string', 'SASL user'),
  v('LENDGUARD_KAFKA_SASL_PASSWORD', 'kafka.sasl.password', 'string', 'SASL password'),
  v('LENDGUARD_KAFKA_SESSION_TIMEOUT_MS', 'kafka.sessionTimeoutMs', 'int', 'consumer group session timeout'),
  v('LENDGUARD_TOPIC_APPLICATIONS', 'topics.applications', 'string', 'input topic'),
  v('LENDGUARD_TOPIC_ASSESSMENTS', 'topics.assessments', 'string', 'one assessment per valid application'),
  v('LENDGUARD_TOPIC_ALERTS', 'topics.alerts', 'string', 'assessments at or above the alert level'),
  v('LENDGUARD_TOPIC_DLQ', 'topics.dlq', 'string', 'dead-letter topic for bad input'),
  v('LENDGUARD_TOPIC_LABELS', 'topics.labels', 'string', 'analyst labels (reserved)'),
  v('LENDGUARD_TOPIC_GRAPH_LINKS', 'topics.graphLinks', 'string', 'identity-graph link log (reserved)'),
  v('LENDGUARD_TOPICS_CREATE', 'topics.create', 'bool', 'create missing topics at start-up'),
  v('LENDGUARD_TOPICS_PARTITIONS', 'topics.partitions', 'int', 'partitions for topics it creates'),
  v('LENDGUARD_TOPICS_REPLICATION_FACTOR', 'topics.replicationFactor', 'int', 'replication factor for topics it creates'),
  v('LENDGUARD_REDIS_URL', 'redis.url', 'string', 'redis:// or rediss:// URL (user, password and db go in the URL)'),
  v('LENDGUARD_REDIS_KEY_PREFIX', 'redis.keyPrefix', 'string', 'prefix of every Redis key'),
  v('LENDGUARD_STATE_ON_LOST', 'state.onLost', 'string', '`warn` (default) or `refuse` to start when Redis comes back empty while offsets are committed'),
  v('LENDGUARD_PII_KEY', 'pii.key', 'string', 'HMAC key for pseudonyms (16+ chars; required in production)'),
  v('LENDGUARD_GEO_PROVIDER', 'enrichment.geoProvider', 'string', '`dbip` (default, DB-IP Lite 2026) or `geoip-lite` (2019 data unless you refresh it)'),
  v('LENDGUARD_DBIP_DIR', 'enrichment.dbipDir', 'string', 'directory of your own DB-IP city mmdb files'),
  v('LENDGUARD_GEOIP_LITE_DATA_DIR', 'enrichment.geoipLiteDataDir', 'string', 'directory of refreshed geoip-lite data'),
  v('LENDGUARD_IP_LIST_DATACENTER', 'enrichment.ipLists.datacenter', 'list', 'comma-separated CIDR list files of data-centre / hosting networks'),
  v('LENDGUARD_IP_LIST_VPN', 'enrichment.ipLists.vpn', 'list', 'CIDR list files of VPN / proxy networks'),
  v('LENDGUARD_IP_LIST_TOR', 'enrichment.ipLists.tor', 'list', 'CIDR list files of Tor exits'),
  v('LENDGUARD_IP_LIST_BLOCK', 'enrichment.ipLists.block', 'list', 'CIDR list files of blocked networks'),
  v('LENDGUARD_IP_LIST_ALLOW', 'enrichment.ipLists.allow', 'list', 'CIDR list files of trusted networks (suppress IP rules)'),
  v('LENDGUARD_ASN_ENABLED', 'enrichment.asn.enabled', 'bool', 'IP → AS number, organisation and hosting class'),
  v('LENDGUARD_ASN_DIR', 'enrichment.asn.dir', 'string', 'directory of your own asn-ipv4-num.csv and asn-ipv6.csv'),
  v('LENDGUARD_HOSTING_ASNS_FILE', 'enrichment.asn.hostingFile', 'string', 'hosting and cloud AS classification (YAML)'),
  v('LENDGUARD_MAX_TRAVEL_SPEED_KMH', 'enrichment.maxTravelSpeedKmh', 'int', 'impossible-travel speed limit'),
  v('LENDGUARD_GRAPH_ENABLED', 'graph.enabled', 'bool', 'identity graph, ring detection and link replication'),
  v('LENDGUARD_GRAPH_HORIZON_DAYS', 'graph.horizonDays', 'int', 'links older than this leave the graph'),
  v('LENDGUARD_RULES_FILE', 'rules.file', 'string', 'rules file (YAML)'),
  v('LENDGUARD_RULES_HOT_RELOAD', 'rules.hotReload', 'bool', 'reload the rules file when it changes'),
  v('LENDGUARD_ALERT_LEVEL', 'scoring.alertLevel', 'string', '`low`, `medium`, `high` (default) or `critical`'),
  v('LENDGUARD_LATENCY_BUDGET_MS', 'latency.budgetMs', 'int', 'budget from record timestamp to assessment'),
  v('LENDGUARD_LATENCY_WINDOW_SECONDS', 'latency.windowSeconds', 'int', 'sliding window the budget is judged over'),
  v('LENDGUARD_LATENCY_TRIAL_SECONDS', 'latency.trialSeconds', 'int', 'shedding trial, then a full-work probe, each this long'),
  v('LENDGUARD_LATENCY_HOLD_SECONDS', 'latency.holdSeconds', 'int', 'full work holds this long after shedding did not help'),
  v('LENDGUARD_LATENCY_PROBE_EVERY_SECONDS', 'latency.probeEverySeconds', 'int', 'shedding that helped is probed at full work again after this long'),
  v('LENDGUARD_MAX_BATCH_SIZE', 'processing.maxBatchSize', 'int', 'records per transaction at most'),
  v('LENDGUARD_PARTITIONS_CONCURRENTLY', 'processing.partitionsConsumedConcurrently', 'int', 'partitions of a fetch processed in parallel'),
  v('LENDGUARD_MAX_WAIT_TIME_MS', 'processing.maxWaitTimeMs', 'int', 'longest fetch wait when there is nothing to read'),
  v('LENDGUARD_MAX_RECORD_BYTES', 'processing.maxRecordBytes', 'int', 'larger input records are dead-lettered'),
  v(
    'LENDGUARD_EVENT_TIME_MAX_LATENESS_MS',
    'processing.eventTime.maxLatenessMs',
    'int',
    'an older eventTime counts in the windows as this long before its record (default 1 h; raise it for a backfill with fresh record timestamps)',
  ),
  v('LENDGUARD_HTTP_PORT', 'http.port', 'int', 'port of /healthz, /readyz and /metrics (0 = any free port)'),
  v('LENDGUARD_HTTP_HOST', 'http.host', 'string', 'interface of the HTTP server'),
  v(
    'LENDGUARD_CONSOLE_POSTGRES_URL',
    'console.postgres.url',
    'string',
    'PostgreSQL of the analyst console (postgres://user@host:port/db; password better in PGPASSWORD)',
  ),
  v('LENDGUARD_CONSOLE_POSTGRES_SCHEMA', 'console.postgres.schema', 'string', 'schema of the console tables (default `lendguard`)'),
  v('LENDGUARD_CONSOLE_GROUP_ID', 'console.groupId', 'string', 'consumer group of the console alert ingest (default `lendguard-console`)'),
  v('LENDGUARD_CONSOLE_MAX_BATCH_SIZE', 'console.maxBatchSize', 'int', 'alert records per console database transaction at most'),
  v('LENDGUARD_CONSOLE_RETENTION_DAYS', 'console.retentionDays', 'int', 'console alerts older than this are deleted (not those in a case)'),
  v('LENDGUARD_CONSOLE_HTTP_HOST', 'console.http.host', 'string', 'interface of the console HTTP server'),
  v('LENDGUARD_CONSOLE_HTTP_PORT', 'console.http.port', 'int', 'port of the console HTTP server (default 9465; 0 = any free port)'),
  v('LENDGUARD_CONSOLE_USERS_FILE', 'console.usersFile', 'string', 'users of the console API (YAML or JSON; `lendguard console user add`)'),
  v('LENDGUARD_CONSOLE_DEV_USERS', 'console.devUsers', 'bool', 'development only: a dev viewer and analyst with tokens printed at start'),
  v('LENDGUARD_CONSOLE_SESSION_KEY', 'console.session.key', 'string', 'HMAC key of the console session cookies (32+ chars; required in production)'),
  v('LENDGUARD_REPORTS_ROLLUPS', 'console.reports.rollups', 'bool', 'the console counts the trend report rollups (default true)'),
  v('LENDGUARD_REPORTS_GROUP_ID', 'console.reports.groupId', 'string', 'consumer group of the report rollups (default `lendguard-reports`)'),
  v('LENDGUARD_REPORTS_MAX_BATCH_SIZE', 'console.reports.maxBatchSize', 'int', 'records per rollup database transaction at most'),
  v('LENDGUARD_MODEL_FILE', 'model.file', 'string', 'a scorecard model file (lendguard train); without one the rules decide'),
  v('LENDGUARD_MODEL_HOT_RELOAD', 'model.hotReload', 'bool', 'reload the model file when it changes (default true)'),
  v('LENDGUARD_SHADOW_MODEL_FILE', 'model.shadow.modelFile', 'string', 'shadow mode: a candidate model file, results under `shadow`'),
  v('LENDGUARD_SHADOW_RULES_FILE', 'model.shadow.rulesFile', 'string', 'shadow mode: a candidate rules file, results under `shadow`'),
  v('LENDGUARD_LOG_LEVEL', 'log.level', 'string', '`fatal` … `trace`, or `silent`'),
];

/** Parses an environment value into the JSON shape the schema expects; the schema then checks it. */
export function parseEnvValue(type: EnvType, raw: string): unknown {
  switch (type) {
    case 'int': {
      const n = Number(raw);
      return Number.isFinite(n) && raw.trim() !== '' ? n : raw;
    }
    case 'bool':
    case 'ssl':
      if (/^(true|1|yes)$/i.test(raw)) return true;
      if (/^(false|0|no)$/i.test(raw)) return false;
      return raw;
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      return raw;
  }
}
