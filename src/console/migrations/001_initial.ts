/**
 * Migration 1: the console's tables. Runs with search_path set to the console schema (src/console/migrate.ts),
 * so names are unqualified. Never edit a migration once applied anywhere: add the next one (the checksum is checked).
 */
export const sql = `
-- One row per record of the alerts topic that is an alert: the payload as produced (masked identifiers and
-- pseudonyms only), and the columns the console filters on. The source record is the idempotency key.
CREATE TABLE alerts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('application', 'ring')),
  application_id text,
  ring_id text,
  ring_event text CHECK (ring_event IN ('formed', 'grew', 'touched-known-fraud')),
  level text CHECK (level IN ('low', 'medium', 'high', 'critical')),
  score integer,
  partner_id text,
  ip_country text,
  ip_region text,
  ip_class text,
  rule_codes text[] NOT NULL DEFAULT '{}',
  subject_ids text[] NOT NULL DEFAULT '{}',
  event_time timestamptz NOT NULL,
  detected_at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  source_topic text NOT NULL,
  source_partition integer NOT NULL,
  source_offset bigint NOT NULL,
  record_key text,
  ingested_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT alerts_source_key UNIQUE (source_topic, source_partition, source_offset),
  CONSTRAINT alerts_application_fields CHECK (kind <> 'application' OR (application_id IS NOT NULL AND level IS NOT NULL)),
  CONSTRAINT alerts_ring_fields CHECK (kind <> 'ring' OR (ring_id IS NOT NULL AND ring_event IS NOT NULL))
);
-- The feed: newest first, keyset pagination on (detected_at, id); each filter's index ends with the same order.
CREATE INDEX alerts_detected_idx ON alerts (detected_at DESC, id DESC);
CREATE INDEX alerts_event_time_idx ON alerts (event_time DESC, id DESC);
CREATE INDEX alerts_level_idx ON alerts (level, detected_at DESC, id DESC);
CREATE INDEX alerts_partner_idx ON alerts (partner_id, detected_at DESC, id DESC);
CREATE INDEX alerts_region_idx ON alerts (ip_country, ip_region, detected_at DESC, id DESC);
CREATE INDEX alerts_ip_class_idx ON alerts (ip_class, detected_at DESC, id DESC);
CREATE INDEX alerts_ring_idx ON alerts (ring_id, detected_at DESC, id DESC) WHERE ring_id IS NOT NULL;
CREATE INDEX alerts_application_idx ON alerts (application_id text_pattern_ops);
CREATE INDEX alerts_rule_codes_idx ON alerts USING gin (rule_codes);
CREATE INDEX alerts_subject_idx ON alerts USING gin (subject_ids);

-- Records of the alerts topic that are not alerts (not JSON, not the contract, refused by PostgreSQL).
CREATE TABLE dead_alerts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_topic text NOT NULL,
  source_partition integer NOT NULL,
  source_offset bigint NOT NULL,
  record_key text,
  value bytea,
  code text NOT NULL,
  reason text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT dead_alerts_source_key UNIQUE (source_topic, source_partition, source_offset)
);
CREATE INDEX dead_alerts_received_idx ON dead_alerts (received_at);

-- The ingest's offsets of record: written in the same transaction as the rows they cover.
CREATE TABLE consumer_offsets (
  consumer text NOT NULL,
  topic text NOT NULL,
  partition integer NOT NULL,
  next_offset bigint NOT NULL CHECK (next_offset >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, topic, partition)
);

-- Analyst labels, by application; the latest one counts. Never pruned.
CREATE TABLE labels (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  application_id text NOT NULL,
  label text NOT NULL CHECK (label IN ('fraud', 'legit')),
  note text,
  author text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX labels_application_idx ON labels (application_id, created_at DESC, id DESC);

CREATE TABLE cases (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title text NOT NULL,
  assignee text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'investigating', 'closed')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
CREATE INDEX cases_status_idx ON cases (status, updated_at DESC);
CREATE INDEX cases_assignee_idx ON cases (assignee, status);

-- An alert in a case is kept past the retention (the foreign key is the safety net of prune()).
CREATE TABLE case_alerts (
  case_id bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  alert_id bigint NOT NULL REFERENCES alerts (id),
  added_by text NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, alert_id)
);
CREATE INDEX case_alerts_alert_idx ON case_alerts (alert_id);

-- Who did what: every label and case change writes a row in the same transaction.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_target_idx ON audit_log (target, at DESC);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
`;
