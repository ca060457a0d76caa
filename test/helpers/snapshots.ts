/** Snapshots for the report tests, valid per src/report/snapshotFormat.ts (schemaVersion 2). */
import type { Snapshot } from '../../src/report/snapshotFormat.ts';
import type { TtlSweepRow } from '../../src/suites/ttlSweep.ts';

const harness = {
  cpuCores: 0.1,
  lateness: { p50Ms: 0.1, p99Ms: 0.5, maxMs: 1 },
  sourceDelay: { requestedMs: 1, p50Ms: 1, p99Ms: 1.1 },
  pool: { size: 10, waitP99Ms: 0, maxQueue: 0 },
  bottleneck: null,
};

/** A valid snapshot with one row per suite; `edit` tweaks a deep copy. */
export function buildSnapshot(edit: (s: Snapshot) => void = () => {}): Snapshot {
  const sweepRow = (ttlMs: number | null, hitRatio: number | null): TtlSweepRow => ({
    ttlMs,
    productionTtlMs: ttlMs,
    reads: 10_000,
    hits: hitRatio === null ? 0 : Math.round(hitRatio * 10_000),
    cacheReads: hitRatio === null ? 0 : 10_000,
    counts: {
      hit: Math.round((hitRatio ?? 0) * 10_000),
      miss: 10_000 - Math.round((hitRatio ?? 0) * 10_000),
      uncached: 0,
      fallback: 0,
    },
    hitRatio,
    predictedHitRatio: hitRatio,
    predictionBasis: 'ttl',
    serverHitRatio: hitRatio,
    p50Ms: 0.2,
    p95Ms: 0.5,
    p99Ms: 1,
    p999Ms: 2,
    maxMs: 3,
    service: { p50Ms: 0.2, p99Ms: 0.9 },
    readsPerSec: 1000,
    sourceReadsPerSec: 100,
    sourceReads: 1000,
    windowMs: 10_000,
    serverSourceReadsPerSec: null,
    predictedSourceReadsPerSec: 100,
    loadMs: 1.2,
    sourceP50Ms: 1.1,
    load: {
      mode: 'open',
      targetRate: 1000,
      achievedRate: 1000,
      lateSends: 0,
      veryLateSends: 0,
      errors: 0,
      workers: 1,
      perWorkerRates: [1000],
    },
    redisErrors: 0,
    harness,
    histogram: 'HISTFAKE',
    serviceHistogram: 'HISTFAKE',
    capacityBound: false,
    evictedKeys: 0,
    usedMemoryBytes: 1_000_000,
    maxmemoryBytes: 0,
    maxmemoryPolicy: 'noeviction',
    residentKeys: 1000,
  });
  const snapshot: Snapshot = {
    schemaVersion: 2,
    createdAt: '2026-11-25T19:06:41.123Z',
    status: 'complete',
    durationSec: 60,
    env: {
      node: 'v20.0.0',
      redis: { version: '7.2.0', mode: 'standalone' },
      source: { kind: 'sqlite', version: '3.45.0' },
      cpu: 'test cpu',
      cores: 2,
      os: 'linux',
      gitCommit: null,
      timer: 'thread',
    },
    config: { scenario: 'default', scenarioDescription: 'test', redis: 'redis://127.0.0.1:6379', seed: 1, speedup: 1 },
    errors: { redis: 0, source: 0, connection: 0 },
    suites: {
      'read-path': {
        settings: { keys: 10_000, sourceLatency: { kind: 'fixed', ms: 1 } },
        concurrency: 1,
        rows: [{ name: 'cache-hit', meanMs: 0.2, p50Ms: 0.2, p99Ms: 0.5, opsPerSec: 5000, samples: 1000 }],
        breakEvenSourceLatencyMs: 0.3,
        breakEvenHitRatio: 0.9,
        breakEvenHitRatioFrom: 'measured',
        hitPathVsRawGet: 0.9,
        hitPathVsRawGetRounds: [0.9],
      },
      'ttl-sweep': {
        settings: { keys: 10_000, ttl: [0, 2000, null], rate: 1000 },
        rows: [sweepRow(0, null), sweepRow(2000, 0.9), sweepRow(null, 0.95)] as object[],
      },
      freshness: {
        settings: { keys: 10_000, ttl: [2000], invalidation: ['delete'], writeRate: 10 },
        rows: [
          {
            invalidation: 'delete',
            ttlMs: 2000,
            reads: 1000,
            writes: 10,
            hitRatio: 0.9,
            predictedHitRatio: 0.9,
            staleReads: 10,
            staleReadRatio: 0.01,
            predictedStaleReadRatio: 0.01,
            racedStaleReads: 0,
            maxStaleAgeMs: 5,
            p99Ms: 1,
            loadMs: 1.2,
            raceMs: 0.7,
            harness,
          },
        ],
      },
      stampede: {
        settings: { hotKeys: 4, ttl: [500], stampede: [{ kind: 'lock' }] },
        rows: [
          {
            strategy: 'lock',
            ttlMs: 500,
            hotKeys: 4,
            windowMs: 3000,
            lengthened: false,
            expiries: 10,
            loads: 10,
            loadsPerExpiry: 1,
            predictedLoadsPerExpiry: 1,
            lockWaits: 30,
            hitRatio: 0.99,
            p99Ms: 2,
            loadMs: 10.5,
            harness,
          },
        ],
      },
    },
    suitesRun: ['ttl-sweep', 'read-path', 'freshness', 'stampede'],
  };
  const copy = structuredClone(snapshot);
  edit(copy);
  return copy;
}
