/**
 * The snapshot users commit and diff (`schemaVersion: 1`, see the README).
 * Every number is finite; a figure that does not apply to a row is `null`.
 */
import type { SuiteName } from './config/types.ts';

export const SCHEMA_VERSION = 1;

export type RunStatus = 'complete' | 'degraded' | 'interrupted';

export interface LatencySummary {
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  samples: number;
}

export interface ReadPathRow {
  name: 'source' | 'cache-hit' | 'cache-miss' | 'redis-get';
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  opsPerSec: number;
  samples: number;
}

export interface ReadPathResult {
  /** In-flight requests per row; 1 means one at a time (latency), more means throughput. */
  concurrency: number;
  rows: ReadPathRow[];
  /** Source latency above which cache-aside beats a direct read at the measured hit ratio; null when the cache never wins. */
  breakEvenSourceLatencyMs: number | null;
  /** The hit ratio the break-even figure assumes: this run's best ttl-sweep row, else the model's at TTL 2 s. */
  breakEvenHitRatio: number;
  breakEvenHitRatioFrom: 'measured' | 'predicted';
  /** cache-hit ops/s over redis-get ops/s at the row concurrency: median of alternating slices in this run. */
  hitPathVsRawGet: number | null;
  /** The per-round ratios behind that median, to show how much the machine wandered. */
  hitPathVsRawGetRounds: number[];
}

/** How the load was offered and how well the driver kept up. */
export interface LoadReport {
  mode: 'open' | 'closed';
  targetRate: number | null;
  achievedRate: number;
  lateSends: number;
  errors: number;
}

export interface TtlSweepRow {
  ttlMs: number | null;
  /** The TTL in the scenario's production units (ttlMs × speedup). */
  productionTtlMs: number | null;
  reads: number;
  hitRatio: number | null;
  predictedHitRatio: number | null;
  serverHitRatio: number | null;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  readsPerSec: number;
  sourceReadsPerSec: number;
  predictedSourceReadsPerSec: number;
  load: LoadReport;
  redisErrors: number;
  /** Compressed, base64-encoded HDR histogram of read latency in microseconds. */
  histogram: string;
}

export interface FreshnessRow {
  invalidation: 'ttl' | 'delete' | 'write-through';
  ttlMs: number | null;
  reads: number;
  writes: number;
  hitRatio: number | null;
  predictedHitRatio: number | null;
  staleReadRatio: number | null;
  predictedStaleReadRatio: number | null;
  /** Stale reads served after a delete-on-write: the reader-writer race. */
  racedStaleReads: number;
  maxStaleAgeMs: number | null;
  p99Ms: number;
}

export interface StampedeRow {
  strategy: string;
  ttlMs: number | null;
  expiries: number;
  loads: number;
  loadsPerExpiry: number | null;
  predictedLoadsPerExpiry: number | null;
  hitRatio: number | null;
  p99Ms: number;
}

export interface SuiteResults {
  'read-path'?: ReadPathResult;
  'ttl-sweep'?: { rows: TtlSweepRow[]; advice?: string };
  freshness?: { rows: FreshnessRow[]; advice?: string };
  stampede?: { rows: StampedeRow[] };
}

export interface SnapshotEnv {
  node: string;
  redis: { version: string; mode: string };
  source: { kind: string; version: string };
  cpu: string;
  cores: number;
  os: string;
  gitCommit: string | null;
}

export interface Snapshot {
  schemaVersion: typeof SCHEMA_VERSION;
  createdAt: string;
  status: RunStatus;
  durationSec: number;
  env: SnapshotEnv;
  config: Record<string, unknown>;
  errors: { redis: number; source: number };
  suites: SuiteResults;
  suitesRun: SuiteName[];
}
