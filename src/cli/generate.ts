import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { batchSizeFor, createPacer, parseDuration } from '../generate/pacer.js';
import { generateTraffic, parseAttackKinds, parseProfile, type GeneratedApplication, type TrafficOptions } from '../generate/traffic.js';
import { openRecordWriter } from '../kafka/tools.js';
import type { RecordWriter } from '../pipeline/ports.js';
import type { Config } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';

/** `lendguard generate`: the adapter around the pure generator (clock, files, Kafka, progress). */

/** Options as commander hands them over (strings; every one optional). */
export interface GenerateCliOptions {
  count?: string;
  duration?: string;
  rate?: string;
  out?: string;
  topic?: string;
  seed?: string;
  attacks?: string;
  attackShare?: string;
  start?: string;
  span?: string;
  eventRate?: string;
  truth?: string;
  progressEvery?: string;
  /** `realistic` (default) or `simple`. */
  profile?: string;
  /** Mix a graph bomb of this many applications into the output (in addition to --count). */
  bomb?: string;
}

export interface GenerateDeps {
  /** Config (read lazily: only Kafka output needs it). */
  config?: () => Config;
  /** Opens the Kafka writer (tests); default: `openRecordWriter` with the config. */
  openWriter?: (topic: string) => Promise<RecordWriter>;
  /** One line of progress / summary (default: stderr). */
  log?: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Stop early (the summary still comes). */
  signal?: AbortSignal;
}

export interface GenerateSummary {
  sent: number;
  elapsedMs: number;
  destination: string;
  seed: string;
  byPattern: Record<string, number>;
}

export interface GeneratePlan {
  count?: number;
  durationMs?: number;
  rate: number;
  seed: string;
  traffic: TrafficOptions;
  out?: string;
  truth?: string;
  topic?: string;
  progressEveryMs: number;
}

function positiveNumber(name: string, text: string | undefined, opts: { integer?: boolean; allowZero?: boolean } = {}): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  const ok = Number.isFinite(n) && (opts.allowZero ? n >= 0 : n > 0) && (!opts.integer || Number.isInteger(n));
  if (!ok) throw new Error(`--${name} must be a ${opts.integer ? 'whole' : ''} number ${opts.allowZero ? '>= 0' : '> 0'} (got '${text}')`);
  return n;
}

/**
 * Without --start: now, except for `--count` into a file as fast as possible, whose records are spread over --span:
 * they end at now (a replay refuses event times in the future).
 */
function defaultStart(o: GenerateCliOptions, nowMs: number, spanMs: number, rate: number, count: number | undefined): number {
  return o.out !== undefined && rate === 0 && count !== undefined ? nowMs - spanMs : nowMs;
}

