import type { Assessment } from '../domain/assessment.js';

const COLOURS: Record<string, string> = { low: '32', medium: '33', high: '31', critical: '35' };

/** One readable line per assessment for terminals. */
export function formatAssessment(a: Assessment, colour = process.stdout.isTTY): string {
  const level = a.level.toUpperCase().padEnd(8);
  const tag = colour ? `\x1b[${COLOURS[a.level] ?? '0'}m${level}\x1b[0m` : level;
  const flags = a.flags.map((f) => f.code).join(',') || '-';
  const lines = [`${tag} score=${String(a.score).padStart(3)}  ${a.applicationId}  flags=${flags}  latency=${a.latency.sinceRecordMs}ms`];
  for (const f of a.flags) lines.push(`           · ${f.reason}`);
  return lines.join('\n');
}
