/**
 * `stampede`: what an expiry costs the source. A few hot keys, many readers
 * at once and a slow source: without coordination every read that lands
 * while a load is in flight loads too (1 + λΔ loads per expiry); with
 * single-flight or a Redis lock it is one; XFetch recomputes early instead.
 * Loads per expiry are measured as loads over load episodes (periods with a
 * load of the key in flight), not inferred from the TTL.
 */
import type { LatencySpec, StampedeStrategy, TtlMs } from '../config/types.ts';
import { summarize } from '../metrics/latencyHistogram.ts';
import { latencySampler } from '../source/latency.ts';
import { SqliteSource } from '../source/sqliteSource.ts';
import type { StampedeRow } from '../types.ts';
import { createKeySampler } from '../workload/keySampler.ts';
import { predictLoadsPerExpiry } from '../workload/model.ts';
import { loadShape, measureRow, newService, type SuiteContext } from './context.ts';
import { formatTtl, rowWarmupMs } from './suiteDefaults.ts';

export const STAMPEDE_DEFAULTS = {
  strategies: [
    { kind: 'none' },
    { kind: 'single-flight' },
    { kind: 'lock' },
    { kind: 'xfetch', beta: 1 },
  ] as StampedeStrategy[],
  ttl: [250] as TtlMs[],
  hotKeys: 4,
  rate: 4000,
  durationMs: 3000,
  /** A slow source makes the in-flight window (Δ) wide enough to see the herd. */
  sourceLatency: { kind: 'fixed', ms: 10 } as LatencySpec,
};

export function describeStrategy(strategy: StampedeStrategy): string {
  return strategy.kind === 'xfetch' ? `xfetch:${strategy.beta}` : strategy.kind;
}

export async function stampede(ctx: SuiteContext): Promise<{ rows: StampedeRow[] }> {
  const { options, session } = ctx;
  const strategies = options.stampede ?? STAMPEDE_DEFAULTS.strategies;
  // Expiry needs a finite, non-zero TTL.
  const ttls = (options.ttl ?? STAMPEDE_DEFAULTS.ttl).filter((ttl): ttl is number => ttl !== null && ttl > 0);
  const hotKeys = Math.min(options.keys, STAMPEDE_DEFAULTS.hotKeys);
  const load = loadShape(ctx, STAMPEDE_DEFAULTS.rate);
  const durationMs = options.durationMs ?? STAMPEDE_DEFAULTS.durationMs;
  const rows: StampedeRow[] = [];
  let index = 0;
  for (const ttlMs of ttls) {
    for (const strategy of strategies) {
      if (ctx.signal.aborted) return { rows };
      const rng = ctx.rng.fork(`stampede:${index}`);
      const source = new SqliteSource({
        latency: latencySampler(options.sourceLatency ?? STAMPEDE_DEFAULTS.sourceLatency, rng.fork('latency')),
      });
      source.seed(hotKeys, options.seed);
      const service = newService(ctx, {
        source,
        keyPrefix: `${session.prefix}stampede:${index++}:`,
        ttlMs,
        ttlJitterPct: options.ttlJitterPct,
        stampede: strategy,
        rng: rng.fork('service'),
      });
      let before = { ...service.counters };
      try {
        const run = await measureRow(ctx, `stampede ${describeStrategy(strategy)} ttl=${formatTtl(ttlMs)}`, {
          service,
          source,
          sampler: createKeySampler({ kind: 'uniform' }, hotKeys, rng.fork('keys')),
          load,
          window: { warmupMs: options.warmupMs ?? rowWarmupMs(ttlMs), durationMs },
          rng,
          onWindowStart() {
            before = { ...service.counters };
          },
        });
        const loads = service.counters.loads - before.loads;
        const episodes = service.counters.loadEpisodes - before.loadEpisodes;
        // Δ, the time a load is in flight (source read + SET), as this row measured it.
        const loadMs = loads > 0 ? (service.counters.loadMs - before.loadMs) / loads : null;
        const perKeyRate = ('rate' in load ? load.rate : run.driver.achievedRate) / hotKeys;
        rows.push({
          strategy: describeStrategy(strategy),
          ttlMs,
          expiries: episodes,
          loads,
          loadsPerExpiry: episodes > 0 ? loads / episodes : null,
          predictedLoadsPerExpiry: predictedLoads(strategy, perKeyRate, loadMs),
          hitRatio: run.hitRatio,
          p99Ms: summarize(run.all).p99Ms,
        });
      } finally {
        source.close();
      }
    }
  }
  return { rows };
}

/** 1 + λΔ without coordination, 1 with single-flight or a lock; XFetch has no closed form here. */
function predictedLoads(strategy: StampedeStrategy, perKeyRate: number, loadMs: number | null): number | null {
  if (strategy.kind === 'single-flight' || strategy.kind === 'lock') return 1;
  if (strategy.kind === 'none' && loadMs !== null) return predictLoadsPerExpiry(perKeyRate, loadMs);
  return null;
}
