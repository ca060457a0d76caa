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
import { HarnessProbe, type HarnessReport } from '../metrics/harness.ts';
import { type Histogram, newLatencyHistogram, recordMs } from '../metrics/latencyHistogram.ts';
import type { KeyspaceCounts } from '../redis/serverStats.ts';
import { windowHitRatio } from '../redis/serverStats.ts';
import type { Source } from '../source/source.ts';
import type { KeySampler } from '../workload/keySampler.ts';
import type { Rng } from '../workload/rng.ts';

export type LoadShape = { rate: number } | { concurrency: number };

export interface WriterSettings {
  rate: number;
  sampler: KeySampler;
  /** Updates the source row and applies the invalidation strategy. */
  write(id: number): Promise<void>;
}

export interface ReadRunSettings {
  service: CacheAsideService;
  source: Source;
  sampler: KeySampler;
  load: LoadShape;
  window: LoadWindow;
  rng: Rng;
  writer?: WriterSettings;
  /** Called for every measured hit, after its latency was recorded. */
  onMeasuredHit?(id: number, result: ReadResult): void;
  /** Redis's own hit and miss counts (INFO stats); the lab provides it. */
  serverCounts?(): Promise<KeyspaceCounts | null>;
  onProgress?(fraction: number): void;
  signal?: AbortSignal;
}

export interface ReadRunResult {
  /** Latency from the intended send time (open loop): what a user of the service sees. */
  all: Histogram;
  /** Latency from the actual send: Redis's and the source's time, without the harness's lateness. */
  service: Histogram;
  byOutcome: Record<ReadOutcome, Histogram>;
  counts: Record<ReadOutcome, number>;
  reads: number;
  /** Client-side hits over reads that asked Redis (hits, misses, fallbacks); null when none did (TTL 0). */
  hitRatio: number | null;
  serverHitRatio: number | null;
  /** Source queries during the measured window, per second (misses, uncached reads and fallbacks). */
  sourceReadsPerSec: number;
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
  readonly counts: Record<ReadOutcome, number> = { hit: 0, miss: 0, uncached: 0, fallback: 0 };

  record(outcome: ReadOutcome, latencyMs: number, serviceMs: number): void {
    recordMs(this.all, latencyMs);
    recordMs(this.service, serviceMs);
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
}

export async function runReads(settings: ReadRunSettings): Promise<ReadRunResult> {
  const { service, source, sampler } = settings;
  const row = new RowRecorder();
  const probe = new HarnessProbe(source);
  let start: WindowStart = { cache: { ...service.counters }, sourceReads: 0, sourceWrites: 0, server: null };
  const driver = await offerLoad(settings, {
    signal: settings.signal,
    onProgress: settings.onProgress,
    async onMeasureStart() {
      start = { cache: { ...service.counters }, sourceReads: source.reads, sourceWrites: source.writes, server: null };
      start.server = (await settings.serverCounts?.()) ?? null;
      probe.start();
    },
    send() {
      // Ids are drawn in send order, so the request sequence depends on the seed only.
      const id = sampler.next();
      return service.get(id).then((result) => ({ id, result }));
    },
    onSent: (latenessMs: number) => probe.sent(latenessMs),
    done({ id, result }: { id: number; result: ReadResult }, latencyMs: number, serviceMs: number, measured: boolean) {
      if (!measured) return;
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
  const cache = countersSince(service.counters, start.cache);
  return {
    all: row.all,
    service: row.service,
    byOutcome: row.byOutcome,
    counts: row.counts,
    reads: row.reads,
    hitRatio: row.hitRatio,
    serverHitRatio: windowHitRatio(start.server, serverAfter),
    sourceReadsPerSec: (source.reads - start.sourceReads) / (driver.measuredWindowMs / 1000),
    writes: source.writes - start.sourceWrites,
    driver,
    cache,
    loadMs: cache.refills > 0 ? cache.refillMs / cache.refills : null,
    raceMs: cache.stores > 0 ? cache.raceWindowMs / cache.stores : null,
    harness,
  };
}

/** The readers' loop (open or closed) and, beside it, the writers' open loop. */
async function offerLoad<T>(settings: ReadRunSettings, hooks: RequestHooks<T>): Promise<DriverReport> {
  const writer = settings.writer;
  const writing = writer
    ? runOpenLoop(writer.rate, settings.window, settings.rng.fork('writer'), {
        signal: settings.signal,
        send: () => writer.write(writer.sampler.next()),
        done() {},
      })
    : undefined;
  const driver =
    'rate' in settings.load
      ? await runOpenLoop(settings.load.rate, settings.window, settings.rng.fork('reader'), hooks)
      : await runClosedLoop(settings.load.concurrency, settings.window, hooks);
  await writing;
  return driver;
}
