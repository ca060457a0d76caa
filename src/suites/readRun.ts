/**
 * One measured row: reads drawn from a key distribution, offered open loop
 * (Poisson) or closed loop, optionally with writers updating the source at the
 * same time, timed into HDR histograms per outcome. The row runner owns the
 * row's accounting: the window's cache counters, its errors, the harness's
 * own figures. Everything the harness checks about a read (staleness) happens
 * after its latency is taken.
 */
import type { CacheAsideService, ReadOutcome, ReadResult } from '../cache/cacheAside.ts';
import { type CacheCounters, countersSince } from '../cache/counters.ts';
import { SourceError } from '../errors.ts';
import { type DriverReport, type LoadWindow, type RequestHooks, runClosedLoop, runOpenLoop } from '../load/drivers.ts';
import { runReplay } from '../load/traceDriver.ts';
import { HarnessProbe, type HarnessReport } from '../metrics/harness.ts';
import { type Histogram, newLatencyHistogram, recordMs } from '../metrics/latencyHistogram.ts';
import type { KeyspaceCounts, MemoryStats } from '../redis/serverStats.ts';
import { windowHitRatio } from '../redis/serverStats.ts';
import type { Source } from '../source/source.ts';
import type { KeySampler } from '../workload/keySampler.ts';
import type { Rng } from '../workload/rng.ts';
import { OP_WRITE } from '../workload/trace/traceBuilder.ts';

export type LoadShape = { rate: number } | { concurrency: number };

export interface WriterSettings {
  rate: number;
  sampler: KeySampler;
  /** Updates the source row and applies the invalidation strategy. */
  write(id: number): Promise<void>;
}

/** A trace's requests in place of sampled reads and a writer: request i is sent at `timesMs[i]`. */
export interface ReplaySettings {
  timesMs: Float64Array;
  /** Key ids (source rows 1..K), OP_READ / OP_WRITE; at least as long as `timesMs`. */
  key: Int32Array;
  op: Uint8Array;
  /** A write: updates the source row and applies the invalidation strategy. */
  write(id: number): Promise<void>;
}

export interface ReadRunSettings {
  service: CacheAsideService;
  source: Source;
  /** Where reads' keys come from; unused with `replay`. */
  sampler?: KeySampler;
  /** Replay a trace: the requests and their times come from it (`load` and `writer` are not used). */
  replay?: ReplaySettings;
  /** Open or closed loop of sampled reads; unused with `replay`. */
  load?: LoadShape;
  window: LoadWindow;
  rng: Rng;
  writer?: WriterSettings;
  /** Called for every measured hit, after its latency was recorded. */
  onMeasuredHit?(id: number, result: ReadResult): void;
  /** Also count the window's source reads by the database itself (Source.serverReads): ttl-sweep does. */
  crossCheckSource?: boolean;
  /** Redis's own hit and miss counts (INFO stats); the lab provides it. */
  serverCounts?(): Promise<KeyspaceCounts | null>;
  /** INFO memory and stats, read at the window's start and end; the lab provides it. */
  serverMemory?(): Promise<MemoryStats | null>;
  /** Keys under a prefix (SCAN), for the row's resident keys; the lab provides it. */
  countKeys?(prefix: string): Promise<number | null>;
  onProgress?(fraction: number): void;
  signal?: AbortSignal;
}

/** What memory did to a row: Redis's limit, its policy, what it evicted, what stayed. */
export interface RowMemory {
  /** INFO stats evicted_keys, difference over the measured window (the whole server's). */
  evictedKeys: number;
  /** INFO memory used_memory at the window's end. */
  usedMemoryBytes: number;
  /** INFO memory maxmemory; 0 means no limit. */
  maxmemoryBytes: number;
  maxmemoryPolicy: string;
  /** The row's cache entries present at the window's end, counted with SCAN under its key prefix. */
  residentKeys: number | null;
}

