/**
 * Migration 3: the trend report's rollups (src/reports/, docs/reports.md), filled by their own consumer group from
 * fraud.assessments and fraud.alerts, with their offsets in consumer_offsets in the same transaction as the counts.
 */
export const sql = `
-- Counts of assessments by hour (UTC, of the event time) and by each dimension value (src/reports/dimensions.ts).
CREATE TABLE rollup_hourly (
  dimension text NOT NULL,
  hour timestamptz NOT NULL,
  value text NOT NULL,
  label text,
  applications bigint NOT NULL DEFAULT 0,
  alerts bigint NOT NULL DEFAULT 0,
  low bigint NOT NULL DEFAULT 0,
  medium bigint NOT NULL DEFAULT 0,
  high bigint NOT NULL DEFAULT 0,
  critical bigint NOT NULL DEFAULT 0,
  degraded bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (dimension, hour, value)
);
CREATE INDEX rollup_hourly_hour_idx ON rollup_hourly (hour);

-- One row per ring alert (formed, grew, touched-known-fraud): a ring's size over time, its growth in a period.
CREATE TABLE ring_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ring_id text NOT NULL,
  event text NOT NULL CHECK (event IN ('formed', 'grew', 'touched-known-fraud')),
  pattern text NOT NULL,
  at timestamptz NOT NULL,
  detected_at timestamptz NOT NULL,
  size integer NOT NULL,
  previous_size integer,
  known_fraud integer NOT NULL,
  first_seen timestamptz NOT NULL,
  source_topic text NOT NULL,
  source_partition integer NOT NULL,
  source_offset bigint NOT NULL,
  CONSTRAINT ring_events_source_key UNIQUE (source_topic, source_partition, source_offset)
);
CREATE INDEX ring_events_at_idx ON ring_events (at);
CREATE INDEX ring_events_ring_idx ON ring_events (ring_id, at);
`;
