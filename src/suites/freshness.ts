/**
 * `freshness`: what a TTL costs in stale reads. Writers update source rows
 * while reads run; every cached value carries its row version, and each hit
 * is checked against the source after its latency was taken. Rows per TTL ×
 * invalidation strategy (`ttl`: nothing on write; `delete`: DEL after the
 * update; `write-through`: SET the new row after the update).
 *
 * A stale hit under `delete` or `write-through` is the reader–writer race (a
 * reader that loaded the old row stores it after the writer's delete): it is
 * counted separately and predicted to first order (μ·δ·h per key).
 */
import { z } from 'zod';
import { formatTtl } from '../config/duration.ts';
import type { Invalidation, TtlMs } from '../config/types.ts';
import { clopperPearson } from '../metrics/counts.ts';
import { fmtCount, fmtMs, fmtPct, fmtRatio } from '../metrics/format.ts';
import type { HarnessReport } from '../metrics/harness.ts';
import { fmtWithInterval } from '../metrics/intervalFormat.ts';
import { summarize } from '../metrics/latencyHistogram.ts';
import type { Interval } from '../metrics/sample.ts';
import { smallSample } from '../metrics/smallSample.ts';
import { StaleTracker } from '../metrics/staleness.ts';
import { createKeySampler } from '../workload/keySampler.ts';
import { type FreshnessPrediction, predictFreshness } from '../workload/model.ts';
import type { Rng } from '../workload/rng.ts';
import type { TraceProfile } from '../workload/trace/profile.ts';
import { loadShape, required, type SuiteContext } from './context.ts';
import type { ReadRunResult } from './readRun.ts';
import { deriveWarmup, type MemoryFields, memoryFields, ROW_OPTIONS, rowDurationMs, rowService } from './rows.ts';
import { defineSuite, type TableData } from './suite.ts';
import { capacityNotes, harnessNotes } from './tableKit.ts';
import { profileLine } from './traceInput.ts';
import { planReplay, type RowReplay, replayNotes, replaySettings, simulateRow } from './traceReplay.ts';

export interface FreshnessRow extends MemoryFields {
  invalidation: Invalidation;
  ttlMs: TtlMs;
  reads: number;
  writes: number;
  hitRatio: number | null;
  predictedHitRatio: number | null;
  /** Stale reads counted: the events behind `staleReadRatio`. */
  staleReads: number;
  staleReadRatio: number | null;
  /** Its 95% interval when it rests on fewer than 30 stale reads (a small sample), else null. */
  staleReadRatioInterval: Interval | null;
  predictedStaleReadRatio: number | null;
  /** Stale reads served despite delete-on-write or write-through: the reader–writer race. */
  racedStaleReads: number;
  maxStaleAgeMs: number | null;
  p99Ms: number;
  /** Reads/s that reached the source (misses: invalidation's reloads included). Absent in older snapshots. */
  sourceReadsPerSec?: number;
  /** Δ and δ as measured (ms): the load time, and its part from the query to the store. */
  loadMs: number | null;
  raceMs: number | null;
  harness: HarnessReport;
}

export interface FreshnessResult {
  rows: FreshnessRow[];
  /** With --trace: its profile, and what the table says about the replay. */
  trace?: TraceProfile;
  traceNotes?: string[];
}

export const freshness = defineSuite<FreshnessResult>({
  name: 'freshness',
  summary: 'stale reads per TTL and invalidation strategy',
  uses: ['keys', 'dist', 'writeDist', 'ttl', 'writeRate', 'invalidation', 'slidingTtl', ...ROW_OPTIONS],
  defaults: {
    ttl: [500, 2000],
    invalidation: ['ttl', 'delete', 'write-through'],
    rate: 2000,
    writeRate: 100,
    durationMs: 3000,
  },
  derive: deriveWarmup,
  writesSource: true,
  run: runFreshness,
  rowKey: (row) => `${row.invalidation} ttl=${formatTtl(row.ttlMs)}`,
  metrics: [
    { metric: 'hitRatio', unit: 'ratio', worse: 'down' },
    { metric: 'staleReadRatio', unit: 'ratio', worse: 'up' },
    { metric: 'p99Ms', unit: 'ms', worse: 'up' },
  ],
  tables: (section) => [freshnessTable(section)],
  schema: z.looseObject({
    rows: z.array(
      z.looseObject({
        invalidation: z.string(),
        ttlMs: z.number().nullable(),
        hitRatio: z.number().nullable(),
        staleReadRatio: z.number().nullable(),
        p99Ms: z.number(),
      }),
    ),
  }),
});

