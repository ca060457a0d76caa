/**
 * What a ttl-sweep row and section hold, and how a measured row becomes one:
 * shared by the synthetic rows (ttlSweep.ts) and the trace replay's
 * (ttlSweepReplay.ts).
 */
import type { ReadOutcome } from '../cache/cacheAside.ts';
import type { TtlMs } from '../config/types.ts';
import type { HarnessReport } from '../metrics/harness.ts';
import { encodeHistogram, summarize } from '../metrics/latencyHistogram.ts';
import type { Filling } from '../workload/model.ts';
import type { TraceProfile } from '../workload/trace/profile.ts';
import { required, type SuiteContext } from './context.ts';
import type { ReadRunResult } from './readRun.ts';
import type { PredictionBasis } from './rowPrediction.ts';
import { hitCounts, loadReport, type MemoryFields, sourceFigures } from './rows.ts';

export interface TtlSweepRow extends MemoryFields {
  ttlMs: TtlMs;
  /** The TTL in the scenario's production units (ttlMs × speedup). */
  productionTtlMs: TtlMs;
  reads: number;
  /** The counts behind `hitRatio`: hits out of the reads that asked Redis. */
  hits: number;
  cacheReads: number;
  /** Reads per outcome: what a merge of snapshots recomputes the hit ratio from. */
  counts: Record<ReadOutcome, number>;
  hitRatio: number | null;
  predictedHitRatio: number | null;
  predictionBasis: PredictionBasis;
  serverHitRatio: number | null;
  /** Latency from the intended send time (what a user sees). */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Latency from the actual send: Redis's and the source's own time. */
  service: { p50Ms: number; p99Ms: number };
  readsPerSec: number;
  sourceReadsPerSec: number;
  /** The count behind `sourceReadsPerSec`, over `windowMs`. */
  sourceReads: number;
  windowMs: number;
  /** The same window's source reads counted by the database itself (MySQL/MariaDB, PostgreSQL); null on SQLite. */
  serverSourceReadsPerSec: number | null;
  predictedSourceReadsPerSec: number | null;
  /** Δ, the mean load time the prediction used (pool wait + delay + query + SET); null when nothing loaded. */
  loadMs: number | null;
  /** Median time of the reads the source served, from their actual send (rows.ts, `sourceFigures`). */
  sourceP50Ms: number | null;
  load: ReturnType<typeof loadReport>;
  redisErrors: number;
  harness: HarnessReport;
  /** Compressed, base64-encoded HDR histogram of read latency in microseconds. */
  histogram: string;
  /** The same for latency from the actual send (`service`). */
  serviceHistogram: string;
  /**
   * TTL none only (else null): it has no steady state, so where the cache
   * stood at the window's end — resident share of the key space, the hit
   * ratio then and the one it is still climbing to (predicted: the model).
   */
  filling?: Filling | null;
}

/** One point of a trace's simulated hit-ratio-over-TTL curve, in production units. */
export interface CurvePoint {
  ttlMs: number;
  hitRatio: number;
  sourceReadsPerSec: number;
}

export interface TtlSweepResult {
  rows: TtlSweepRow[];
  /** With --trace: its profile. */
  trace?: TraceProfile;
  /** With --trace: the simulated curve over ~20 log-spaced TTLs, recommended from in the table's notes. */
  curve?: CurvePoint[];
  /** With --trace: what the table says about the replay. */
  traceNotes?: string[];
}

/** A row's prediction: the hit ratio and source load, and what they rest on. */
export interface RowPredicted {
  hitRatio: number | null;
  sourceReadsPerSec: number | null;
  basis: PredictionBasis;
}

/** A measured row as the snapshot saves it. */
export function sweepFigures(
  ctx: SuiteContext,
  index: number,
  ttlMs: TtlMs,
  run: ReadRunResult,
  measured: { predicted: RowPredicted; memory: MemoryFields; readsPerSec: number; filling: Filling | null },
): TtlSweepRow {
  const { predicted, memory } = measured;
  const latency = summarize(run.all);
  const service99 = summarize(run.service);
  return {
    ttlMs,
    productionTtlMs: required(ctx.production, 'ttl')[index] ?? null,
    reads: run.reads,
    ...hitCounts(run),
    counts: { ...run.counts },
    hitRatio: ttlMs === 0 ? null : run.hitRatio,
    predictedHitRatio: ttlMs === 0 ? null : predicted.hitRatio,
    predictionBasis: predicted.basis,
    serverHitRatio: ttlMs === 0 ? null : run.serverHitRatio,
    p50Ms: latency.p50Ms,
    p95Ms: latency.p95Ms,
    p99Ms: latency.p99Ms,
    p999Ms: latency.p999Ms,
    maxMs: latency.maxMs,
    service: { p50Ms: service99.p50Ms, p99Ms: service99.p99Ms },
    readsPerSec: measured.readsPerSec,
    ...sourceFigures(run),
    predictedSourceReadsPerSec: predicted.sourceReadsPerSec,
    load: loadReport(run),
    redisErrors: run.cache.redisErrors,
    harness: run.harness,
    histogram: encodeHistogram(run.all),
    serviceHistogram: encodeHistogram(run.service),
    filling: measured.filling,
    ...memory,
  };
}
