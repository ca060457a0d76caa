/**
 * The capacity suite's answer to "how much memory?": the cache bytes that
 * reach 90% of the unbounded hit ratio — measured (interpolated between the
 * two sizes around it) and predicted (the eviction model's fewest entries
 * reaching it, times the measured bytes per entry) — and its table.
 */
import { formatTtl } from '../config/duration.ts';
import { showBytes } from '../config/memory.ts';
import type { TtlMs } from '../config/types.ts';
import { fmtCount, fmtMs, fmtRate, fmtRatio, NA } from '../metrics/format.ts';
import type { HarnessReport } from '../metrics/harness.ts';
import { entriesFor, predictedHitRatioAt } from '../workload/capacityModel.ts';
import { createKeySampler } from '../workload/keySampler.ts';
import { loadShape, required, type SuiteContext } from './context.ts';
import type { PredictionBasis } from './rowPrediction.ts';
import { predictionNotes } from './rowPrediction.ts';
import { type loadReport, type MemoryFields, rowDurationMs } from './rows.ts';
import type { TableData } from './suite.ts';
import { capacityNotes, harnessNotes, ttlCell } from './tableKit.ts';

export interface CapacityRow extends MemoryFields {
  ttlMs: TtlMs;
  /** `unbounded`, or the size as given: `10%` (of the key space's bytes) or `4mb`. */
  size: string;
  /** Bytes the cache was given above Redis's baseline; null when unbounded. */
  cacheBytes: number | null;
  reads: number;
  hitRatio: number | null;
  predictedHitRatio: number | null;
  predictionBasis: PredictionBasis;
  serverHitRatio: number | null;
  sourceReadsPerSec: number;
  predictedSourceReadsPerSec: number | null;
  readsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  load: ReturnType<typeof loadReport>;
  redisErrors: number;
  harness: HarnessReport;
}

export interface CapacityResult {
  rows: CapacityRow[];
  /** One per TTL: bytes per entry, the baseline, and the memory that reaches 90% of the unbounded hit ratio. */
  sizing: CapacitySizing[];
}

/** Bytes per entry, by MEMORY USAGE on a sample of an unbounded row's entries, and Redis without them. */
export interface EntryMeasurement {
  bytesPerEntry: number;
  sampledEntries: number;
  /** bytesPerEntry × keys. */
  keySpaceBytes: number;
  /** used_memory with none of the suite's keys: Redis's own share of maxmemory. */
  baselineBytes: number;
}

/** "90% of the unbounded hit ratio", the sizing target. */
export const SIZING_SHARE = 0.9;

export interface CapacitySizing extends EntryMeasurement {
  ttlMs: TtlMs;
  maxmemoryPolicy: string;
  maxmemorySamples: number;
  unboundedHitRatio: number | null;
  /** SIZING_SHARE × the measured unbounded hit ratio. */
  targetHitRatio: number | null;
  /** Cache bytes reaching the target, interpolated between the measured sizes around it; null outside them. */
  measuredBytes: number | null;
  /** How the measured figure was found, or why there is none. */
  measuredNote: string;
  /** The eviction model's fewest entries reaching the target; null when it has no model or even all keys fall short. */
  predictedEntries: number | null;
  predictedBytes: number | null;
}

export function sizeFor(
  ctx: SuiteContext,
  ttlMs: TtlMs,
  measured: EntryMeasurement,
  unbounded: CapacityRow,
  rows: readonly CapacityRow[],
): CapacitySizing {
  const server = ctx.lab.throwaway ?? { maxmemoryPolicy: 'unknown', maxmemorySamples: 0 };
  const target = unbounded.hitRatio === null ? null : SIZING_SHARE * unbounded.hitRatio;
  const interpolated = target === null ? null : interpolate(target, rows);
  const predictedEntries = target === null ? null : predictEntries(ctx, ttlMs, target, server.maxmemoryPolicy);
  return {
    ttlMs,
    ...measured,
    maxmemoryPolicy: server.maxmemoryPolicy,
    maxmemorySamples: server.maxmemorySamples,
    unboundedHitRatio: unbounded.hitRatio,
    targetHitRatio: target,
    measuredBytes: interpolated?.bytes ?? null,
    measuredNote: interpolated?.note ?? 'no hit ratio without a cache',
    predictedEntries,
    predictedBytes: predictedEntries === null ? null : Math.round(predictedEntries * measured.bytesPerEntry),
  };
}

