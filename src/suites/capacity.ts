/**
 * `capacity`: the hit ratio and source load at several cache sizes, for a
 * TTL — a miss-ratio curve over memory, as libCacheSim and CacheLib draw
 * them, measured on a real Redis. Each TTL first runs unbounded (maxmemory
 * 0), which gives the unbounded hit ratio and, by MEMORY USAGE on a sample
 * of its entries, the bytes per entry; each size is then a share of the key
 * space's bytes (or a size), set as maxmemory = Redis's own baseline + that
 * many bytes with CONFIG SET on the throwaway server, the only server the
 * harness reconfigures. Rows start from an empty cache (the previous row's
 * keys are removed). Run only when named: its rows warm up until the cache
 * fills, which takes longer than the default run's budget.
 */
import { z } from 'zod';
import { formatTtl } from '../config/duration.ts';
import { type CacheSize, formatCacheSize, showBytes } from '../config/memory.ts';
import type { Settings } from '../config/options.ts';
import type { TtlMs } from '../config/types.ts';
import { summarize } from '../metrics/latencyHistogram.ts';
import { createKeySampler } from '../workload/keySampler.ts';
import {
  type CapacityResult,
  type CapacityRow,
  type CapacitySizing,
  capacityTable,
  type EntryMeasurement,
  sizeFor,
} from './capacityReport.ts';
import { loadShape, required, type SuiteContext } from './context.ts';
import { predictRow } from './rowPrediction.ts';
import { loadReport, memoryFields, ROW_OPTIONS, rowDurationMs, rowService, suiteWarmupMs } from './rows.ts';
import { defineSuite } from './suite.ts';
import { ttlCell } from './tableKit.ts';

export type { CapacityResult, CapacityRow };

const DEFAULT_SIZES: CacheSize[] = [{ pct: 10 }, { pct: 25 }, { pct: 50 }, { pct: 100 }];
/** Entries whose MEMORY USAGE gives the bytes per entry. */
const SAMPLE = 500;

export const capacity = defineSuite<CapacityResult>({
  name: 'capacity',
  summary: 'hit ratio and source load per cache size (maxmemory); throwaway redis-server only, run when named',
  onlyWhenNamed: true,
  throwawayOnly: 'it sets maxmemory per row with CONFIG SET',
  uses: ['keys', 'dist', 'ttl', 'slidingTtl', 'cacheSizes', ...ROW_OPTIONS],
  defaults: { ttl: [null], cacheSizes: DEFAULT_SIZES, rate: 2000, durationMs: 4000 },
  derive: deriveFillWarmup,
  run: runCapacity,
  rowKey: (row) => `ttl=${ttlCell(row.ttlMs)} size=${row.size}`,
  metrics: [
    { metric: 'hitRatio', unit: 'ratio', worse: 'down' },
    { metric: 'sourceReadsPerSec', unit: 'perSec', worse: 'up' },
  ],
  tables: (section) => [capacityTable(section)],
  schema: z.looseObject({
    rows: z.array(z.looseObject({ ttlMs: z.number().nullable(), size: z.string(), hitRatio: z.number().nullable() })),
    sizing: z.array(z.looseObject({ ttlMs: z.number().nullable() })),
  }),
});

/**
 * A warm-up long enough for the cache to fill: LRU then holds the last C
 * distinct keys requested, which is its steady state (Che's approximation),
 * so the time to read the key space twice over is the bar; at least the
 * longest TTL, as every suite.
 */
function deriveFillWarmup(settings: Settings): Partial<Settings> {
  const base = suiteWarmupMs(settings.ttl ?? []);
  const rate = settings.concurrency === undefined ? settings.rate : undefined;
  if (rate === undefined || settings.keys === undefined) return { warmupMs: base };
  return { warmupMs: Math.max(base, Math.min(60_000, Math.round((2000 * settings.keys) / rate))) };
}

