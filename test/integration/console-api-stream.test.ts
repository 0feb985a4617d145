import { afterAll, describe, expect, it } from 'vitest';
import type { ConsoleApp } from '../../src/console/app.js';
import { syntheticAlerts } from '../helpers/console-alerts.js';
import { apiSetup, call, openStream, startApi, type SseEvent, type SseStream } from '../helpers/console-api.js';
import { countRows, dropTestSchemas } from '../helpers/postgres.js';
import { waitFor } from '../helpers/processor.js';
import { produceRaw } from '../helpers/services.js';

/**
 * The console API's live stream on a real alerts topic (the ingest stores, the stream sends), its resumption with
 * Last-Event-ID from the store, its batching and heartbeats; and a label that cannot be published is not stored.
 */
const START = Date.parse('2026-11-25T00:00:00.000Z');
const apps: ConsoleApp[] = [];

type Items = { items: { id: string; applicationId: string | null }[] };
const itemsOf = (e: SseEvent): Items['items'] => (JSON.parse(e.data) as Items).items;

/** Waits until the stream has delivered alerts for all these application ids; returns the alert events. */
async function until(stream: SseStream, applicationIds: readonly string[], timeoutMs = 30_000): Promise<SseEvent[]> {
  const want = new Set(applicationIds);
  const seen = (): Set<string> => new Set(stream.events.filter((e) => e.event === 'alerts').flatMap((e) => itemsOf(e).map((i) => i.applicationId as string)));
  await waitFor(
    () => [...want].every((id) => seen().has(id)),
    timeoutMs,
    () => `stream got ${JSON.stringify([...seen()])}`,
  );
  return stream.events.filter((e) => e.event === 'alerts');
}

afterAll(async () => {
  await Promise.allSettled(apps.map((a) => a.close()));
  await dropTestSchemas();
});

describe('console API live stream', () => {
  it('delivers ingested alerts, batched, with heartbeats, and resumes from Last-Event-ID without loss or repeat', async () => {
    const setup = await apiSetup();
    const { app, base } = await startApi(setup, { 'console.stream.heartbeatMs': 1000 });
    apps.push(app);
    const alerts = syntheticAlerts('ss', 60, START).filter((a) => a.alert.alertType === 'application');
    const ids = alerts.map((a) => (a.alert as { applicationId: string }).applicationId);
    const send = (from: number, to: number) =>
      produceRaw(
        setup.topic,
        alerts.slice(from, to).map((a) => ({ key: a.key, value: a.value })),
      );

    const first = await openStream(base, setup.tokens.vera);
    await first.next((e) => e.event === 'ready');
    await send(0, 3);
    const events = await until(first, ids.slice(0, 3));
    const lastId = events.at(-1)?.id as string;
    const delivered = events.flatMap(itemsOf);
    expect(delivered.map((i) => i.applicationId)).toEqual(ids.slice(0, 3));
    expect(lastId).toBe(delivered.at(-1)?.id);
    for (const e of events) expect(e.id).toBe(itemsOf(e).at(-1)?.id);
    await waitFor(
      () => first.comments > 0,
      5000,
      () => 'no heartbeat comment',
    );
    first.close();

    // Missed while away: stored, then replayed from the store on reconnect, and only those.
    await send(3, 8);
    await waitFor(
      async () => (await app.store.listAlerts({ applicationIdPrefix: 'ss-' }, { limit: 100 })).items.length === 8,
      30_000,
      () => 'not stored',
    );
    const second = await openStream(base, setup.tokens.vera, lastId);
    const resumed = await until(second, ids.slice(3, 8));
    expect(resumed.flatMap(itemsOf).map((i) => i.applicationId)).toEqual(ids.slice(3, 8));

    // Live again, many at once: batched, at most one event message per 100 ms.
    await send(8, alerts.length);
    const live = (await until(second, ids.slice(8))).slice(resumed.length);
    const items = live.flatMap(itemsOf);
    expect(items.map((i) => i.applicationId)).toEqual(ids.slice(8));
    expect(live.length).toBeLessThan(items.length);
    for (let k = 1; k < live.length; k++) expect((live[k] as SseEvent).receivedAt - (live[k - 1] as SseEvent).receivedAt).toBeGreaterThan(80);
    second.close();
    expect(await countRows(app.db, 'alerts')).toBe(alerts.length);
  }, 120_000);

  it('refuses a stream without authentication and a malformed Last-Event-ID', async () => {
    const setup = await apiSetup();
    const { app, base } = await startApi(setup);
    apps.push(app);
    expect((await call(base, '/api/stream')).status).toBe(401);
    const bad = await call<{ error: { code: string } }>(base, '/api/stream', { token: setup.tokens.vera, headers: { 'last-event-id': 'x1' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_REQUEST');
  });
});

describe('console API label publishing', () => {
  it('answers 503 and stores nothing when the label cannot be published to Kafka', async () => {
    const setup = await apiSetup({ LENDGUARD_TOPIC_LABELS: 'lendguard-test-no-such-topic' });
    const { app, base } = await startApi(setup);
    apps.push(app);
    const res = await call<{ error: { code: string } }>(base, '/api/labels', {
      token: setup.tokens.ana,
      method: 'POST',
      body: { applicationId: 'never-1', label: 'fraud' },
    });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('KAFKA_UNAVAILABLE');
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(await app.store.labelsFor('never-1')).toEqual([]);
    expect(await app.store.auditTrail('application:never-1')).toEqual([]);
  }, 90_000);
});
