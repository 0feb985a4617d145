import type { AlertRow } from '../alert-row.js';
import type { Db } from '../db.js';
import {
  alertsAfter,
  alertsForRing,
  alertSummaries,
  explainListAlerts,
  getAlert,
  insertAlerts,
  lastAlertId,
  latestApplicationAlerts,
  listAlerts,
  ringAlertRecords,
  similarAlerts,
} from './alerts.js';
import { auditTrail } from './audit.js';
import { addAlertsToCase, casesForAlert, createCase, getCase, listCases, updateCase } from './cases.js';
import { addLabel, addLabels, labelsFor, latestLabels } from './labels.js';
import { prune, type PruneOptions } from './retention.js';

/**
 * The console store: every query the HTTP API needs, bound to the pool. All SQL is parameterised; each function
 * is also exported on its own (with a `Queryable` first) for use inside a caller's transaction.
 */
export type { AlertDetail, AlertPage, AlertSummary, LabelSummary, RingAlertRecord, SimilarAlert, SubjectKind } from './alerts.js';
export type { AuditEntry, AuditRecord } from './audit.js';
export type { Case, CaseChanges, CaseFilters, CaseStatus } from './cases.js';
export type { AlertFilters, Cursor } from './filters.js';
export { decodeCursor, encodeCursor } from './filters.js';
export type { Label, LabelBatch, LabelValue } from './labels.js';
export type { PruneOptions, PruneResult } from './retention.js';

type Rest<F> = F extends (db: never, ...rest: infer R) => infer T ? (...rest: R) => T : never;

export interface ConsoleStore {
  insertAlerts: Rest<typeof insertAlerts>;
  listAlerts: Rest<typeof listAlerts>;
  explainListAlerts: Rest<typeof explainListAlerts>;
  getAlert: Rest<typeof getAlert>;
  alertsForRing: Rest<typeof alertsForRing>;
  similarAlerts: Rest<typeof similarAlerts>;
  alertsAfter: Rest<typeof alertsAfter>;
  lastAlertId: Rest<typeof lastAlertId>;
  alertSummaries: Rest<typeof alertSummaries>;
  ringAlertRecords: Rest<typeof ringAlertRecords>;
  latestApplicationAlerts: Rest<typeof latestApplicationAlerts>;
  addLabel: Rest<typeof addLabel>;
  addLabels: Rest<typeof addLabels>;
  labelsFor: Rest<typeof labelsFor>;
  latestLabels: Rest<typeof latestLabels>;
  createCase: Rest<typeof createCase>;
  updateCase: Rest<typeof updateCase>;
  addAlertsToCase: Rest<typeof addAlertsToCase>;
  getCase: Rest<typeof getCase>;
  listCases: Rest<typeof listCases>;
  casesForAlert: Rest<typeof casesForAlert>;
  auditTrail: Rest<typeof auditTrail>;
  prune(opts: PruneOptions): ReturnType<typeof prune>;
}

export function createConsoleStore(db: Db): ConsoleStore {
  return {
    insertAlerts: (rows: readonly AlertRow[]) => insertAlerts(db, rows),
    listAlerts: (...a) => listAlerts(db, ...a),
    explainListAlerts: (...a) => explainListAlerts(db, ...a),
    getAlert: (id) => getAlert(db, id),
    alertsForRing: (...a) => alertsForRing(db, ...a),
    similarAlerts: (...a) => similarAlerts(db, ...a),
    alertsAfter: (...a) => alertsAfter(db, ...a),
    lastAlertId: () => lastAlertId(db),
    alertSummaries: (ids) => alertSummaries(db, ids),
    ringAlertRecords: (...a) => ringAlertRecords(db, ...a),
    latestApplicationAlerts: (ids) => latestApplicationAlerts(db, ids),
    addLabel: (input) => addLabel(db, input),
    addLabels: (batch) => addLabels(db, batch),
    labelsFor: (...a) => labelsFor(db, ...a),
    latestLabels: (ids) => latestLabels(db, ids),
    createCase: (input) => createCase(db, input),
    updateCase: (...a) => updateCase(db, ...a),
    addAlertsToCase: (...a) => addAlertsToCase(db, ...a),
    getCase: (id) => getCase(db, id),
    listCases: (...a) => listCases(db, ...a),
    casesForAlert: (id) => casesForAlert(db, id),
    auditTrail: (...a) => auditTrail(db, ...a),
    prune: (opts) => prune(db, opts),
  };
}