/** Validates the options and works out event-time rate and span (pure, apart from `nowMs` for the default start). */
export function planGenerate(o: GenerateCliOptions, nowMs: number): GeneratePlan {
  const count = positiveNumber('count', o.count, { integer: true });
  const durationMs = o.duration === undefined ? undefined : parseDuration(o.duration);
  if (count === undefined && durationMs === undefined) throw new Error('give --count N or --duration 60s (or both: whichever comes first)');
  if (durationMs !== undefined && !(durationMs > 0)) throw new Error('--duration must be > 0');
  const rate = positiveNumber('rate', o.rate, { allowZero: true }) ?? 0;
  const share = positiveNumber('attack-share', o.attackShare, { allowZero: true }) ?? 0.05;
  if (share > 1) throw new Error('--attack-share is a share of traffic between 0 and 1 (e.g. 0.05)');
  const spanMs = o.span === undefined ? 2 * 3_600_000 : parseDuration(o.span);
  const startMs = o.start === undefined ? defaultStart(o, nowMs, spanMs, rate, count) : Date.parse(o.start);
  if (Number.isNaN(startMs)) throw new Error(`--start must be an ISO date-time (got '${o.start ?? ''}')`);
  const seed = o.seed ?? String(nowMs % 1_000_000_007);
  const profile = parseProfile(o.profile ?? 'realistic');
  const bomb = o.bomb === undefined ? 0 : (positiveNumber('bomb', o.bomb, { integer: true, allowZero: true }) ?? 0);
  const traffic: TrafficOptions = { seed, startMs, profile, attacks: parseAttackKinds(o.attacks ?? 'all', profile), attackShare: share };
  if (rate > 0) {
    // Event time advances with the offered rate.
    traffic.eventsPerSecond = rate;
    if (count !== undefined) {
      traffic.count = count;
      traffic.spanMs = (count / rate) * 1000;
    }
  } else if (count !== undefined) {
    // As fast as possible: spread the records over --span of event time so windows and travel make sense.
    traffic.count = count;
    traffic.spanMs = spanMs;
    traffic.eventsPerSecond = count / (spanMs / 1000);
  } else {
    traffic.eventsPerSecond = positiveNumber('event-rate', o.eventRate) ?? 200;
  }
  if (bomb > 0) {
    // The bomb starts in the middle of the event-time span (--duration only: of the duration) and lasts up to an
    // hour (at most the second half).
    const eventSpan = traffic.spanMs ?? durationMs ?? 2 * 3_600_000;
    traffic.bomb = { count: bomb, startMs: startMs + eventSpan / 2, durationMs: Math.max(1000, Math.min(3_600_000, eventSpan / 2)) };
  }
  const plan: GeneratePlan = { rate, seed, traffic, progressEveryMs: positiveNumber('progress-every', o.progressEvery) ?? 5000 };
  if (count !== undefined) plan.count = count + bomb;
  if (durationMs !== undefined) plan.durationMs = durationMs;
  if (o.out !== undefined) plan.out = o.out;
  if (o.truth !== undefined) plan.truth = o.truth;
  if (o.topic !== undefined) plan.topic = o.topic;
  return plan;
}

interface Sink {
  name: string;
  /** Connects (before the clock starts, so pacing and --duration measure sending only). */
  open(): Promise<void>;
  write(batch: GeneratedApplication[]): Promise<void>;
  close(): Promise<void>;
}

