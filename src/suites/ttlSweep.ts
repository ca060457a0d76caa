/**
 * `ttl-sweep`: for each TTL, from an empty cache, what the cache buys —
 * hit ratio (measured by the client, by Redis, and predicted), latency
 * percentiles, and source load (measured and predicted).
 */
import type { TtlMs } from '../config/types.ts';
import { encodeHistogram, summarize } from '../metrics/latencyHistogram.ts';
import type { TtlSweepRow } from '../types.ts';
import { createKeySampler } from '../workload/keySampler.ts';
import { predictHitRatio, predictSourceReadsPerSec } from '../workload/model.ts';
import { loadShape, measureRow, newService, type SuiteContext } from './context.ts';
import { formatTtl, rowDurationMs, rowWarmupMs } from './suiteDefaults.ts';

export const TTL_SWEEP_DEFAULTS = {
  ttl: [0, 100, 500, 2000, null] as TtlMs[],
  rate: 2000,
  durationMs: 4000,
};

export async function ttlSweep(ctx: SuiteContext): Promise<{ rows: TtlSweepRow[] }> {
  const { options, session } = ctx;
  const ttls = options.ttl ?? TTL_SWEEP_DEFAULTS.ttl;
  const baseDurationMs = options.durationMs ?? TTL_SWEEP_DEFAULTS.durationMs;
  const load = loadShape(ctx, TTL_SWEEP_DEFAULTS.rate);
  const rows: TtlSweepRow[] = [];
  for (const [index, ttlMs] of ttls.entries()) {
    if (ctx.signal.aborted) break;
    const warmupMs = options.warmupMs ?? rowWarmupMs(ttlMs);
    const durationMs = rowDurationMs(baseDurationMs, ttlMs);
    const rng = ctx.rng.fork(`ttl-sweep:${index}`);
    const sampler = createKeySampler(options.dist, options.keys, rng.fork('keys'));
    const service = newService(ctx, {
      keyPrefix: `${session.prefix}ttl-sweep:${index}:`,
      ttlMs,
      slidingTtl: options.slidingTtl,
      ttlJitterPct: options.ttlJitterPct,
      rng: rng.fork('jitter'),
    });
    const run = await measureRow(ctx, `ttl-sweep ttl=${formatTtl(ttlMs)}`, {
      service,
      sampler,
      load,
      window: { warmupMs, durationMs },
      rng,
    });
    // Predictions assume Poisson arrivals at the offered rate; in closed loop the achieved rate stands in.
    const rate = 'rate' in load ? load.rate : run.driver.achievedRate;
    const model = {
      probabilities: sampler.probabilities,
      rate,
      ttlMs,
      sliding: options.slidingTtl,
      windowMs: { warmupMs, durationMs },
      // Δ as this row measured it: reads that land during a load miss too.
      loadMs: run.byOutcome.miss.totalCount > 0 ? summarize(run.byOutcome.miss).meanMs : undefined,
    };
    const latency = summarize(run.all);
    rows.push({
      ttlMs,
      productionTtlMs: ttlMs === null ? null : ttlMs * options.speedup,
      reads: run.reads,
      hitRatio: ttlMs === 0 ? null : run.hitRatio,
      predictedHitRatio: ttlMs === 0 ? null : predictHitRatio(model),
      serverHitRatio: ttlMs === 0 ? null : run.serverHitRatio,
      p50Ms: latency.p50Ms,
      p95Ms: latency.p95Ms,
      p99Ms: latency.p99Ms,
      p999Ms: latency.p999Ms,
      maxMs: latency.maxMs,
      readsPerSec: run.driver.achievedRate,
      sourceReadsPerSec: run.sourceReadsPerSec,
      predictedSourceReadsPerSec: predictSourceReadsPerSec(model),
      load: {
        mode: run.driver.mode,
        targetRate: run.driver.targetRate,
        achievedRate: run.driver.achievedRate,
        lateSends: run.driver.lateSends,
        errors: run.driver.errors,
      },
      redisErrors: run.redisErrors,
      histogram: encodeHistogram(run.all),
    });
  }
  return { rows };
}
