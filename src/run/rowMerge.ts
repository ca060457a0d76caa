/**
 * One row from its load workers' parts: HDR histograms added (exact, as if
 * one process had recorded every read), counts and rates summed, ratios
 * recomputed from the summed counts, the harness's own figures per worker
 * folded into the worst (lateness, pool waits, CPU) or the sum (pool size).
 */
import { type CacheCounters, newCacheCounters } from '../cache/counters.ts';
import type { DriverReport } from '../load/drivers.ts';
import { mergeHarnessReports } from '../metrics/harness.ts';
import { decodeHistogram, type Histogram, newLatencyHistogram } from '../metrics/latencyHistogram.ts';
import { windowHitRatio } from '../redis/serverStats.ts';
import { OUTCOMES, type ReadRunResult } from '../suites/readRun.ts';
import type { WorkerRow } from './loadWorkers.ts';

export function mergeWorkerRow(row: WorkerRow): ReadRunResult {
  const parts = row.results;
  const counts = { hit: 0, miss: 0, uncached: 0, fallback: 0 };
  for (const p of parts) for (const o of OUTCOMES) counts[o] += p.counts[o];
  const cacheReads = counts.hit + counts.miss + counts.fallback;
  const cache = sumCounters(parts.map((p) => p.cache));
  return {
    all: addAll(parts.map((p) => p.all)),
    service: addAll(parts.map((p) => p.service)),
    byOutcome: Object.fromEntries(
      OUTCOMES.map((o) => [o, addAll(parts.map((p) => p.byOutcome[o]))]),
    ) as ReadRunResult['byOutcome'],
    sourceServed: addAll(parts.map((p) => p.sourceServed)),
    counts,
    reads: counts.hit + counts.miss + counts.uncached + counts.fallback,
    hitRatio: cacheReads > 0 ? counts.hit / cacheReads : null,
    serverHitRatio: windowHitRatio(row.serverBefore, row.serverAfter),
    sourceReadsPerSec: parts.reduce((sum, p) => sum + p.sourceReadsPerSec, 0),
    sourceReads: parts.reduce((sum, p) => sum + p.sourceReads, 0),
    // Each worker reads its own in-memory SQLite, which counts nothing of its own; INFO memory is not read per worker.
    serverSourceReadsPerSec: null,
    memory: null,
    writes: 0,
    driver: mergeDrivers(parts.map((p) => p.driver)),
    cache,
    loadMs: cache.refills > 0 ? cache.refillMs / cache.refills : null,
    raceMs: cache.stores > 0 ? cache.raceWindowMs / cache.stores : null,
    harness: mergeHarnessReports(
      parts.map((p) => p.harness),
      'worker',
    ),
    perWorker: parts.map((p) => p.driver.achievedRate),
  };
}

export function sumCounters(all: readonly CacheCounters[]): CacheCounters {
  const sum = newCacheCounters();
  for (const c of all) for (const key of Object.keys(sum) as (keyof CacheCounters)[]) sum[key] += c[key];
  return sum;
}

function addAll(encoded: readonly string[]): Histogram {
  const merged = newLatencyHistogram();
  for (const text of encoded) merged.add(decodeHistogram(text));
  return merged;
}

function mergeDrivers(drivers: readonly DriverReport[]): DriverReport {
  const sum = (pick: (d: DriverReport) => number) => drivers.reduce((total, d) => total + pick(d), 0);
  const first = drivers[0] as DriverReport;
  return {
    mode: first.mode,
    targetRate: first.targetRate === null ? null : sum((d) => d.targetRate ?? 0),
    measuredRequests: sum((d) => d.measuredRequests),
    achievedRate: sum((d) => d.achievedRate),
    lateSends: sum((d) => d.lateSends),
    veryLateSends: sum((d) => d.veryLateSends),
    errors: sum((d) => d.errors),
    measuredWindowMs: Math.max(...drivers.map((d) => d.measuredWindowMs)),
  };
}
