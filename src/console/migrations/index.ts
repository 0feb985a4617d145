import { createHash } from 'node:crypto';
import { sql as initial } from './001_initial.js';
import { sql as countryIndex } from './002_country_index.js';
import { sql as reportRollups } from './003_report_rollups.js';

/** One versioned migration: applied once per schema, in version order, recorded with its checksum. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const migration = (version: number, name: string, sql: string): Migration => ({
  version,
  name,
  sql,
  checksum: createHash('sha256').update(sql).digest('hex'),
});

/** Every migration, in order. A new one is a new file `NNN_name.ts` exporting `sql`, listed here with the next version. */
export const MIGRATIONS: readonly Migration[] = [
  migration(1, 'initial', initial),
  migration(2, 'country_index', countryIndex),
  migration(3, 'report_rollups', reportRollups),
];