/** Linear in bytes between the last size below the target and the first at or above it. */
function interpolate(target: number, rows: readonly CapacityRow[]): { bytes: number | null; note: string } {
  const points = rows
    .filter((r) => r.cacheBytes !== null && r.hitRatio !== null)
    .map((r) => ({ bytes: r.cacheBytes as number, hit: r.hitRatio as number, size: r.size }))
    .sort((a, b) => a.bytes - b.bytes);
  const above = points.findIndex((p) => p.hit >= target);
  const hi = points[above];
  if (hi === undefined) return { bytes: null, note: 'not reached at the largest size measured' };
  const lo = points[above - 1];
  if (lo === undefined) return { bytes: null, note: `reached already at the smallest size measured (${hi.size})` };
  const bytes =
    hi.hit === lo.hit ? hi.bytes : lo.bytes + ((target - lo.hit) / (hi.hit - lo.hit)) * (hi.bytes - lo.bytes);
  return { bytes: Math.round(bytes), note: `interpolated between ${lo.size} and ${hi.size}` };
}

function predictEntries(ctx: SuiteContext, ttlMs: TtlMs, target: number, policy: string): number | null {
  const { settings } = ctx;
  const keys = required(settings, 'keys');
  const rng = ctx.rng.fork('capacity:sizing');
  const sampler = createKeySampler(required(settings, 'dist'), keys, rng.fork('keys'));
  const load = loadShape(settings);
  const input = {
    probabilities: sampler.probabilities,
    rate: 'rate' in load ? load.rate : 0,
    ttlMs,
    sliding: settings.slidingTtl === true,
    policy,
    window: {
      warmupMs: required(settings, 'warmupMs'),
      durationMs: rowDurationMs(required(settings, 'durationMs'), ttlMs),
    },
    sampler,
    rng,
  };
  if (!(input.rate > 0) || predictedHitRatioAt(input, 1) === null) return null;
  return entriesFor(target, (entries) => (entries < 1 ? 0 : (predictedHitRatioAt(input, entries) as number)), keys);
}

function sizingNotes(sizing: readonly CapacitySizing[]): string[] {
  return sizing.flatMap((s) => {
    const at = `TTL ${formatTtl(s.ttlMs)}`;
    const lines = [
      `${at}: ${Math.round(s.bytesPerEntry)} bytes per entry (MEMORY USAGE on ${s.sampledEntries} entries), key space ${showBytes(s.keySpaceBytes)}; maxmemory = Redis's baseline ${showBytes(s.baselineBytes)} + the cache bytes`,
    ];
    if (s.targetHitRatio === null) return lines;
    const measured =
      s.measuredBytes === null
        ? `measured: ${s.measuredNote}`
        : `measured ${showBytes(s.measuredBytes)} (${s.measuredNote})`;
    const predicted =
      s.predictedBytes === null
        ? 'predicted: n/a'
        : `predicted ${showBytes(s.predictedBytes)} (${fmtCount(s.predictedEntries ?? 0)} entries)`;
    lines.push(
      `${at}: memory for 90% of the unbounded hit ratio (${fmtRatio(s.targetHitRatio)} of ${fmtRatio(s.unboundedHitRatio)}): ${measured}; ${predicted}; plus the baseline for maxmemory`,
    );
    return lines;
  });
}

export function capacityTable(section: CapacityResult): TableData {
  const { rows, sizing } = section;
  const server = sizing[0];
  const how = server ? `${server.maxmemoryPolicy}, maxmemory-samples ${server.maxmemorySamples}` : 'throwaway server';
  const label = (i: number) => `TTL ${formatTtl(rows[i]?.ttlMs ?? null)} at ${rows[i]?.size ?? '?'}`;
  return {
    title: `capacity (maxmemory per row on the throwaway redis-server, ${how}; each row from an empty cache; predicted at the row's resident keys)`,
    head: [
      'TTL',
      'cache size',
      'cache bytes',
      'maxmemory',
      'resident keys',
      'evictions',
      'hit ratio',
      'predicted',
      'Redis INFO',
      'source reads/s',
      'predicted',
      'p99 ms',
    ],
    rows: rows.map((r) => [
      ttlCell(r.ttlMs),
      r.size,
      showBytes(r.cacheBytes),
      r.maxmemoryBytes ? showBytes(r.maxmemoryBytes) : 'none',
      r.residentKeys === null ? NA : fmtCount(r.residentKeys),
      r.evictedKeys === null ? NA : fmtCount(r.evictedKeys),
      fmtRatio(r.hitRatio),
      fmtRatio(r.predictedHitRatio),
      fmtRatio(r.serverHitRatio),
      fmtRate(r.sourceReadsPerSec),
      fmtRate(r.predictedSourceReadsPerSec),
      fmtMs(r.p99Ms),
    ]),
    notes: [
      ...sizingNotes(sizing),
      ...capacityNotes(rows, label),
      ...rows.flatMap((r, i) =>
        r.redisErrors > 0
          ? [
              `${label(i)}: ${fmtCount(r.redisErrors)} Redis errors (an OOM when Redis could not evict enough, or a stall); those reads were served by the source`,
            ]
          : [],
      ),
      ...predictionNotes(rows, label),
      ...harnessNotes(rows, label),
    ],
  };
}
