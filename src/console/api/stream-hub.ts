import type { ServerResponse } from 'node:http';
import type { Logger } from '../../platform/logger.js';
import type { AlertSummary, ConsoleStore } from '../store/index.js';

/**
 * GET /api/stream: server-sent events of newly stored alerts. The ingest calls `notify()` after each stored chunk
 * (and a poll every `pollMs` catches what another console instance stored); the hub then reads the rows after the
 * last one it sent, by id, at most once per `batchMs`, and sends them to every client as ONE event whose id is the
 * last row id. A client that comes back with `Last-Event-ID` (or `?lastEventId=`) first gets the rows it missed,
 * from the store, then joins the live stream: nothing is lost or sent twice across the switch. A comment line every
 * `heartbeatMs` keeps proxies from closing an idle stream; a client that does not keep up (1 MiB unsent) is cut off
 * and resumes with its last event id.
 */
export interface StreamHubOptions {
  store: Pick<ConsoleStore, 'alertsAfter' | 'lastAlertId'>;
  batchMs: number;
  pollMs: number;
  heartbeatMs: number;
  maxClients: number;
  logger: Logger;
}

interface Client {
  res: ServerResponse;
  /** the last row id this client got */
  sentId: bigint;
  /** batches that arrived while it was catching up; null once live */
  queue: AlertSummary[][] | null;
}

const PAGE = 500;
/** A client this far behind gets an `overflow` event (reload the feed) instead of the rows. */
const MAX_REPLAY_PAGES = 20;
const MAX_UNSENT_BYTES = 1 << 20;

export function eventMessage(items: readonly AlertSummary[]): string {
  const last = items[items.length - 1];
  return `id: ${last?.id ?? ''}\nevent: alerts\ndata: ${JSON.stringify({ items })}\n\n`;
}

export class AlertStreamHub {
  private readonly clients = new Set<Client>();
  private lastId: bigint | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private dirty = false;
  private lastFlushAt = 0;
  private readonly poller: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly opts: StreamHubOptions) {
    this.poller = setInterval(() => this.notify(), opts.pollMs).unref();
    this.heartbeat = setInterval(() => this.beat(), opts.heartbeatMs).unref();
  }

  get size(): number {
    return this.clients.size;
  }

  get full(): boolean {
    return this.clients.size >= this.opts.maxClients;
  }

  /** Alerts were stored: they are sent within `batchMs`. */
  notify(): void {
    if (this.clients.size === 0 || this.lastId === undefined || this.closed) return;
    this.dirty = true;
    this.schedule();
  }

  /** Streams to `res` until the client goes: first what it missed after `lastEventId`, then live. */
  async attach(res: ServerResponse, lastEventId: string | undefined): Promise<void> {
    // The slot is taken, and its release registered, before anything is awaited: a client that goes while the store
    // answers must not keep its slot for ever, and simultaneous ones must not pass maxClients.
    const client: Client = { res, sentId: 0n, queue: [] };
    this.clients.add(client);
    res.once('close', () => this.detach(client));
    try {
      this.lastId ??= BigInt(await this.opts.store.lastAlertId());
    } catch (err) {
      this.detach(client);
      throw err;
    }
    if (res.destroyed) return void this.detach(client);
    client.sentId = lastEventId !== undefined ? BigInt(lastEventId) : this.lastId;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ lastEventId: client.sentId.toString() })}\n\n`);
    try {
      await this.replay(client);
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'alert stream: replay failed; the client will reconnect');
      res.destroy();
      return;
    }
    const queued = client.queue ?? [];
    client.queue = null;
    for (const batch of queued) this.write(client, batch);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.poller);
    clearInterval(this.heartbeat);
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  private async replay(client: Client): Promise<void> {
    for (let page = 0; page < MAX_REPLAY_PAGES; page++) {
      if (client.res.destroyed) return;
      const items = await this.opts.store.alertsAfter(client.sentId.toString(), PAGE);
      if (items.length > 0) this.send(client, items);
      if (items.length < PAGE) return;
    }
    // Too far behind to replay: tell the client to reload the feed, and go on from now.
    const now = this.lastId ?? client.sentId;
    client.res.write(
      `id: ${now.toString()}\nevent: overflow\ndata: ${JSON.stringify({ reason: 'too many missed alerts: reload the feed (GET /api/alerts)' })}\n\n`,
    );
    client.sentId = now;
  }

  private detach(client: Client): void {
    this.clients.delete(client);
    // With nobody listening the position is forgotten; the next client starts from the store's newest row.
    if (this.clients.size === 0 && !this.running) this.lastId = undefined;
  }

  private schedule(): void {
    if (this.timer || this.running) return;
    const wait = Math.max(0, this.lastFlushAt + this.opts.batchMs - Date.now());
    this.timer = setTimeout(() => void this.flush(), wait);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    this.running = true;
    this.dirty = false;
    this.lastFlushAt = Date.now();
    try {
      const after = this.lastId;
      if (after === undefined) return;
      const items = await this.opts.store.alertsAfter(after.toString(), PAGE);
      if (items.length > 0) {
        this.lastId = BigInt((items[items.length - 1] as AlertSummary).id);
        for (const c of this.clients) this.write(c, items);
        if (items.length === PAGE) this.dirty = true;
      }
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'alert stream: reading new alerts failed; trying again');
      this.dirty = true;
    } finally {
      this.running = false;
      if (this.clients.size === 0) this.lastId = undefined;
      else if (this.dirty && !this.closed) this.schedule();
    }
  }

  /** A batch to a client: queued while it catches up, else the rows it has not had. */
  private write(client: Client, items: readonly AlertSummary[]): void {
    if (client.queue) return void client.queue.push([...items]);
    const fresh = items.filter((a) => BigInt(a.id) > client.sentId);
    if (fresh.length > 0) this.send(client, fresh);
  }

  private send(client: Client, items: readonly AlertSummary[]): void {
    client.res.write(eventMessage(items));
    client.sentId = BigInt((items[items.length - 1] as AlertSummary).id);
    if (client.res.writableLength > MAX_UNSENT_BYTES) client.res.destroy();
  }

  private beat(): void {
    for (const c of this.clients) if (c.res.headersSent) c.res.write(': heartbeat\n\n');
  }
}