async function runCapacity(ctx: SuiteContext): Promise<CapacityResult> {
  const rows: CapacityRow[] = [];
  const sizing: CapacitySizing[] = [];
  const { lab } = ctx;
  if (lab.throwaway === undefined) throw new Error('capacity runs on a throwaway server only (runBench refuses)');
  let index = 0;
  try {
    for (const ttlMs of required(ctx.settings, 'ttl')) {
      if (ctx.signal.aborted) break;
      await lab.setMaxmemory(0);
      const unbounded = await capacityRow(ctx, index++, ttlMs, { size: 'unbounded', cacheBytes: null });
      const measured = await measureEntries(ctx, unbounded.prefix);
      rows.push(unbounded.row);
      const ttlRows: CapacityRow[] = [];
      for (const size of required(ctx.settings, 'cacheSizes')) {
        if (ctx.signal.aborted) break;
        const cacheBytes = 'pct' in size ? Math.round((size.pct / 100) * measured.keySpaceBytes) : size.bytes;
        await lab.setMaxmemory(measured.baselineBytes + cacheBytes);
        const row = await capacityRow(ctx, index++, ttlMs, { size: formatCacheSize(size), cacheBytes });
        await lab.deleteKeys(row.prefix);
        ttlRows.push(row.row);
      }
      rows.push(...ttlRows);
      sizing.push(sizeFor(ctx, ttlMs, measured, unbounded.row, ttlRows));
    }
  } finally {
    // The other suites of the run get the server as it was started.
    await lab.setMaxmemory(lab.throwaway.maxmemoryBytes);
  }
  return { rows, sizing };
}

/**
 * Bytes per entry by MEMORY USAGE on a sample of the unbounded row's
 * entries, then Redis's baseline without them: used_memory once they are
 * removed, which keeps the key table they grew and the clients' buffers of a
 * loaded run. (Measured before the row instead, the baseline left a 10% size
 * no room at all: every SET failed with OOM.)
 */
async function measureEntries(ctx: SuiteContext, prefix: string): Promise<EntryMeasurement> {
  const sizes = await ctx.lab.memoryUsage(prefix, SAMPLE);
  if (sizes.length === 0) throw new Error(`capacity: no entries under ${prefix} to measure (did every read fail?)`);
  const bytesPerEntry = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  await ctx.lab.deleteKeys(prefix);
  const stats = await ctx.lab.memoryStats();
  if (stats === null) throw new Error('capacity: INFO memory could not be read');
  const keys = required(ctx.settings, 'keys');
  ctx.log(
    `  capacity: ${Math.round(bytesPerEntry)} bytes per entry (MEMORY USAGE, ${sizes.length} entries), key space ${showBytes(bytesPerEntry * keys)}, Redis baseline ${showBytes(stats.usedMemoryBytes)}`,
  );
  return {
    bytesPerEntry,
    sampledEntries: sizes.length,
    keySpaceBytes: Math.round(bytesPerEntry * keys),
    baselineBytes: stats.usedMemoryBytes,
  };
}

async function capacityRow(
  ctx: SuiteContext,
  index: number,
  ttlMs: TtlMs,
  at: { size: string; cacheBytes: number | null },
): Promise<{ row: CapacityRow; prefix: string }> {
  const { settings } = ctx;
  const rng = ctx.rng.fork(`capacity:${index}`);
  const sampler = createKeySampler(required(settings, 'dist'), required(settings, 'keys'), rng.fork('keys'));
  const { source, service } = rowService(ctx, { suite: 'capacity', index, ttlMs, rng });
  const window = {
    warmupMs: required(settings, 'warmupMs'),
    durationMs: rowDurationMs(required(settings, 'durationMs'), ttlMs),
  };
  const label = `capacity ttl=${formatTtl(ttlMs)} size=${at.size}`;
  const run = await ctx.lab.measureRow(label, { service, source, sampler, load: loadShape(settings), window, rng });
  const memory = memoryFields(run);
  const predicted = predictRow(run, memory, { sampler, rng: rng.fork('prediction'), ttlMs, settings });
  const latency = summarize(run.all);
  const row: CapacityRow = {
    ttlMs,
    ...at,
    reads: run.reads,
    hitRatio: ttlMs === 0 ? null : run.hitRatio,
    predictedHitRatio: ttlMs === 0 ? null : predicted.hitRatio,
    predictionBasis: predicted.basis,
    serverHitRatio: run.serverHitRatio,
    sourceReadsPerSec: run.sourceReadsPerSec,
    predictedSourceReadsPerSec: predicted.sourceReadsPerSec,
    readsPerSec: run.driver.achievedRate,
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    load: loadReport(run),
    redisErrors: run.cache.redisErrors,
    harness: run.harness,
    ...memory,
  };
  return { row, prefix: service.keyPrefix };
}
