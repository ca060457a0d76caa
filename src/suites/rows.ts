/** Rules the suites share: how long rows warm up and measure, and how a row's harness figures read. */
import type { Settings, SuiteOptionKey } from '../config/options.ts';
import type { TtlMs } from '../config/types.ts';
import { summarize } from '../metrics/latencyHistogram.ts';
import type { Rng } from '../workload/rng.ts';
import { inRunOrder, type ServiceSpec, type SuiteContext } from './context.ts';
import type { ReadRunResult } from './readRun.ts';

/**
 * The warm-up of every row of a suite when `--warmup` is not given: the
 * longest finite TTL of the suite, at least 500 ms, so that all rows are
 * compared on equal terms — each has reached its steady state, and the no-
 * expiry row has filled as long as the slowest finite one.
 */
export function suiteWarmupMs(ttls: readonly TtlMs[]): number {
  const finite = ttls.filter((ttl): ttl is number => ttl !== null && ttl > 0);
  return Math.max(500, ...finite);
}

/**
 * `derive` for suites with a TTL list: the warm-up as long as the longest
 * finite TTL. With a trace, the trace is the workload: no warm-up and the
 * whole trace unless given, and the synthetic workload's defaults dropped
 * (a `--rate` stays only for `--trace-timing rate`).
 */
export function deriveWarmup(settings: Settings): Partial<Settings> {
  if (settings.trace !== undefined) {
    return {
      warmupMs: 0,
      durationMs: undefined,
      keys: undefined,
      hotKeys: undefined,
      dist: undefined,
      writeRate: undefined,
      ...(settings.traceTiming === 'rate' ? {} : { rate: undefined }),
    };
  }
  return { warmupMs: suiteWarmupMs(settings.ttl ?? []) };
}

/**
 * The measured window of a row: at least `durationMs`, rounded up to whole
 * TTLs. Hot keys expire almost in step (every T plus a few ms), so a window
 * that ends mid-cycle over- or under-counts their misses and their stale
 * hits; whole cycles keep the measurement comparable with the steady-state
 * model.
 */
export function rowDurationMs(durationMs: number, ttlMs: TtlMs): number {
  if (ttlMs === null || ttlMs === 0 || ttlMs > durationMs) return durationMs;
  return Math.ceil(durationMs / ttlMs - 1e-9) * ttlMs;
}

/** The load a row offered and how the driver kept up: part of every row of a snapshot. */
export function loadReport(run: ReadRunResult) {
  const d = run.driver;
  return {
    mode: d.mode,
    targetRate: d.targetRate,
    achievedRate: d.achievedRate,
    lateSends: d.lateSends,
    veryLateSends: d.veryLateSends,
    errors: d.errors,
    /** Threads that offered the load, and the rate each achieved (`--workers`). */
    workers: run.perWorker?.length ?? 1,
    perWorkerRates: run.perWorker ?? [d.achievedRate],
  };
}

/** The options every measured-row suite honours: the load it offers, the window, the source. */
export const ROW_OPTIONS = [
  'trace',
  'traceFormat',
  'traceTiming',
  'traceWindow',
  'traceLimit',
  'rate',
  'concurrency',
  'durationMs',
  'warmupMs',
  'sourceLatency',
  'sourcePool',
  'ttlJitterPct',
] as const satisfies readonly SuiteOptionKey[];

/**
 * A measured row's source and cache-aside service: the source behind the
 * suite's latency and pool, the service under the row's own key prefix with
 * the suite's TTL refresh and jitter, each on its own fork of the row's rng.
 */
export function rowService(
  ctx: SuiteContext,
  row: { suite: string; index: number; ttlMs: TtlMs; rng: Rng },
  extra: Pick<ServiceSpec, 'stampede'> = {},
) {
  const { settings, lab } = ctx;
  const source = lab.source(settings, row.rng.fork('source'));
  const service = lab.newService({
    source,
    keyPrefix: rowKeyPrefix(ctx, row.suite, row.index),
    ttlMs: row.ttlMs,
    slidingTtl: settings.slidingTtl,
    ttlJitterPct: settings.ttlJitterPct,
    rng: row.rng.fork('jitter'),
    ...extra,
  });
  return { source, service };
}

/** Where a row's keys live: the run prefix, the suite and the row, so rows never share a key. */
export function rowKeyPrefix(ctx: SuiteContext, suite: string, index: number): string {
  return `${ctx.lab.prefix}${suite}:${index}:`;
}

/**
 * Measures a suite's rows in this pass's order (`inRunOrder`) and returns
 * them in the plan's order, stopping when the run is stopped. `index` is the
 * row's place in the plan, which names its keys and its random stream.
 */
export async function measureRows<P, R>(
  ctx: SuiteContext,
  plan: readonly P[],
  measure: (item: P, index: number) => Promise<R>,
): Promise<R[]> {
  const done: (R | undefined)[] = new Array(plan.length);
  for (const index of inRunOrder(
    ctx,
    plan.map((_, i) => i),
  )) {
    if (ctx.signal.aborted) break;
    done[index] = await measure(plan[index] as P, index);
  }
  return done.filter((row): row is R => row !== undefined);
}

/**
 * The counts behind a row's hit ratio: hits out of the reads that asked
 * Redis. With them `compare` can give a single run's hit ratio its exact
 * binomial interval.
 */
export function hitCounts(run: ReadRunResult): { hits: number; cacheReads: number } {
  const c = run.counts;
  return { hits: c.hit, cacheReads: c.hit + c.miss + c.fallback };
}

/**
 * What Redis's memory did to a row, part of every measured row of a
 * snapshot. `capacityBound` (Redis evicted during the window) is what marks a
 * row whose hit ratio memory, not the TTL, limited; the other figures are
 * INFO memory/stats (null where INFO could not be read) and the row's keys
 * present at the window's end.
 */
export interface MemoryFields {
  capacityBound: boolean;
  evictedKeys: number | null;
  usedMemoryBytes: number | null;
  maxmemoryBytes: number | null;
  maxmemoryPolicy: string | null;
  residentKeys: number | null;
}

export function memoryFields(run: ReadRunResult): MemoryFields {
  const m = run.memory;
  return {
    capacityBound: (m?.evictedKeys ?? 0) > 0,
    evictedKeys: m?.evictedKeys ?? null,
    usedMemoryBytes: m?.usedMemoryBytes ?? null,
    maxmemoryBytes: m?.maxmemoryBytes ?? null,
    maxmemoryPolicy: m?.maxmemoryPolicy ?? null,
    residentKeys: m?.residentKeys ?? null,
  };
}

/**
 * A row's source figures: reads/s with the count and window behind it (the
 * database's own count beside it), Δ (mean load time), and the median time
 * of the reads the source served (misses; every read at TTL 0), from their
 * actual send: the source's time without the harness's lateness, and a
 * median, so a stall of the machine that moves the mean and the p99 hardly
 * moves it.
 */
export function sourceFigures(run: ReadRunResult) {
  return {
    sourceReadsPerSec: run.sourceReadsPerSec,
    sourceReads: run.sourceReads,
    windowMs: run.driver.measuredWindowMs,
    serverSourceReadsPerSec: run.serverSourceReadsPerSec,
    loadMs: run.loadMs,
    sourceP50Ms: run.sourceServed.totalCount > 0 ? summarize(run.sourceServed).p50Ms : null,
  };
}
