import type { EvidenceValue } from '../domain/assessment.js';

/**
 * Reason templates: literal text with `{name}` placeholders, where name is a raw feature name
 * (`{device.identities.1h}`) or a param (`{limit}`). Parsed once at load.
 */
export type TemplatePart = { text: string } | { name: string };

const PLACEHOLDER = /\{([^{}]*)\}/g;

export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push({ text: template.slice(last, m.index) });
    parts.push({ name: (m[1] ?? '').trim() });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  return parts;
}

export const placeholders = (parts: readonly TemplatePart[]): string[] => parts.flatMap((p) => ('name' in p ? [p.name] : []));

/** How a value reads in a reason: unknown for null, at most one decimal for fractions. */
export function display(value: EvidenceValue | undefined): string {
  if (value === null || value === undefined) return 'unknown';
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Math.round(value * 10) / 10);
  return String(value);
}

export function renderTemplate(parts: readonly TemplatePart[], values: Readonly<Record<string, EvidenceValue | undefined>>): string {
  let out = '';
  for (const p of parts) out += 'name' in p ? display(values[p.name]) : p.text;
  return out;
}
