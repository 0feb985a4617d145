/**
 * The trend report as JSON (pure): the Report as it is (src/reports/report.ts), pretty-printed with two spaces and a
 * trailing newline, with a `"format": "lendguard.report.v1"` member first so a reader can tell the shape apart
 * from any later one.
 */
import type { Report } from '../report.js';

export const REPORT_JSON_FORMAT = 'lendguard.report.v1';

export const renderJson = (report: Report): string => `${JSON.stringify({ format: REPORT_JSON_FORMAT, ...report }, null, 2)}\n`;
