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
import type { StampedeStrategy, TtlMs } from '../config/types.ts';
import { formatStrategy } from '../config/values.ts';
import { loadsPerExpiryInterval } from '../metrics/counts.ts';
import { fmtCount, fmtMs, fmtRatio, NA } from '../metrics/format.ts';
import type { HarnessReport } from '../metrics/harness.ts';
import { fmtWithInterval } from '../metrics/intervalFormat.ts';
import { summarize } from '../metrics/latencyHistogram.ts';
import type { Interval } from '../metrics/sample.ts';
import { SMALL_SAMPLE_EVENTS, smallSample } from '../metrics/smallSample.ts';
import { meanLatencyMs } from '../source/latency.ts';
import { createKeySampler } from '../workload/keySampler.ts';
import { predictLoadsPerExpiryOver } from '../workload/model.ts';
import type { TraceProfile } from '../workload/trace/profile.ts';
import { loadShape, required, type SuiteContext } from './context.ts';
import { deriveWarmup, type MemoryFields, memoryFields, ROW_OPTIONS, rowDurationMs, rowService } from './rows.ts';
import { defineSuite, type TableData } from './suite.ts';
import { capacityNotes, harnessNotes } from './tableKit.ts';
import { profileLine } from './traceInput.ts';
import { coldReads, planReplay, type RowReplay, replayNotes, replaySettings, simulateRow } from './traceReplay.ts';

/** The window is lengthened to see this many expiries: below it a ratio is a small sample. */
const MIN_EVENTS = SMALL_SAMPLE_EVENTS;
/** ... but never past this many times the asked duration. */
const MAX_STRETCH = 10;

export interface StampedeRow extends MemoryFields {
  strategy: string;
  ttlMs: TtlMs;
  hotKeys: number;
  /** The measured window (run units). */
  windowMs: number;
  /** Whether the window was lengthened past the asked duration to reach enough expiries. */
  lengthened: boolean;
  expiries: number;
  loads: number;
  loadsPerExpiry: number | null;
  /** Its 95% interval when it rests on fewer than 30 expiries (a small sample), else null. */
  loadsPerExpiryInterval: Interval | null;
  predictedLoadsPerExpiry: number | null;
  /** With --trace: first loads of keys the trace had not read before (cold misses), left out of `loads`. */
  coldLoads?: number;
  /** With --trace: the simulator's hit ratio on the same requests (null for XFetch, which it does not model). */
  predictedHitRatio?: number | null;
  /** Misses that waited on another reader's lock. */
  lockWaits: number;
  hitRatio: number | null;
  p99Ms: number;
  /** Δ as measured: pool wait + delay + query + SET. */
  loadMs: number | null;
  harness: HarnessReport;
}

export interface StampedeResult {
  rows: StampedeRow[];
  /** With --trace: its profile, and what the table says about the replay. */
  trace?: TraceProfile;
  traceNotes?: string[];
}

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
    { metric: 'loadsPerExpiry', unit: 'count', worse: 'up' },
    { metric: 'hitRatio', unit: 'ratio', worse: 'down' },
    { metric: 'p99Ms', unit: 'ms', worse: 'up' },
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
  const rows: StampedeRow[] = [];
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
  let index = 0;
  for (const ttlMs of ttls) {
    for (const strategy of required(settings, 'stampede')) {
      if (ctx.signal.aborted) return { rows, ...traced };
      rows.push(
        replay
          ? await replayStampedeRow(ctx, index++, ttlMs, strategy, replay)
          : await stampedeRow(ctx, index++, ttlMs, strategy),
      );
    }
  }
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
  const { expiries, lockWaits } = run.cache;
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
    loadsPerExpiry: expiries > 0 ? loads / expiries : null,
    loadsPerExpiryInterval: expiries > 0 && smallSample(expiries) ? loadsPerExpiryInterval(loads, expiries) : null,
    predictedLoadsPerExpiry: strategy.kind === 'single-flight' || strategy.kind === 'lock' ? 1 : null,
    predictedHitRatio: strategy.kind === 'xfetch' ? null : sim.hitRatio,
    lockWaits,
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
  const { loads, expiries, lockWaits } = run.cache;
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
    loadsPerExpiry: expiries > 0 ? loads / expiries : null,
    loadsPerExpiryInterval: expiries > 0 && smallSample(expiries) ? loadsPerExpiryInterval(loads, expiries) : null,
    predictedLoadsPerExpiry: predictedLoads(strategy, sampler.probabilities, rateUsed, ttlMs, run.loadMs),
    lockWaits,
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

function stampedeTable(section: StampedeResult): TableData {
  const rows = section.rows;
  const notes: string[] = [...(section.traceNotes ?? [])];
  for (const r of rows) {
    const at = `${r.strategy} at TTL ${formatTtl(r.ttlMs)}`;
    if (r.lengthened)
      notes.push(`${at}: window lengthened to ${formatTtl(r.windowMs)} to see about ${MIN_EVENTS} expiries`);
    if (r.expiries < MIN_EVENTS)
      notes.push(`${at}: only ${r.expiries} expiries — a small sample, read its ratio with care`);
  }
  notes.push(...capacityNotes(rows, (i) => `${rows[i]?.strategy} at TTL ${formatTtl(rows[i]?.ttlMs ?? null)}`));
  notes.push(...harnessNotes(rows, (i) => `${rows[i]?.strategy} at TTL ${formatTtl(rows[i]?.ttlMs ?? null)}`));
  return {
    title: section.trace
      ? 'stampede (trace replay, keys = the trace keys; predicted loads/expiry 1 when coordinated)'
      : 'stampede (hot keys, slow source; predicted loads/expiry = 1 + λΔ per key with Δ measured, 1 when coordinated)',
    head: [
      'strategy',
      'TTL',
      'hot keys',
      'window',
      'expiries',
      'loads',
      'loads/expiry',
      'predicted',
      'hit ratio',
      ...(section.trace ? ['predicted hit ratio'] : []),
      'p99 ms',
    ],
    rows: rows.map((r) => [
      r.strategy,
      formatTtl(r.ttlMs),
      r.hotKeys === undefined ? NA : fmtCount(r.hotKeys),
      r.windowMs === undefined ? NA : formatTtl(r.windowMs),
      fmtCount(r.expiries),
      fmtCount(r.loads),
      fmtWithInterval(r.loadsPerExpiry, r.loadsPerExpiryInterval ?? null),
      r.predictedLoadsPerExpiry === null ? NA : r.predictedLoadsPerExpiry.toFixed(2),
      fmtRatio(r.hitRatio),
      ...(section.trace ? [fmtRatio(r.predictedHitRatio ?? null)] : []),
      fmtMs(r.p99Ms),
    ]),
    notes,
  };
}