export interface ReadRunResult {
  /** Latency from the intended send time (open loop): what a user of the service sees. */
  all: Histogram;
  /** Latency from the actual send: Redis's and the source's time, without the harness's lateness. */
  service: Histogram;
  /** By outcome; then, from the actual send, the reads the source served (misses, uncached): its time without the harness's lateness. */
  byOutcome: Record<ReadOutcome, Histogram>;
  sourceServed: Histogram;
  counts: Record<ReadOutcome, number>;
  reads: number;
  /** Client-side hits over reads that asked Redis (hits, misses, fallbacks); null when none did (TTL 0). */
  hitRatio: number | null;
  serverHitRatio: number | null;
  /** Source queries during the measured window, per second (misses, uncached reads and fallbacks), and their count. */
  sourceReadsPerSec: number;
  sourceReads: number;
  /** The same, counted by the database (crossCheckSource on a MySQL/MariaDB or PostgreSQL source); else null. */
  serverSourceReadsPerSec: number | null;
  writes: number;
  driver: DriverReport;
  /** The cache layer's counts over the measured window. */
  cache: CacheCounters;
  /**
   * Δ: the mean time of the loads that refilled a missing key (pool wait +
   * delay + query + SET): how long the key stays missing; null when none did.
   */
  loadMs: number | null;
  /** δ: mean time from a stored load's query to its SET completing; null when nothing was stored. */
  raceMs: number | null;
  harness: HarnessReport;
  /** The achieved rate of each load worker thread (`--workers`); absent when the row ran in this thread. */
  perWorker?: number[];
  /** Null when INFO could not be read (or the lab does not provide it). */
  memory: RowMemory | null;
}

export const OUTCOMES: readonly ReadOutcome[] = ['hit', 'miss', 'uncached', 'fallback'];

/** The row's latencies and outcomes, counted for measured reads only. */
class RowRecorder {
  readonly all = newLatencyHistogram();
  readonly service = newLatencyHistogram();
  readonly byOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, newLatencyHistogram()])) as Record<
    ReadOutcome,
    Histogram
  >;
  readonly sourceServed = newLatencyHistogram();
  readonly counts: Record<ReadOutcome, number> = { hit: 0, miss: 0, uncached: 0, fallback: 0 };

  record(outcome: ReadOutcome, latencyMs: number, serviceMs: number): void {
    recordMs(this.all, latencyMs);
    recordMs(this.service, serviceMs);
    if (outcome === 'miss' || outcome === 'uncached') recordMs(this.sourceServed, serviceMs);
    recordMs(this.byOutcome[outcome], latencyMs);
    this.counts[outcome]++;
  }

  get reads(): number {
    const c = this.counts;
    return c.hit + c.miss + c.uncached + c.fallback;
  }

  /** Client-side hits over reads that asked Redis; a fallback asked and did not get a hit. */
  get hitRatio(): number | null {
    const c = this.counts;
    const cacheReads = c.hit + c.miss + c.fallback;
    return cacheReads > 0 ? c.hit / cacheReads : null;
  }
}

/** Counters read when the measured window opens, to take differences at its end. */
interface WindowStart {
  cache: CacheCounters;
  sourceReads: number;
  sourceWrites: number;
  server: KeyspaceCounts | null;
  memory: MemoryStats | null;
  /** The database's count of statements, and the source's settled reads at the same moment. */
  serverSource: { server: number; client: number } | null;
}

/** The counters as the measured window opens (`measured`), or placeholders before the loop starts. */
async function openWindow(settings: ReadRunSettings, measured: boolean): Promise<WindowStart> {
  const { service, source } = settings;
  const start: WindowStart = {
    cache: { ...service.counters },
    sourceReads: measured ? source.reads : 0,
    sourceWrites: measured ? source.writes : 0,
    server: null,
    memory: null,
    serverSource: null,
  };
  if (!measured) return start;
  start.server = (await settings.serverCounts?.()) ?? null;
  start.memory = (await settings.serverMemory?.()) ?? null;
  if (settings.crossCheckSource) {
    start.serverSource = await source.serverReads();
    // The window's reads are then those the database ran after this moment, on both sides.
    if (start.serverSource) start.sourceReads = start.serverSource.client;
  }
  return start;
}

