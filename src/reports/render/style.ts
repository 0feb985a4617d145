/**
 * The report page's inline CSS and its one small inline script (static text: no report data goes in here).
 * The page reads fully without the script; with it, a click on a table's column heading sorts the table by that
 * column (numbers by their `data-v`, text by its content). Print: A4, one chart to a row (at its own size, so its text
 * stays readable), no page break inside a chart or a table row, colours kept.
 */
export const CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --soft: #f6f8fa; --accent: #0072b2; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 32px 48px; }
header.report { border-bottom: 3px solid var(--ink); padding-bottom: 12px; margin-bottom: 8px; }
h1 { font-size: 28px; margin: 0 0 4px; line-height: 1.2; }
h2 { font-size: 21px; margin: 36px 0 12px; padding-top: 12px; border-top: 1px solid var(--line); }
header.report + section > h2 { border-top: none; margin-top: 20px; }
h3 { font-size: 17px; margin: 24px 0 8px; }
.period { font-size: 18px; color: var(--muted); margin: 0 0 12px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; font-size: 14px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; font-variant-numeric: tabular-nums; }
ul.summary { padding-left: 22px; margin: 0; font-size: 16px; }
ul.summary li { margin: 4px 0; }
.note { color: var(--muted); font-size: 14px; margin: 4px 0 8px; }
.nothing { padding: 10px 14px; background: var(--soft); border-left: 4px solid var(--line); margin: 8px 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; margin: 8px 0 16px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; background: #fff; }
.card .k { color: var(--muted); font-size: 13px; }
.card .v { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .b { color: var(--muted); font-size: 13px; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 16px 24px; align-items: start; margin: 8px 0 16px; }
.charts > figure { margin: 0; }
svg.chart { display: block; width: 100%; max-width: 640px; height: auto; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr); gap: 8px 28px; align-items: start; }
@media (min-width: 1200px) { .pair { grid-template-columns: minmax(0, 600px) minmax(0, 1fr); } .pair > .charts { grid-template-columns: 1fr; } }
.pair h3:first-child { margin-top: 0; }
.scroll { overflow-x: auto; }
table.data { border-collapse: collapse; font-size: 14px; margin: 4px 0 12px; min-width: 50%; }
table.data caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
table.data th, table.data td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.data th { background: var(--soft); font-weight: 600; vertical-align: bottom; }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data td.num, table.data td.time { white-space: nowrap; }
table.data td.key { max-width: 340px; overflow-wrap: break-word; }
table.data tbody tr:nth-child(even) { background: #fbfcfd; }
.js table.sortable th { cursor: pointer; }
.js table.sortable th[data-dir='asc']::after { content: ' ▲'; }
.js table.sortable th[data-dir='desc']::after { content: ' ▼'; }
td.heat { width: 180px; }
.heat-bar { display: block; height: 12px; border-radius: 2px; min-width: 2px; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
a { color: var(--accent); }
footer.report { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }
@page { size: A4; margin: 12mm; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .charts, .pair { grid-template-columns: 1fr; }
  svg.chart, table.data tr, .card { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;

export const SCRIPT = `
document.documentElement.classList.add('js');
for (const th of document.querySelectorAll('table.sortable thead th')) {
  th.addEventListener('click', () => {
    const body = th.closest('table').tBodies[0];
    const i = th.cellIndex;
    const dir = th.dataset.dir === 'desc' ? 'asc' : 'desc';
    for (const h of th.parentElement.children) delete h.dataset.dir;
    th.dataset.dir = dir;
    const key = (tr) => (tr.cells[i]?.dataset.v !== undefined ? Number(tr.cells[i].dataset.v) : (tr.cells[i]?.textContent ?? '').trim().toLowerCase());
    const rows = [...body.rows].sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (dir === 'asc' ? 1 : -1); });
    body.append(...rows);
  });
}
`;