async function writeText(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function closeStream(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

function fileSink(path: string): Sink {
  const stream = createWriteStream(path, { encoding: 'utf8', highWaterMark: 4 << 20 });
  return {
    name: `file ${path}`,
    open: async () => undefined,
    write: (batch) => writeText(stream, `${batch.map((r) => JSON.stringify(r)).join('\n')}\n`),
    close: () => closeStream(stream),
  };
}

function kafkaSink(open: () => Promise<RecordWriter>, topic: string): Sink {
  let writer: RecordWriter | undefined;
  return {
    name: `topic ${topic}`,
    async open() {
      writer = await open();
    },
    async write(batch) {
      if (!writer) throw new Error('sink not open');
      await writer.send(
        topic,
        batch.map((r) => ({ key: r.applicationId, value: JSON.stringify(r) })),
      );
    },
    async close() {
      await writer?.close();
    },
  };
}

/** A line of the --truth side file (`ringId` and `tags` only when the record has them). */
function truthLine(r: GeneratedApplication): string {
  const { fraud, pattern, ringId, tags } = r._truth;
  return `${JSON.stringify({ applicationId: r.applicationId, fraud, pattern, ringId, tags })}\n`;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Runs the command; resolves with what was sent. Throws (with a message that says what to fix) on bad options. */
export async function runGenerate(o: GenerateCliOptions, deps: GenerateDeps = {}): Promise<GenerateSummary> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const plan = planGenerate(o, now());

  let sink: Sink;
  if (plan.out !== undefined) {
    sink = fileSink(plan.out);
  } else {
    const config = deps.config?.();
    const topic = plan.topic ?? config?.topics.applications;
    if (topic === undefined) throw new Error('no topic: pass --topic or a config');
    const open =
      deps.openWriter ??
      ((t: string): Promise<RecordWriter> => {
        if (!config) throw new Error('Kafka output needs a config (or pass --out file.jsonl)');
        return openRecordWriter(config, createLogger(config.log.level), { clientId: `${config.kafka.clientId}-generate`, requireTopic: t });
      });
    sink = kafkaSink(() => open(topic), topic);
  }
  const truth = plan.truth !== undefined ? createWriteStream(plan.truth, { encoding: 'utf8' }) : undefined;

  log(
    `generate: seed ${plan.seed}, ${plan.count !== undefined ? `${fmt(plan.count)} records` : ''}${plan.count !== undefined && plan.durationMs !== undefined ? ' or ' : ''}` +
      `${plan.durationMs !== undefined ? `${plan.durationMs / 1000}s` : ''}, ${plan.rate > 0 ? `${plan.rate}/s` : 'as fast as possible'} → ${sink.name}` +
      `; profile ${plan.traffic.profile ?? 'realistic'}; attacks ${plan.traffic.attacks?.join(',') || 'none'} at ${((plan.traffic.attackShare ?? 0) * 100).toFixed(1)}%` +
      `${plan.traffic.bomb ? `; graph bomb of ${fmt(plan.traffic.bomb.count)} at ${new Date(plan.traffic.bomb.startMs ?? 0).toISOString()}` : ''}`,
  );

  const it = generateTraffic(plan.traffic)[Symbol.iterator]();
  try {
    await sink.open();
  } catch (err) {
    await sink.close().catch(() => undefined);
    if (truth) await closeStream(truth).catch(() => undefined);
    throw err;
  }
  // Warm up before the clock starts: the first record loads the user-agent corpus (~0.2 s).
  let lookahead: IteratorResult<GeneratedApplication> | undefined = it.next();
  const pull = (): IteratorResult<GeneratedApplication> => {
    const r = lookahead ?? it.next();
    lookahead = undefined;
    return r;
  };
  const started = now();
  const pacer = createPacer(plan.rate, started, 2000);
  const batchSize = batchSizeFor(plan.rate);
  const deadline = plan.durationMs !== undefined ? started + plan.durationMs : Number.POSITIVE_INFINITY;
  const byPattern: Record<string, number> = {};
  let sent: number; // set from `queued` before every read
  let queued = 0;
  let lastReport = started;
  let sentAtLastReport = 0;
  let pending: Promise<void> = Promise.resolve();
  try {
    for (;;) {
      if (deps.signal?.aborted) break;
      if (plan.count !== undefined && queued >= plan.count) break;
      if (now() >= deadline) break;
      const want = plan.count !== undefined ? Math.min(batchSize, plan.count - queued) : batchSize;
      const batch: GeneratedApplication[] = [];
      for (let i = 0; i < want; i++) {
        const r = pull();
        if (r.done) break;
        batch.push(r.value);
      }
      if (batch.length === 0) break;
      const wait = pacer.reserve(batch.length, now());
      if (wait > 0) await sleep(wait);
      // One send in flight while the next batch is generated: backpressure without idling the generator.
      await pending;
      sent = queued;
      queued += batch.length;
      for (const r of batch) byPattern[r._truth.pattern] = (byPattern[r._truth.pattern] ?? 0) + 1;
      const lines = truth ? batch.map(truthLine).join('') : '';
      pending = sink.write(batch).then(() => (truth ? writeText(truth, lines) : undefined));
      const t = now();
      if (t - lastReport >= plan.progressEveryMs) {
        const elapsed = (t - started) / 1000;
        log(
          `generate: ${fmt(sent)} sent, ${fmt((sent - sentAtLastReport) / ((t - lastReport) / 1000))}/s now, ${fmt(sent / elapsed)}/s avg, ${elapsed.toFixed(1)}s elapsed`,
        );
        lastReport = t;
        sentAtLastReport = sent;
      }
    }
    await pending;
    sent = queued;
  } finally {
    await pending.catch(() => undefined);
    await sink.close();
    if (truth) await closeStream(truth);
  }
  const elapsedMs = Math.max(1, now() - started);
  const fraud = Object.entries(byPattern)
    .filter(([p]) => p !== 'legit')
    .reduce((s, [, n]) => s + n, 0);
  log(
    `generate: done, ${fmt(sent)} records in ${(elapsedMs / 1000).toFixed(1)}s (${fmt(sent / (elapsedMs / 1000))}/s) → ${sink.name}; ` +
      `attack ${fmt(fraud)} (${sent > 0 ? ((fraud / sent) * 100).toFixed(1) : '0.0'}%): ` +
      Object.entries(byPattern)
        .sort((a, b) => b[1] - a[1])
        .map(([p, n]) => `${p} ${fmt(n)}`)
        .join(', '),
  );
  return { sent, elapsedMs, destination: sink.name, seed: plan.seed, byPattern };
}
