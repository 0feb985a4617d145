import type { SourceRef } from '../domain/application.js';
import type { Sighting, SightingTarget } from '../features/sightings.js';
import type { CounterUpdate } from '../features/velocity.js';

/**
 * Ports the pipeline owns. Adapters implement them: src/state/ (Redis) the state store, src/kafka/ (kafkajs)
 * the messaging ports. No port exposes a client, connection or transaction type, so swapping a client
 * library is a change to one adapter folder.
 */

/** Everything one application changes in state. */
export interface ApplicationState {
  applicationId: string;
  /**
   * The record that carries it (`topic/partition/offset`). The first record with an application id
   * owns it; a record from elsewhere with the same id is a duplicate (a retry of the same record is not).
   */
  source: string;
  atMs: number;
  counters: readonly CounterUpdate[];
  /** Entities whose last sighting this application replaces (only used when `sighting` is set). */
  sightingTargets: readonly SightingTarget[];
  sighting: Sighting | null;
}

export interface StateRequest {
  /**
   * Window lengths of every counter that has none of its own in `counterWindowsMs`. The longest is
   * also how long an application id is remembered (duplicates).
   */
  windowsMs: readonly number[];
  /**
   * Counters (by spec name) with window lengths of their own, e.g. the 30-day 多头 counters. Each
   * counter's sets are kept for its own longest window.
   */
  counterWindowsMs?: Readonly<Record<string, readonly number[]>>;
  applications: readonly ApplicationState[];
}

export interface ApplicationStateResult {
  /** One row per counter, one count per window of that counter (-1 for a window not asked for). */
  counts: number[][];
  /** For each sighting target, the sighting to compare with (null for none); empty without a sighting. */
  previous: (Sighting | null)[];
  /** Set (to the owning record's source) when another record already carried this application id: nothing was updated. */
  duplicateOf?: string;
}

/** Sliding-window counters and last sightings; one round trip per batch, one atomic step per application. */
export interface StateStore {
  apply(request: StateRequest): Promise<ApplicationStateResult[]>;
}

export interface OutputRecord {
  topic: string;
  key: string | null;
  value: Buffer | string;
  headers?: Record<string, string>;
}

// ------------------------------------------------------------------------------------------------ messaging

/** One input record as the pipeline sees it. */
export interface InputRecord {
  key: string | null;
  value: Buffer | null;
  source: SourceRef;
}

/**
 * What the application source calls. `handle` turns records into outputs; the source commits the outputs and
 * the input offsets in one transaction per partition (exactly once), then calls `onCommitted`; a transaction
 * that did not commit calls `onAborted` and the same records are handled again. A retriable error backs off
 * and retries; a fatal one calls `onFatal` and the source stops taking work.
 */
export interface ApplicationHandlers<R extends { outputs: readonly OutputRecord[] }> {
  handle(records: InputRecord[]): Promise<R>;
  onCommitted?(result: R): void;
  onAborted?(result: R): void;
  onFatal(err: Error): void;
}

export interface ApplicationSource {
  start(): Promise<void>;
  /** Stops fetching, lets the open transaction finish (or abort), leaves the group. */
  stop(): Promise<void>;
}

/** A record of a table topic; headers as the client gives them (only looked up by name). */
export interface TableRecord {
  value: Buffer | null;
  headers?: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;
}

export interface TableFeedOptions {
  topic: string;
  /** Prefix of the feed's own consumer identity; every start reads the whole topic again. */
  groupPrefix: string;
  onRecords(records: readonly TableRecord[], partition: number): void | Promise<void>;
}

/**
 * A whole topic, every partition, from the beginning, then followed (the GlobalKTable pattern): the graph
 * replica, the console and the report rollups read through it. `caughtUp` resolves once everything that was
 * in the topic at start has been delivered (committed records only).
 */
export interface TableFeed {
  readonly count: number;
  start(): Promise<void>;
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

/** Topic administration the processor needs at start-up. */
export interface TopicAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Creates the configured topics that are missing (or refuses, with topics.create=false); returns their names. */
  ensureTopics(): Promise<string[]>;
  /** Refuses a dead-letter topic too small for a dead letter (CONFIG_INVALID). */
  checkDeadLetterTopic(): Promise<void>;
  /** The largest message each output topic takes. */
  outputTopicLimits(): Promise<Map<string, number>>;
  /** Input records the processor group has committed, over all partitions. */
  committedRecords(): Promise<number>;
  /** Records a topic holds now (high minus low watermark, over all partitions). */
  topicRecords(topic: string): Promise<number>;
}

/** A plain (non-transactional) writer, for tools: the sample, the generator. */
export interface RecordWriter {
  send(topic: string, records: readonly { key: string | null; value: string | Buffer }[]): Promise<void>;
  close(): Promise<void>;
}

/** Everything the processor needs from its log broker. */
export interface Messaging {
  readonly admin: TopicAdmin;
  applicationSource<R extends { outputs: readonly OutputRecord[] }>(handlers: ApplicationHandlers<R>): ApplicationSource;
  tableFeed(opts: TableFeedOptions): TableFeed;
  /** Closes the producers and the admin client (after the source and the feeds have stopped). */
  close(): Promise<void>;
}
