/**
 * The report's model section as HTML (pure): the model versions that decided, shadow mode's active → candidate
 * table, and the drift table (PSI of each feature's bin shares against the previous period; past the threshold is
 * marked). Says plainly when no model ran.
 */
import type { Report } from '../report.js';
import { count, esc, fixed, pct } from './format.js';
import { cards, nothing, num, table, text, type Cell } from './table.js';

export function modelSectionHtml(report: Report): string {
  const m = report.model;
  if (m.versions.length === 0 && m.shadow.length === 0) return nothing('No model decided in the period and no shadow ran: the rules decided (docs/model.md).');
  const shadowed = m.shadow.reduce((s, r) => s + r.applications, 0);
  const parts = [
    cards([
      ...m.versions.map((v) => ({ label: `Model ${v.version}`, value: count(v.applications), below: `assessments it decided, ${count(v.alerts)} alerts` })),
      ...(shadowed > 0
        ? [
            {
              label: 'Shadow decisions',
              value: count(shadowed),
              below: `${count(m.shadowChanged)} (${pct(shadowed > 0 ? m.shadowChanged / shadowed : 0)}) at another level`,
            },
          ]
        : []),
    ]),
  ];
  if (m.shadow.length > 0) {
    const rows = m.shadow.map((r): Cell[] => [text(r.from), text(r.to), text(r.candidate, 'key'), num(r.applications, count(r.applications))]);
    parts.push(
      `<h3>Shadow: active against candidate</h3>${table('Shadow decisions by level', [{ label: 'active level' }, { label: 'candidate level' }, { label: 'candidate' }, { label: 'assessments', num: true }], rows)}`,
    );
  }
  if (m.drift.length > 0) {
    const drifted = m.drift.filter((d) => d.drifted).length;
    const rows = m.drift
      .slice(0, 60)
      .map((d): Cell[] => [text(d.feature, 'key'), text(d.version), num(d.psi, fixed(d.psi, 3)), text(d.drifted ? 'drifted' : '', d.drifted ? 'warn' : '')]);
    parts.push(
      `<h3>Drift of the model's features</h3><p class="note">${esc(`Population stability index of each feature's bin shares in the period against the previous period of the same length; ${drifted} past the threshold (0.25 unless the model file says).`)}</p>` +
        table('Feature drift', [{ label: 'feature' }, { label: 'model' }, { label: 'PSI', num: true }, { label: '' }], rows),
    );
  }
  return parts.join('\n');
}
