/**
 * The live stream (GET /api/stream, server-sent events): the browser's EventSource reconnects by itself and sends
 * Last-Event-ID, so the server replays what the page missed. Alerts are queued and handed over once per animation
 * frame, as one batch: a burst of hundreds per second costs one DOM update per frame, not one per alert.
 */
import type { AlertSummary } from '../../store/index.js';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

export interface LiveStats {
  /** alerts received on the stream */
  received: number;
  /** alerts added to the feed (those the filters select) */
  rendered: number;
  /** batches handed to the feed */
  flushes: number;
  /** the longest batch, in ms */
  maxFlushMs: number;
}

export interface LiveHandlers {
  onBatch(items: AlertSummary[]): number;
  onStatus(status: LiveStatus): void;
  /** the server skipped alerts (this page was too far behind): reload the feed */
  onOverflow(): void;
}

export class LiveFeed {
  readonly stats: LiveStats = { received: 0, rendered: 0, flushes: 0, maxFlushMs: 0 };
  private source: EventSource | undefined;
  private queue: AlertSummary[] = [];
  private scheduled = false;
  private lastId = '';
  private retryMs = 1000;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly handlers: LiveHandlers) {}

  start(): void {
    if (this.source) return;
    this.handlers.onStatus('connecting');
    // The browser resumes with Last-Event-ID by itself; a stream we reopen ourselves says where it stopped.
    const url = this.lastId ? `/api/stream?lastEventId=${encodeURIComponent(this.lastId)}` : '/api/stream';
    const source = new EventSource(url, { withCredentials: true });
    this.source = source;
    source.addEventListener('ready', () => {
      this.retryMs = 1000;
      this.handlers.onStatus('live');
    });
    source.addEventListener('alerts', (ev) => {
      const msg = ev as MessageEvent<string>;
      if (msg.lastEventId) this.lastId = msg.lastEventId;
      this.receive(msg.data);
    });
    source.addEventListener('overflow', () => this.handlers.onOverflow());
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) return this.handlers.onStatus('reconnecting');
      // Closed for good (the server refused the stream, e.g. 503): open a new one, backing off up to 30 s.
      this.handlers.onStatus('reconnecting');
      this.source = undefined;
      this.retryTimer = setTimeout(() => this.start(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
    };
  }

  stop(): void {
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = undefined;
  }

  private receive(data: string): void {
    let items: AlertSummary[];
    try {
      items = (JSON.parse(data) as { items: AlertSummary[] }).items;
    } catch {
      return;
    }
    this.stats.received += items.length;
    this.queue.push(...items);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // A hidden tab gets no animation frames: flush on a timer there, so the feed is current when it comes back.
    const run = (): void => this.flush();
    if (document.hidden) setTimeout(run, 250);
    else requestAnimationFrame(run);
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (!batch.length) return;
    const started = performance.now();
    this.stats.rendered += this.handlers.onBatch(batch);
    this.stats.flushes += 1;
    this.stats.maxFlushMs = Math.max(this.stats.maxFlushMs, performance.now() - started);
  }
}
