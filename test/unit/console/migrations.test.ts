import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/console/migrations/index.js';

describe('console migrations', () => {
  it('are numbered 1, 2, 3… with distinct names and stable checksums', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(new Set(MIGRATIONS.map((m) => m.name)).size).toBe(MIGRATIONS.length);
    for (const m of MIGRATIONS) expect(m.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('name no schema (they run with search_path set to the configured one) and manage no transaction themselves', () => {
    for (const m of MIGRATIONS) {
      expect(m.sql, m.name).not.toMatch(/\b(lendguard|public)\./i);
      expect(m.sql, m.name).not.toMatch(/^\s*(BEGIN|COMMIT|ROLLBACK)\b/im);
      expect(m.sql, m.name).not.toMatch(/\bDROP\s+(SCHEMA|DATABASE)\b/i);
    }
  });

  it('index every filter of the console feed', () => {
    const sql = MIGRATIONS.map((m) => m.sql).join('\n');
    for (const index of [
      'alerts_detected_idx',
      'alerts_event_time_idx',
      'alerts_level_idx',
      'alerts_partner_idx',
      'alerts_region_idx',
      'alerts_ip_class_idx',
      'alerts_ring_idx',
      'alerts_application_idx',
      'alerts_rule_codes_idx',
      'alerts_subject_idx',
      'labels_application_idx',
    ]) {
      expect(sql).toContain(`CREATE INDEX ${index} `);
    }
    expect(sql).toContain('CONSTRAINT alerts_source_key UNIQUE (source_topic, source_partition, source_offset)');
  });
});
