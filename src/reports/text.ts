/**
 * Text PostgreSQL stores as given (pure): lone UTF-16 surrogates (which node-postgres writes as U+FFFD, so that two
 * different JS strings become one value) and NUL (which text refuses) are replaced by U+FFFD.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const storable = (s: string): string => s.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD');
