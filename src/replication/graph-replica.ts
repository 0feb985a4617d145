import type { GraphService } from '../graph/graph-service.js';
import { ORIGIN_HEADER, readLinkRecord, type LinkRecord } from '../graph/link-record.js';
import type { TableFeed, TableFeedOptions, TableRecord } from '../pipeline/ports.js';
import type { Logger } from '../platform/logger.js';

/**
 * Keeps this instance's identity-graph replica in step with the others: every application's links
 * any instance published (fraud.graph-links, compacted by application id), every analyst label
 * (fraud.labels), and old links
 * evicted past the horizon. `ready` resolves once both topics are replayed to where they were at
 * start: the processor waits for it before taking applications, so a restart rebuilds the graph
 * without reprocessing a single application.
 */
export interface GraphReplicaOptions {
  /** Table feeds (the messaging port) and the size of a topic, to reserve the graph once. */
  tableFeed: (opts: TableFeedOptions) => TableFeed;
  topicRecords: (topic: string) => Promise<number>;
  graph: GraphService;
  topics: { graphLinks: string; labels: string };
  groupPrefix: string;
  horizonMs: number;
  evictEveryMs: number;
  logger: Logger;
  now: () => number;
  onBadRecord: (topic: string, reason: string) => void;
  /**
   * This process's origin header value: link records it produced itself are already in its graph
   * (applied when the application was processed) and are skipped without parsing.
   */
  origin?: string;
}

export interface GraphReplica {
  ready: Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface Label {
  applicationId: string;
  label: 'fraud' | 'legit';
  atMs: number;
}

/** A label record: {"applicationId", "label": "fraud"|"legit", "at": ISO time, "by"?: analyst}. */
export function parseLabel(value: Buffer | null): Label | string {
  if (!value) return 'empty value';
  try {
    const l = JSON.parse(value.toString('utf8')) as { applicationId?: unknown; label?: unknown; at?: unknown };
    const atMs = typeof l.at === 'string' ? Date.parse(l.at) : Number.NaN;
    if (typeof l.applicationId !== 'string' || (l.label !== 'fraud' && l.label !== 'legit') || Number.isNaN(atMs)) {
      return 'expected {"applicationId", "label": "fraud"|"legit", "at": ISO time}';
    }
    return { applicationId: l.applicationId, label: l.label, atMs };
  } catch {
    return 'not JSON';
  }
}

/** Applications evicted per slice (about 15 ms of work at 8 µs each), so eviction never blocks the stream for long. */
const EVICT_SLICE = 2000;

export function createGraphReplica(opts: GraphReplicaOptions): GraphReplica {
  const { graph, logger } = opts;
  const applyLinks = (records: readonly TableRecord[]): void => {
    const parsed: LinkRecord[] = [];
    for (const r of records) {
      if (opts.origin !== undefined && r.headers?.[ORIGIN_HEADER]?.toString() === opts.origin) continue;
      const record = readLinkRecord(r.value);
      if (typeof record === 'string') opts.onBadRecord(opts.topics.graphLinks, record);
      else parsed.push(record);
    }
    graph.replicateRecords(parsed);
  };
  const applyLabels = (records: readonly TableRecord[]): void => {
    for (const r of records) {
      const parsed = parseLabel(r.value);
      if (typeof parsed === 'string') opts.onBadRecord(opts.topics.labels, parsed);
      else graph.label(parsed.applicationId, parsed.label, parsed.atMs);
    }
  };
  const links = opts.tableFeed({ topic: opts.topics.graphLinks, groupPrefix: `${opts.groupPrefix}-links`, onRecords: applyLinks });
  const labels = opts.tableFeed({ topic: opts.topics.labels, groupPrefix: `${opts.groupPrefix}-labels`, onRecords: applyLabels });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  return {
    ready: Promise.all([links.caughtUp(), labels.caughtUp()]).then(() => undefined),
    async start() {
      const started = opts.now();
      // Size the graph once for what the link topic holds (a table that doubles on the way pauses for a second).
      graph.reserve(await opts.topicRecords(opts.topics.graphLinks).catch(() => 0));
      await Promise.all([links.start(), labels.start()]);
      void Promise.all([links.caughtUp(), labels.caughtUp()]).then(() =>
        logger.info({ links: links.count, labels: labels.count, ms: opts.now() - started, graph: graph.stats() }, 'graph replica rebuilt'),
      );
      // Eviction takes the oldest buckets first, a slice at a time, yielding to the event loop between slices.
      const evict = (total: { apps: number; links: number }): void => {
        const r = graph.evictOlderThan(opts.now() - opts.horizonMs, EVICT_SLICE);
        total.apps += r.apps;
        total.links += r.links;
        if (r.more && !stopped) setImmediate(() => evict(total));
        else if (total.apps > 0) logger.info(total, 'evicted graph applications past the horizon');
      };
      timer = setInterval(() => evict({ apps: 0, links: 0 }), opts.evictEveryMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await Promise.allSettled([links.stop(), labels.stop()]);
    },
  };
}
