/**
 * The feed filtered by country alone (`?country=CN`, with or without `labelled`): an index range in feed order.
 * `alerts_region_idx` has the region between the country and the order, so a country-only filter read every row of
 * the country and sorted them; before autovacuum has analysed a fast-growing table the planner picked it, and the
 * query grew with the table (bench/results/console.md: p50 28 → 122 ms over a 30,000-alert burst).
 */
export const sql = `
CREATE INDEX alerts_country_idx ON alerts (ip_country, detected_at DESC, id DESC);
`;
