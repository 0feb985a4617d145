import type { Logger } from '../../platform/logger.js';
import type { ModelNames } from '../../reports/model-section.js';
import type { Db } from '../db.js';
import type { ConsoleStore } from '../store/index.js';
import type { Authenticator } from './auth/authenticate.js';
import type { UserDirectory } from './auth/directory.js';
import type { LabelPublisher } from './label-publisher.js';
import type { AlertStreamHub } from './stream-hub.js';

/** What the route handlers use. */
export interface ApiDeps {
  store: ConsoleStore;
  db: Db;
  users: UserDirectory;
  auth: Authenticator;
  labels: LabelPublisher;
  hub: AlertStreamHub;
  logger: Logger;
  limits: { ringMaxNodes: number };
  /** the topics whose dead records the trend report counts (assessments, alerts) */
  reportTopics: readonly string[];
  /** feature names of the configured model files, for the report's drift table */
  reportModels: readonly ModelNames[];
}
