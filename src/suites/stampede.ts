/**
 * `stampede`: what an expiry costs the source. A few hot keys, many readers
 * at once and a slow source: without coordination every read that lands
 * while a load is in flight loads too (1 + λΔ loads per expiry); with
 * single-flight or a Redis lock it is one; XFetch recomputes early instead.
 *
 * Expiries are counted apart from loads: a stored value's life starts at a
 * successful store and ends at the first read that finds the key missing
 * (cache/counters.ts). Loads per expiry is the ratio of the two counts.
 */
import { z } from 'zod';
import { formatTtl } from '../config/duration.ts';
import type { StampedeStrategy } from '../config/types.ts';
import { formatStrategy } from '../config/values.ts';
import { loadsPerExpiryInterval } from '../metrics/counts.ts';
import { summarize } from '../metrics/latencyHistogram.ts';
import { smallSample } from '../metrics/smallSample.ts';
import { meanLatencyMs } from '../source/latency.ts';
import { createKeySampler } from '../workload/keySampler.ts';
import { predictLoadsPerExpiryOver } from '../workload/model.ts';
import { loadShape, required, type SuiteContext } from './context.ts';
import { hitRatioCounts, loadsPerExpiryCounts } from './figureCounts.ts';
import { deriveWarmup, hitCounts, measureRows, memoryFields, ROW_OPTIONS, rowDurationMs, rowService } from './rows.ts';
import { MIN_EVENTS, type StampedeResult, type StampedeRow, stampedeTable } from './stampedeTable.ts';
import { defineSuite } from './suite.ts';
import { profileLine } from './traceInput.ts';
import { coldReads, planReplay, type RowReplay, replayNotes, replaySettings, simulateRow } from './traceReplay.ts';

/** ... but never past this many times the asked duration. */
const MAX_STRETCH = 10;

export type { StampedeResult, StampedeRow };

export const stampede = defineSuite<StampedeResult>({
  name: 'stampede',
  summary: 'source loads per expiry per strategy',
  uses: ['hotKeys', 'dist', 'ttl', 'stampede', 'invalidation', ...ROW_OPTIONS],
  defaults: {
    stampede: [{ kind: 'none' }, { kind: 'single-flight' }, { kind: 'lock' }, { kind: 'xfetch', beta: 1 }],
    ttl: [250],
    // The hot keys share the load evenly unless --dist says otherwise.
    dist: { kind: 'uniform' },
    rate: 4000,
    durationMs: 3000,
    // A slow source makes the in-flight window (Δ) wide enough to see the herd.
    sourceLatency: { kind: 'fixed', ms: 10 },
  },
  derive: deriveWarmup,
  run: runStampede,
  rowKey: (row) => `${row.strategy} ttl=${formatTtl(row.ttlMs)}`,
  metrics: [
    { metric: 'loadsPerExpiry', unit: 'count', worse: 'up', counts: loadsPerExpiryCounts },
    { metric: 'hitRatio', unit: 'ratio', worse: 'down', counts: hitRatioCounts },
    { metric: 'p99Ms', unit: 'ms', worse: 'up', harnessSensitive: true },
  ],
  tables: (section) => [stampedeTable(section)],
  schema: z.looseObject({
    rows: z.array(
      z.looseObject({
        strategy: z.string(),
        ttlMs: z.number().nullable(),
        loadsPerExpiry: z.number().nullable(),
        hitRatio: z.number().nullable(),
        p99Ms: z.number(),
      }),
    ),
  }),
});

async function runStampede(ctx: SuiteContext): Promise<StampedeResult> {
  const { settings } = ctx;
  // Expiry needs a finite, non-zero TTL.
  const ttls = required(settings, 'ttl').filter((ttl): ttl is number => ttl !== null && ttl > 0);
  const replay = planReplay(ctx, ctx.rng.fork('stampede:trace'));
  const traced = replay
    ? {
        trace: replay.loaded.profile,
        traceNotes: [
          ...replayNotes(ctx, replay),
          `trace ${replay.loaded.profile.file}: ${profileLine(replay.loaded.profile)}`,
          "loads leave out each key's first load (a cold miss, no expiry): loads/expiry counts the loads expiries caused",
        ],
      }
    : {};
  const plan = ttls.flatMap((ttlMs) => required(settings, 'stampede').map((strategy) => ({ ttlMs, strategy })));
  const rows = await measureRows(ctx, plan, (p, index) =>
    replay ? replayStampedeRow(ctx, index, p.ttlMs, p.strategy, replay) : stampedeRow(ctx, index, p.ttlMs, p.strategy),
  );
  return { rows, ...traced };
}

/**
 * A row replaying the trace with one strategy; writes follow the first
 * --invalidation (default ttl). The simulator predicts the hit ratio of the
 * uncoordinated and coordinated strategies alike (a read during a load misses
 * either way); XFetch refreshes early, which it does not model.
 */