async function runFreshness(ctx: SuiteContext): Promise<FreshnessResult> {
  const { settings } = ctx;
  // TTL 0 caches nothing, so nothing can be stale.
  const ttls = required(settings, 'ttl').filter((ttl) => ttl !== 0);
  const replay = planReplay(ctx, ctx.rng.fork('freshness:trace'));
  const rows: FreshnessRow[] = [];
  const traced = replay
    ? {
        trace: replay.loaded.profile,
        traceNotes: [
          ...replayNotes(ctx, replay),
          `trace ${replay.loaded.profile.file}: ${profileLine(replay.loaded.profile)}`,
        ],
      }
    : {};
  let index = 0;
  for (const ttlMs of ttls) {
    for (const invalidation of required(settings, 'invalidation')) {
      if (ctx.signal.aborted) return { rows, ...traced };
      rows.push(
        replay
          ? await replayRow(ctx, index++, ttlMs, invalidation, replay)
          : await freshnessRow(ctx, index++, ttlMs, invalidation),
      );
    }
  }
  return { rows, ...traced };
}

/** A row replaying the trace, its writes through `invalidation`; predicted by the simulator on the same requests. */
async function replayRow(
  ctx: SuiteContext,
  index: number,
  ttlMs: TtlMs,
  invalidation: Invalidation,
  replay: RowReplay,
): Promise<FreshnessRow> {
  const rng = ctx.rng.fork(`freshness:${index}`);
  const { source, service } = rowService(ctx, { suite: 'freshness', index, ttlMs, rng });
  const staleness = new StaleTracker(source);
  const run = await ctx.lab.measureRow(`freshness trace ${invalidation} ttl=${formatTtl(ttlMs)}`, {
    service,
    source,
    replay: replaySettings(replay, source, service, invalidation),
    window: replay.window,
    rng,
    onMeasuredHit(id, result) {
      staleness.checkHit(id, result.version ?? 0);
    },
  });
  const sim = simulateRow(replay, run, { ttlMs, sliding: ctx.settings.slidingTtl, invalidation });
  return { invalidation, ttlMs, ...figures(run, staleness, sim, invalidation) };
}

async function freshnessRow(
  ctx: SuiteContext,
  index: number,
  ttlMs: TtlMs,
  invalidation: Invalidation,
): Promise<FreshnessRow> {
  const { settings } = ctx;
  const rng = ctx.rng.fork(`freshness:${index}`);
  const { sampler, writeSampler } = freshnessSamplers(settings, rng);
  const { source, service } = rowService(ctx, { suite: 'freshness', index, ttlMs, rng });
  const staleness = new StaleTracker(source);
  const load = loadShape(settings);
  const window = {
    warmupMs: required(settings, 'warmupMs'),
    durationMs: rowDurationMs(required(settings, 'durationMs'), ttlMs),
  };
  const writeRate = required(settings, 'writeRate');
  const run = await ctx.lab.measureRow(`freshness ${invalidation} ttl=${formatTtl(ttlMs)}`, {
    service,
    source,
    sampler,
    load,
    window,
    rng,
    writer: {
      rate: writeRate,
      sampler: writeSampler,
      async write(id) {
        await service.onWrite(id, invalidation, await source.update(id));
      },
    },
    onMeasuredHit(id, result) {
      staleness.checkHit(id, result.version ?? 0);
    },
  });
  const predicted = predictFreshness({
    probabilities: sampler.probabilities,
    rate: 'rate' in load ? load.rate : run.driver.achievedRate,
    ttlMs,
    sliding: settings.slidingTtl,
    windowMs: window,
    writeProbabilities: writeSampler.probabilities,
    writeRate,
    invalidation,
    loadMs: run.loadMs ?? undefined,
    raceMs: run.raceMs ?? undefined,
  });
  return { invalidation, ttlMs, ...figures(run, staleness, predicted, invalidation) };
}