export async function runReads(settings: ReadRunSettings): Promise<ReadRunResult> {
  const { service, source } = settings;
  const row = new RowRecorder();
  const probe = new HarnessProbe(source);
  let start = await openWindow(settings, false);
  const driver = await offerLoad(settings, {
    signal: settings.signal,
    onProgress: settings.onProgress,
    async onMeasureStart() {
      start = await openWindow(settings, true);
      probe.start();
    },
    send: sendFor(settings),
    onSent: (latenessMs: number) => probe.sent(latenessMs),
    done(sent: SentRead | null, latencyMs: number, serviceMs: number, measured: boolean) {
      // A trace's write is part of the load, not a read to count.
      if (!measured || sent === null) return;
      const { id, result } = sent;
      row.record(result.outcome, latencyMs, serviceMs);
      if (result.outcome === 'hit') settings.onMeasuredHit?.(id, result);
    },
  });
  const harness = probe.finish({
    measured: driver.measuredRequests,
    veryLate: driver.veryLateSends,
    open: driver.mode === 'open',
  });
  if (driver.errors > 0 && row.all.totalCount === 0) {
    throw new SourceError(`every measured read failed (${driver.errors} errors): the source is unusable`);
  }
  const serverAfter = (await settings.serverCounts?.()) ?? null;
  const memory = await rowMemory(settings, start.memory);
  const sourceAfter = start.serverSource ? await source.serverReads() : null;
  const cache = countersSince(service.counters, start.cache);
  const perSec = (count: number) => count / (driver.measuredWindowMs / 1000);
  return {
    all: row.all,
    service: row.service,
    byOutcome: row.byOutcome,
    sourceServed: row.sourceServed,
    counts: row.counts,
    reads: row.reads,
    hitRatio: row.hitRatio,
    serverHitRatio: windowHitRatio(start.server, serverAfter),
    sourceReadsPerSec: perSec(source.reads - start.sourceReads),
    sourceReads: source.reads - start.sourceReads,
    serverSourceReadsPerSec:
      start.serverSource && sourceAfter ? perSec(sourceAfter.server - start.serverSource.server) : null,
    writes: source.writes - start.sourceWrites,
    driver,
    cache,
    loadMs: cache.refills > 0 ? cache.refillMs / cache.refills : null,
    raceMs: cache.stores > 0 ? cache.raceWindowMs / cache.stores : null,
    harness,
    memory,
  };
}

/** The row's memory figures at the window's end, evictions as the difference from its start. */
async function rowMemory(settings: ReadRunSettings, before: MemoryStats | null): Promise<RowMemory | null> {
  const after = (await settings.serverMemory?.()) ?? null;
  if (!before || !after) return null;
  const residentKeys = (await settings.countKeys?.(settings.service.keyPrefix)) ?? null;
  return {
    // A restart mid-window resets the counter: then nothing is known of the window's evictions.
    evictedKeys: Math.max(0, after.evictedKeys - before.evictedKeys),
    usedMemoryBytes: after.usedMemoryBytes,
    maxmemoryBytes: after.maxmemoryBytes,
    maxmemoryPolicy: after.maxmemoryPolicy,
    residentKeys,
  };
}

interface SentRead {
  id: number;
  result: ReadResult;
}

/** Request `index`: the trace's (a read, or a write resolving to null), else a read of a sampled key. */
function sendFor(settings: ReadRunSettings): (index: number) => Promise<SentRead | null> {
  const { service, sampler, replay } = settings;
  if (replay !== undefined) {
    const { key, op } = replay;
    return (index) => {
      const id = key[index] as number;
      if (op[index] === OP_WRITE) return replay.write(id).then(() => null);
      return service.get(id).then((result) => ({ id, result }));
    };
  }
  if (sampler === undefined) throw new Error('a read run needs a key sampler or a replay');
  // Ids are drawn in send order, so the request sequence depends on the seed only.
  return () => {
    const id = sampler.next();
    return service.get(id).then((result) => ({ id, result }));
  };
}

/** The readers' loop (open or closed) and, beside it, the writers' open loop; or a trace's one loop. */
async function offerLoad<T>(settings: ReadRunSettings, hooks: RequestHooks<T>): Promise<DriverReport> {
  if (settings.replay !== undefined) return runReplay(settings.replay.timesMs, settings.window, hooks);
  const writer = settings.writer;
  const writing = writer
    ? runOpenLoop(writer.rate, settings.window, settings.rng.fork('writer'), {
        signal: settings.signal,
        send: () => writer.write(writer.sampler.next()),
        done() {},
      })
    : undefined;
  const load = settings.load;
  if (load === undefined) throw new Error('a read run needs a load shape or a replay');
  const driver =
    'rate' in load
      ? await runOpenLoop(load.rate, settings.window, settings.rng.fork('reader'), hooks)
      : await runClosedLoop(load.concurrency, settings.window, hooks);
  await writing;
  return driver;
}