async function replayStampedeRow(
  ctx: SuiteContext,
  index: number,
  ttlMs: number,
  strategy: StampedeStrategy,
  replay: RowReplay,
): Promise<StampedeRow> {
  const rng = ctx.rng.fork(`stampede:${index}`);
  const { source, service } = rowService(ctx, { suite: 'stampede', index, ttlMs, rng }, { stampede: strategy });
  const invalidation = ctx.settings.invalidation?.[0] ?? 'ttl';
  const run = await ctx.lab.measureRow(`stampede trace ${formatStrategy(strategy)} ttl=${formatTtl(ttlMs)}`, {
    service,
    source,
    replay: replaySettings(replay, source, service, invalidation),
    window: replay.window,
    rng,
  });
  const sim = simulateRow(replay, run, { ttlMs, sliding: ctx.settings.slidingTtl, invalidation });
  const { expiries, lockWaits, earlyRecomputes } = run.cache;
  // A trace starts cold: each key's first read loads once, which no expiry caused.
  const coldLoads = Math.min(run.cache.loads, coldReads(replay, invalidation));
  const loads = run.cache.loads - coldLoads;
  return {
    strategy: formatStrategy(strategy),
    ttlMs,
    hotKeys: replay.loaded.trace.uniqueKeys,
    windowMs: Math.round(run.driver.measuredWindowMs),
    lengthened: false,
    expiries,
    loads,
    coldLoads,
    ...perExpiry(loads, expiries),
    predictedLoadsPerExpiry: strategy.kind === 'single-flight' || strategy.kind === 'lock' ? 1 : null,
    predictedHitRatio: strategy.kind === 'xfetch' ? null : sim.hitRatio,
    lockWaits,
    earlyRecomputes,
    ...hitCounts(run),
    hitRatio: run.hitRatio,
    p99Ms: summarize(run.all).p99Ms,
    loadMs: run.loadMs,
    harness: run.harness,
    ...memoryFields(run),
  };
}

async function stampedeRow(ctx: SuiteContext, index: number, ttlMs: number, strategy: StampedeStrategy) {
  const { settings } = ctx;
  const rng = ctx.rng.fork(`stampede:${index}`);
  const hotKeys = required(settings, 'hotKeys');
  const sampler = createKeySampler(required(settings, 'dist'), hotKeys, rng.fork('keys'));
  const { source, service } = rowService(ctx, { suite: 'stampede', index, ttlMs, rng }, { stampede: strategy });
  const load = loadShape(settings);
  const rate = 'rate' in load ? load.rate : undefined;
  const asked = required(settings, 'durationMs');
  const windowMs = enoughExpiries(
    sampler.probabilities,
    rate,
    ttlMs,
    meanLatencyMs(required(settings, 'sourceLatency')),
    asked,
  );
  const run = await ctx.lab.measureRow(`stampede ${formatStrategy(strategy)} ttl=${formatTtl(ttlMs)}`, {
    service,
    source,
    sampler,
    load,
    window: { warmupMs: required(settings, 'warmupMs'), durationMs: windowMs },
    rng,
  });
  const { loads, expiries, lockWaits, earlyRecomputes } = run.cache;
  const rateUsed = rate ?? run.driver.achievedRate;
  return {
    ...memoryFields(run),
    strategy: formatStrategy(strategy),
    ttlMs,
    hotKeys,
    windowMs,
    lengthened: windowMs > rowDurationMs(asked, ttlMs),
    expiries,
    loads,
    ...perExpiry(loads, expiries),
    predictedLoadsPerExpiry: predictedLoads(strategy, sampler.probabilities, rateUsed, ttlMs, run.loadMs),
    lockWaits,
    earlyRecomputes,
    ...hitCounts(run),
    hitRatio: run.hitRatio,
    p99Ms: summarize(run.all).p99Ms,
    loadMs: run.loadMs,
    harness: run.harness,
  } satisfies StampedeRow;
}

/**
 * The window, in whole TTLs, that should see at least MIN_EVENTS expiries by
 * the model (each key expires about λ/(1 + λ(T + Δ)) times a second), with Δ
 * guessed as the source delay: the asked duration when that is enough,
 * longer (up to MAX_STRETCH times) when it is not.
 */
function enoughExpiries(p: Float64Array, rate: number | undefined, ttlMs: number, deltaMs: number, askedMs: number) {
  let perSecond = 0;
  if (rate !== undefined) {
    for (const pi of p) perSecond += (rate * pi) / (1 + rate * pi * ((ttlMs + deltaMs) / 1000));
  }
  const needMs = perSecond > 0 ? (MIN_EVENTS / perSecond) * 1000 : askedMs;
  return rowDurationMs(Math.min(askedMs * MAX_STRETCH, Math.max(askedMs, needMs)), ttlMs);
}

/** 1 + λΔ per key without coordination, 1 with single-flight or a lock; XFetch has no closed form here. */
function predictedLoads(s: StampedeStrategy, p: Float64Array, rate: number, ttlMs: number, loadMs: number | null) {
  if (s.kind === 'single-flight' || s.kind === 'lock') return 1;
  if (s.kind === 'none' && loadMs !== null) return predictLoadsPerExpiryOver(p, rate, ttlMs, loadMs);
  return null;
}

/** Loads per expiry, with its 95% interval when it rests on a small sample. */
function perExpiry(loads: number, expiries: number) {
  return {
    loadsPerExpiry: expiries > 0 ? loads / expiries : null,
    loadsPerExpiryInterval: expiries > 0 && smallSample(expiries) ? loadsPerExpiryInterval(loads, expiries) : null,
  };
}
