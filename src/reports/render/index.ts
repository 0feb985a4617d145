/**
 * The report's renderers behind one call: `render(report, format)` for 'html' (one self-contained page), 'csv' (one
 * tidy long table) or 'json', and the content type each is served with.
 */
import type { Report } from '../report.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';

export type ReportFormat = 'html' | 'csv' | 'json';

export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'csv', 'json'];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

const RENDERERS: Record<ReportFormat, (report: Report) => string> = { html: renderHtml, csv: renderCsv, json: renderJson };

export function render(report: Report, format: ReportFormat): string {
  const renderer = RENDERERS[format] as ((report: Report) => string) | undefined;
  if (!renderer) throw new RangeError(`unknown report format ${String(format)}: one of ${REPORT_FORMATS.join(', ')}`);
  return renderer(report);
}

export { renderCsv, renderHtml, renderJson };
