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
import { type DriverReport, type LoadWindow, runClosedLoop, runOpenLoop } from '../load/drivers.ts';
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
}

const OUTCOMES: readonly ReadOutcome[] = ['hit', 'miss', 'uncached', 'fallback'];

export async function runReads(settings: ReadRunSettings): Promise<ReadRunResult> {
  const { service, source, sampler } = settings;
  const all = newLatencyHistogram();
  const serviceTime = newLatencyHistogram();
  const byOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, newLatencyHistogram()])) as Record<
    ReadOutcome,
    Histogram
  >;
  const counts: Record<ReadOutcome, number> = { hit: 0, miss: 0, uncached: 0, fallback: 0 };
  const probe = new HarnessProbe(source);
  let serverBefore: KeyspaceCounts | null = null;
  let cacheBefore = { ...service.counters };
  let sourceBefore = { reads: 0, writes: 0 };

  const hooks = {
    signal: settings.signal,
    onProgress: settings.onProgress,
    async onMeasureStart() {
      sourceBefore = { reads: source.reads, writes: source.writes };
      cacheBefore = { ...service.counters };
      serverBefore = (await settings.serverCounts?.()) ?? null;
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
      recordMs(all, latencyMs);
      recordMs(serviceTime, serviceMs);
      recordMs(byOutcome[result.outcome], latencyMs);
      counts[result.outcome]++;
      if (result.outcome === 'hit') settings.onMeasuredHit?.(id, result);
    },
  };

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
  const harness = probe.finish({
    measured: driver.measuredRequests,
    veryLate: driver.veryLateSends,
    open: driver.mode === 'open',
  });
  await writing;
  if (driver.errors > 0 && all.totalCount === 0) {
    throw new SourceError(`every measured read failed (${driver.errors} errors): the source is unusable`);
  }
  const serverAfter = (await settings.serverCounts?.()) ?? null;
  const cache = countersSince(service.counters, cacheBefore);
  // A fallback asked Redis and did not get a hit, so it counts against the hit ratio.
  const cacheReads = counts.hit + counts.miss + counts.fallback;
  return {
    all,
    service: serviceTime,
    byOutcome,
    counts,
    reads: counts.hit + counts.miss + counts.uncached + counts.fallback,
    hitRatio: cacheReads > 0 ? counts.hit / cacheReads : null,
    serverHitRatio: windowHitRatio(serverBefore, serverAfter),
    sourceReadsPerSec: (source.reads - sourceBefore.reads) / (driver.measuredWindowMs / 1000),
    writes: source.writes - sourceBefore.writes,
    driver,
    cache,
    loadMs: cache.refills > 0 ? cache.refillMs / cache.refills : null,
    raceMs: cache.stores > 0 ? cache.raceWindowMs / cache.stores : null,
    harness,
  };
}
