import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertStreamHub, eventMessage } from '../../../../src/console/api/stream-hub.js';
import type { AlertSummary } from '../../../../src/console/store/index.js';
import { createLogger } from '../../../../src/platform/logger.js';

/**
 * The stream hub's batching and resumption over an in-memory list of stored rows (the integration test runs it on
 * PostgreSQL and Kafka); responses are collected in memory.
 */
const rows: AlertSummary[] = [];
const store = {
  alertsAfter: async (after: string, limit = 500) => rows.filter((r) => BigInt(r.id) > BigInt(after)).slice(0, limit),
  lastAlertId: async () => rows.at(-1)?.id ?? '0',
};
const summary = (id: number): AlertSummary => ({ id: String(id), applicationId: `a${id}` }) as AlertSummary;
const store$ = (from: number, to: number): void => {
  for (let i = from; i <= to; i++) rows.push(summary(i));
};

class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  writableLength = 0;
  destroyed = false;
  status = 0;
  writeHead(status: number) {
    this.status = status;
    return this;
  }
  get headersSent() {
    return this.status !== 0;
  }
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
  end() {
    this.emit('close');
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
  events() {
    return this.chunks
      .filter((c) => c.includes('event: alerts'))
      .map((c) => ({ id: /id: (\d+)/.exec(c)?.[1], ids: (JSON.parse(c.split('data: ')[1] as string) as { items: { id: string }[] }).items.map((i) => i.id) }));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let hub: AlertStreamHub | undefined;
afterEach(() => {
  hub?.close();
  rows.length = 0;
});

describe('alert stream hub', () => {
  it('formats one event per batch whose id is the last row id', () => {
    expect(eventMessage([summary(3), summary(7)])).toBe(`id: 7\nevent: alerts\ndata: ${JSON.stringify({ items: [summary(3), summary(7)] })}\n\n`);
  });

  it('takes the slot before the store answers, and frees it when the client goes meanwhile (no slot leaks)', async () => {
    store$(1, 5);
    const answers: ((id: string) => void)[] = [];
    const slow = { ...store, lastAlertId: () => new Promise<string>((r) => answers.push(r)) };
    hub = new AlertStreamHub({ store: slow, batchMs: 100, pollMs: 60_000, heartbeatMs: 60_000, maxClients: 2, logger: createLogger('silent') });
    const gone = [new FakeResponse(), new FakeResponse()];
    const attaching = gone.map((r) => hub!.attach(r as unknown as ServerResponse, undefined));
    expect(hub.full).toBe(true); // both count at once: simultaneous ones cannot pass maxClients
    for (const r of gone) r.destroy(); // they go while the store has not answered
    for (const answer of answers) answer('5');
    await Promise.all(attaching);
    expect(hub.size).toBe(0);
    expect(gone.every((r) => r.status === 0)).toBe(true); // nothing was written to them
  });

  it('sends newly stored rows to every client, at most one message per batch interval', async () => {
    store$(1, 5);
    hub = new AlertStreamHub({ store, batchMs: 100, pollMs: 60_000, heartbeatMs: 60_000, maxClients: 2, logger: createLogger('silent') });
    const a = new FakeResponse();
    const b = new FakeResponse();
    await hub.attach(a as unknown as ServerResponse, undefined);
    await hub.attach(b as unknown as ServerResponse, undefined);
    expect(hub.full).toBe(true);
    expect(a.status).toBe(200);
    expect(a.chunks[0]).toContain('event: ready');
    const started = Date.now();
    for (let i = 6; i <= 30; i++) {
      store$(i, i);
      hub.notify();
      await sleep(10);
    }
    await sleep(250);
    const events = a.events();
    expect(events.flatMap((e) => e.ids)).toEqual(Array.from({ length: 25 }, (_, k) => String(k + 6)));
    expect(events.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 100) + 1);
    expect(events.length).toBeLessThan(25);
    for (const e of events) expect(e.id).toBe(e.ids.at(-1));
    expect(b.events().flatMap((e) => e.ids)).toEqual(events.flatMap((e) => e.ids));
    a.end();
    expect(hub.size).toBe(1);
  });

  it('replays from Last-Event-ID, then goes live without a gap or a repeat', async () => {
    store$(1, 1200);
    hub = new AlertStreamHub({ store, batchMs: 20, pollMs: 60_000, heartbeatMs: 60_000, maxClients: 5, logger: createLogger('silent') });
    const live = new FakeResponse();
    await hub.attach(live as unknown as ServerResponse, undefined);
    const back = new FakeResponse();
    const attaching = hub.attach(back as unknown as ServerResponse, '100');
    store$(1201, 1210);
    hub.notify();
    await attaching;
    await sleep(100);
    const ids = back.events().flatMap((e) => e.ids);
    expect(ids).toEqual(Array.from({ length: 1110 }, (_, k) => String(k + 101)));
    expect(live.events().flatMap((e) => e.ids)).toEqual(Array.from({ length: 10 }, (_, k) => String(k + 1201)));
  });

  it('tells a client too far behind to reload, sends heartbeats, and cuts off a client that does not keep up', async () => {
    store$(1, 10_600);
    hub = new AlertStreamHub({ store, batchMs: 20, pollMs: 50, heartbeatMs: 1000, maxClients: 5, logger: createLogger('silent') });
    const far = new FakeResponse();
    await hub.attach(far as unknown as ServerResponse, '0');
    expect(far.chunks.some((c) => c.includes('event: overflow'))).toBe(true);
    await sleep(1100);
    expect(far.chunks.some((c) => c.startsWith(': heartbeat'))).toBe(true);
    const slow = new FakeResponse();
    await hub.attach(slow as unknown as ServerResponse, undefined);
    slow.writableLength = 2 << 20;
    store$(10_601, 10_602);
    await sleep(150); // the poll notices
    expect(slow.destroyed).toBe(true);
  });
});