function figures(
  run: ReadRunResult,
  staleness: StaleTracker,
  predicted: FreshnessPrediction,
  invalidation: Invalidation,
): Omit<FreshnessRow, 'invalidation' | 'ttlMs'> {
  return {
    ...memoryFields(run),
    reads: run.reads,
    writes: run.writes,
    hitRatio: run.hitRatio,
    predictedHitRatio: predicted.hitRatio,
    staleReads: staleness.stale,
    staleReadRatio: run.reads > 0 ? staleness.stale / run.reads : null,
    staleReadRatioInterval:
      run.reads > 0 && smallSample(staleness.stale) ? clopperPearson(staleness.stale, run.reads) : null,
    predictedStaleReadRatio: predicted.staleReadRatio,
    racedStaleReads: invalidation === 'ttl' ? 0 : staleness.stale,
    maxStaleAgeMs: staleness.maxAgeMs,
    p99Ms: summarize(run.all).p99Ms,
    sourceReadsPerSec: run.sourceReadsPerSec,
    loadMs: run.loadMs,
    raceMs: run.raceMs,
    harness: run.harness,
  };
}

/**
 * Reads' keys, and writes' keys: the same hot rows as the reads unless a
 * write distribution of their own is given. Exported so the answer predicts
 * staleness on exactly the popularity this suite drew from.
 */
export function freshnessSamplers(settings: SuiteContext['settings'], rng: Rng) {
  const keys = required(settings, 'keys');
  const sampler = createKeySampler(required(settings, 'dist'), keys, rng.fork('keys'));
  const writeSampler = settings.writeDist
    ? createKeySampler(settings.writeDist, keys, rng.fork('write-keys'))
    : sampler.withRng(rng.fork('write-keys'));
  return { sampler, writeSampler };
}

function freshnessTable(section: FreshnessResult): TableData {
  const rows = section.rows;
  const notes = [...(section.traceNotes ?? [])];
  notes.push(
    ...rows
      .filter((r) => r.racedStaleReads > 0)
      .map(
        (r) =>
          `${r.invalidation} at TTL ${formatTtl(r.ttlMs)}: ${fmtCount(r.racedStaleReads)} stale reads despite invalidation — a reader loaded the old row and stored it after the writer's ${r.invalidation === 'delete' ? 'delete' : 'set'} (the race leases close)`,
      ),
  );
  notes.push(...capacityNotes(rows, (i) => `${rows[i]?.invalidation} at TTL ${formatTtl(rows[i]?.ttlMs ?? null)}`));
  notes.push(...harnessNotes(rows, (i) => `${rows[i]?.invalidation} at TTL ${formatTtl(rows[i]?.ttlMs ?? null)}`));
  if (rows.some((r) => r.staleReadRatioInterval)) {
    notes.push('a stale-read ratio built on under 30 stale reads is shown with its 95% interval (Clopper–Pearson)');
  }
  return {
    title: section.trace
      ? 'freshness (trace replay; stale = a hit older than the source row; predicted = the simulator on the same requests)'
      : 'freshness (stale = a hit older than the source row; ratios over all reads)',
    head: [
      'invalidation',
      'TTL',
      'writes',
      'hit ratio',
      'predicted',
      'stale reads',
      'predicted',
      'raced',
      'max stale age ms',
      'p99 ms',
    ],
    rows: rows.map((r) => [
      r.invalidation,
      formatTtl(r.ttlMs),
      fmtCount(r.writes),
      fmtRatio(r.hitRatio),
      fmtRatio(r.predictedHitRatio),
      fmtWithInterval(r.staleReadRatio, r.staleReadRatioInterval ?? null, (v) => fmtPct(v)),
      fmtPct(r.predictedStaleReadRatio),
      fmtCount(r.racedStaleReads),
      fmtMs(r.maxStaleAgeMs),
      fmtMs(r.p99Ms),
    ]),
    notes,
  };
}
