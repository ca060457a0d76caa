/**
 * One measured row: reads drawn from a key distribution, offered open loop
 * (Poisson) or closed loop, optionally with writers updating the source at the
 * same time, timed into HDR histograms per outcome. Everything the harness
 * checks about a read (staleness) happens after its latency is taken.
 */
import type { CacheAsideService, ReadOutcome, ReadResult } from '../cache/cacheAside.ts';
import { SourceError } from '../errors.ts';
import { type DriverReport, type LoadWindow, runClosedLoop, runOpenLoop } from '../load/drivers.ts';
import { type Histogram, newLatencyHistogram, recordMs } from '../metrics/latencyHistogram.ts';
import type { RedisClient } from '../redis/connection.ts';
import { readKeyspaceCounts, windowHitRatio } from '../redis/serverStats.ts';
import type { SqliteSource } from '../source/sqliteSource.ts';
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
  source: SqliteSource;
  redis: RedisClient;
  sampler: KeySampler;
  load: LoadShape;
  window: LoadWindow;
  rng: Rng;
  writer?: WriterSettings;
  /** Called for every measured hit, after its latency was recorded. */
  onMeasuredHit?(id: number, result: ReadResult): void;
  /** Called when the measured window opens, e.g. to snapshot counters. */
  onWindowStart?(): void;
  onProgress?(fraction: number): void;
  signal?: AbortSignal;
  /** Run-wide counters: failed reads are added to `source`. */
  errors?: { source: number };
}

export interface ReadRunResult {
  all: Histogram;
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
  redisErrors: number;
}

export async function runReads(settings: ReadRunSettings): Promise<ReadRunResult> {
  const { service, source, sampler } = settings;
  const all = newLatencyHistogram();
  const byOutcome = {
    hit: newLatencyHistogram(),
    miss: newLatencyHistogram(),
    uncached: newLatencyHistogram(),
    fallback: newLatencyHistogram(),
  };
  const counts = { hit: 0, miss: 0, uncached: 0, fallback: 0 };
  let serverBefore: Awaited<ReturnType<typeof readKeyspaceCounts>> = null;
  let sourceReadsBefore = 0;
  let writesBefore = 0;
  let errorsBefore = 0;

  const hooks = {
    signal: settings.signal,
    onProgress: settings.onProgress,
    async onMeasureStart() {
      sourceReadsBefore = source.reads;
      writesBefore = source.writes;
      errorsBefore = service.counters.redisErrors;
      settings.onWindowStart?.();
      serverBefore = await readKeyspaceCounts(settings.redis);
    },
    send() {
      // Ids are drawn in send order, so the request sequence depends on the seed only.
      const id = sampler.next();
      return service.get(id).then((result) => ({ id, result }));
    },
    done({ id, result }: { id: number; result: ReadResult }, latencyMs: number, measured: boolean) {
      if (!measured) return;
      recordMs(all, latencyMs);
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
  await writing;
  if (settings.errors) settings.errors.source += driver.errors;
  if (driver.errors > 0 && all.totalCount === 0) {
    throw new SourceError(`every measured read failed (${driver.errors} errors): the source is unusable`);
  }
  const serverAfter = await readKeyspaceCounts(settings.redis);
  // A fallback asked Redis and did not get a hit, so it counts against the hit ratio.
  const cacheReads = counts.hit + counts.miss + counts.fallback;
  return {
    all,
    byOutcome,
    counts,
    reads: counts.hit + counts.miss + counts.uncached + counts.fallback,
    hitRatio: cacheReads > 0 ? counts.hit / cacheReads : null,
    serverHitRatio: windowHitRatio(serverBefore, serverAfter),
    sourceReadsPerSec: (source.reads - sourceReadsBefore) / (driver.measuredWindowMs / 1000),
    writes: source.writes - writesBefore,
    driver,
    redisErrors: service.counters.redisErrors - errorsBefore,
  };
}
