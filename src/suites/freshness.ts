/**
 * `freshness`: what a TTL costs in stale reads. Writers update source rows
 * while reads run; every cached value carries its row version, and each hit
 * is checked against the source after its latency was taken. Rows per TTL ×
 * invalidation strategy (`ttl`: nothing on write; `delete`: DEL after the
 * update; `write-through`: SET the new row after the update).
 *
 * A stale hit under `delete` or `write-through` is the reader–writer race (a
 * reader that loaded the old row stores it after the writer's delete): it is
 * counted separately, because users should see that it happens.
 */
import type { Invalidation, TtlMs } from '../config/types.ts';
import { summarize } from '../metrics/latencyHistogram.ts';
import { StaleTracker } from '../metrics/staleness.ts';
import type { FreshnessRow } from '../types.ts';
import { createKeySampler } from '../workload/keySampler.ts';
import { predictFreshness } from '../workload/model.ts';
import { loadShape, measureRow, newService, type SuiteContext } from './context.ts';
import { formatTtl, rowDurationMs, rowWarmupMs } from './suiteDefaults.ts';

export const FRESHNESS_DEFAULTS = {
  ttl: [500, 2000] as TtlMs[],
  invalidation: ['ttl', 'delete', 'write-through'] as Invalidation[],
  rate: 2000,
  writeRate: 100,
  durationMs: 3000,
};

export async function freshness(ctx: SuiteContext): Promise<{ rows: FreshnessRow[] }> {
  const { options, session, source } = ctx;
  const ttls = (options.ttl ?? FRESHNESS_DEFAULTS.ttl).filter((ttl) => ttl !== 0);
  const strategies = options.invalidation ?? FRESHNESS_DEFAULTS.invalidation;
  const writeRate = options.writeRate ?? FRESHNESS_DEFAULTS.writeRate;
  const baseDurationMs = options.durationMs ?? FRESHNESS_DEFAULTS.durationMs;
  const load = loadShape(ctx, FRESHNESS_DEFAULTS.rate);
  const rows: FreshnessRow[] = [];
  let index = 0;
  for (const ttlMs of ttls) {
    for (const invalidation of strategies) {
      if (ctx.signal.aborted) return { rows };
      const rng = ctx.rng.fork(`freshness:${index}`);
      const sampler = createKeySampler(options.dist, options.keys, rng.fork('keys'));
      // Writes hit the same hot rows as reads unless the scenario gives writes a distribution of their own.
      const writeSampler = options.writeDist
        ? createKeySampler(options.writeDist, options.keys, rng.fork('write-keys'))
        : sampler.withRng(rng.fork('write-keys'));
      const service = newService(ctx, {
        keyPrefix: `${session.prefix}freshness:${index++}:`,
        ttlMs,
        slidingTtl: options.slidingTtl,
        ttlJitterPct: options.ttlJitterPct,
        rng: rng.fork('jitter'),
      });
      const staleness = new StaleTracker(source);
      const warmupMs = options.warmupMs ?? rowWarmupMs(ttlMs);
      const durationMs = rowDurationMs(baseDurationMs, ttlMs);
      const run = await measureRow(ctx, `freshness ${invalidation} ttl=${formatTtl(ttlMs)}`, {
        service,
        sampler,
        load,
        window: { warmupMs, durationMs },
        rng,
        writer: {
          rate: writeRate,
          sampler: writeSampler,
          async write(id) {
            const row = await source.update(id);
            staleness.recordWrite(row);
            await service.onWrite(id, invalidation, row);
          },
        },
        onMeasuredHit(id, result) {
          staleness.checkHit(id, result.version ?? 0);
        },
      });
      const rate = 'rate' in load ? load.rate : run.driver.achievedRate;
      const predicted = predictFreshness({
        probabilities: sampler.probabilities,
        rate,
        ttlMs,
        sliding: options.slidingTtl,
        windowMs: { warmupMs, durationMs },
        writeProbabilities: writeSampler.probabilities,
        writeRate,
        invalidation,
      });
      rows.push({
        invalidation,
        ttlMs,
        reads: run.reads,
        writes: run.writes,
        hitRatio: run.hitRatio,
        predictedHitRatio: predicted.hitRatio,
        staleReadRatio: run.reads > 0 ? staleness.stale / run.reads : null,
        predictedStaleReadRatio: predicted.staleReadRatio,
        racedStaleReads: invalidation === 'ttl' ? 0 : staleness.stale,
        maxStaleAgeMs: staleness.maxAgeMs,
        p99Ms: summarize(run.all).p99Ms,
      });
    }
  }
  return { rows };
}
