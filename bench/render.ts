/**
 * Re-renders the Markdown of a results file after a change to the report or to the profile summary,
 * without running anything: `npx tsx bench/render.ts [bench/results/latest.json]`. Re-summarises
 * the CPU profile when its .cpuprofile is still there; for latest.json also refreshes docs/benchmarks.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { summariseProfile } from './profile.js';
import { renderMarkdown, updateDocs, type SuiteResult } from './report.js';

const file = process.argv[2] ?? new URL('./results/latest.json', import.meta.url).pathname;
const result = JSON.parse(readFileSync(file, 'utf8')) as SuiteResult;
const profileFile = result.profile?.run.profileFile;
if (result.profile && profileFile && existsSync(profileFile)) result.profile.summary = summariseProfile(profileFile);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
const md = renderMarkdown(result);
writeFileSync(file.replace(/\.json$/, '.md'), md);
if (/^latest(-quick)?\.json$/.test(basename(file))) {
  // The dated copy of the same run.
  const dated = file.replace(/latest(-quick)?\.json$/, `${result.when.slice(0, 16).replace(':', '')}Z${result.mode === 'quick' ? '-quick' : ''}.json`);
  if (existsSync(dated)) {
    writeFileSync(dated, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(dated.replace(/\.json$/, '.md'), md);
  }
  if (result.mode === 'full' && updateDocs(md)) process.stdout.write('updated docs/benchmarks.md\n');
}
process.stdout.write(md);
