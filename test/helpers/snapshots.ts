/** Snapshots for the report tests, valid per src/types.ts. */
import type { Snapshot, TtlSweepRow } from '../../src/types.ts';

/** A valid snapshot with one row per suite; `edit` tweaks a deep copy. */
export function buildSnapshot(edit: (s: Snapshot) => void = () => {}): Snapshot {
  const sweepRow = (ttlMs: number | null, hitRatio: number | null): TtlSweepRow => ({
    ttlMs,
    productionTtlMs: ttlMs,
    reads: 10_000,
    hitRatio,
    predictedHitRatio: hitRatio,
    serverHitRatio: hitRatio,
    p50Ms: 0.2,
    p95Ms: 0.5,
    p99Ms: 1,
    p999Ms: 2,
    maxMs: 3,
    readsPerSec: 1000,
    sourceReadsPerSec: 100,
    predictedSourceReadsPerSec: 100,
    load: { mode: 'open', targetRate: 1000, achievedRate: 1000, lateSends: 0, errors: 0 },
    redisErrors: 0,
    histogram: 'HISTFAKE',
  });
  const snapshot: Snapshot = {
    schemaVersion: 1,
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
    },
    config: { scenario: 'default', keys: 10_000, seed: 1, out: 'results' },
    errors: { redis: 0, source: 0 },
    suites: {
      'read-path': {
        concurrency: 1,
        rows: [{ name: 'cache-hit', meanMs: 0.2, p50Ms: 0.2, p99Ms: 0.5, opsPerSec: 5000, samples: 1000 }],
        breakEvenSourceLatencyMs: 0.3,
        breakEvenHitRatio: 0.9,
        breakEvenHitRatioFrom: 'measured',
        hitPathVsRawGet: 0.9,
        hitPathVsRawGetRounds: [0.9],
      },
      'ttl-sweep': { rows: [sweepRow(0, null), sweepRow(2000, 0.9), sweepRow(null, 0.95)] },
      freshness: {
        rows: [
          {
            invalidation: 'delete',
            ttlMs: 2000,
            reads: 1000,
            writes: 10,
            hitRatio: 0.9,
            predictedHitRatio: 0.9,
            staleReadRatio: 0.01,
            predictedStaleReadRatio: 0.01,
            racedStaleReads: 0,
            maxStaleAgeMs: 5,
            p99Ms: 1,
          },
        ],
      },
      stampede: {
        rows: [
          {
            strategy: 'lock',
            ttlMs: 500,
            expiries: 10,
            loads: 10,
            loadsPerExpiry: 1,
            predictedLoadsPerExpiry: 1,
            hitRatio: 0.99,
            p99Ms: 2,
          },
        ],
      },
    },
    suitesRun: ['read-path', 'ttl-sweep', 'freshness', 'stampede'],
  };
  const copy = structuredClone(snapshot);
  edit(copy);
  return copy;
}
