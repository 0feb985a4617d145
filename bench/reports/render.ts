/**
 * Re-renders the report bench's Markdown from its JSON after a change to bench/reports/markdown.ts, without running
 * anything (names under bench/results/):
 *
 *   npx tsx bench/reports/render.ts [reports] [--order-check NAME] [--previous NAME --previous-code COMMIT]
 *
 * `--order-check`: the part 1 run with the batch sizes the other way round; `--previous`: an earlier run on older
 * code (before COMMIT), both shown beside the run in the findings.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { markdown, type Companions, type ReportsBenchResult } from './markdown.js';

const dir = new URL('../results/', import.meta.url);
function read(name: string): ReportsBenchResult {
  const file = new URL(`${name}.json`, dir);
  if (!existsSync(file)) throw new Error(`no bench/results/${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as ReportsBenchResult;
}

const args = process.argv.slice(2);
const flags = ['--order-check', '--previous', '--previous-code'];
const value = (flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const flagValues = new Set(
  flags
    .map((f) => args.indexOf(f))
    .filter((i) => i >= 0)
    .map((i) => i + 1),
);
const name = args.find((a, i) => !a.startsWith('--') && !flagValues.has(i)) ?? 'reports';
const companions: Companions = {};
const orderCheck = value('--order-check');
if (orderCheck) companions.orderCheck = { name: orderCheck, result: read(orderCheck) };
const previous = value('--previous');
if (previous) companions.previous = { name: previous, result: read(previous), code: value('--previous-code') ?? 'the change' };
writeFileSync(new URL(`${name}.md`, dir), markdown(read(name), companions));
process.stdout.write(`wrote bench/results/${name}.md\n`);
