/**
 * A suite row that replays a trace (`--trace`) through the real cache-aside
 * path, and its prediction: the simulator (src/workload/simulator.ts) run on
 * the very requests the row sent, at the times it meant to send them, with
 * the load time Δ the row measured. Each row starts from an empty cache (its
 * own key prefix) and replays the selection from its first request; the
 * warm-up, 0 by default with a trace, replays the first D unmeasured.
 */

import type { CacheAsideService } from '../cache/cacheAside.ts';
import { formatTtl } from '../config/duration.ts';
import type { Settings } from '../config/options.ts';
import type { Invalidation, TtlMs } from '../config/types.ts';
import { UsageError } from '../errors.ts';
import type { LoadWindow } from '../load/drivers.ts';
import { replayTimes } from '../load/traceDriver.ts';
import { fmtRate, fmtRatio } from '../metrics/format.ts';
import type { Source } from '../source/source.ts';
import type { Rng } from '../workload/rng.ts';
import { type SimulationResult, simulate } from '../workload/simulator.ts';
import { OP_READ } from '../workload/trace/traceBuilder.ts';
import type { SuiteContext } from './context.ts';
import type { ReadRunResult, ReplaySettings } from './readRun.ts';
import type { LoadedTrace } from './traceInput.ts';

/** What one row replays: the requests, when, and the window that measures them. */
export interface RowReplay {
  loaded: LoadedTrace;
  /** Intended send times (run units, ms from the row's start) of the requests the row sends. */
  timesMs: Float64Array;
  window: LoadWindow;
}

/** Options a trace replaces: given anyway, each gets a note saying it is not used. */
const REPLACED = ['keys', 'hotKeys', 'dist', 'writeDist', 'writeRate'] as const satisfies readonly (keyof Settings)[];

/** The replay plan of a row, or undefined without a trace. Throws a UsageError for what a trace cannot do. */
export function planReplay(ctx: SuiteContext, rng: Rng): RowReplay | undefined {
  const { settings } = ctx;
  const loaded = ctx.trace(settings);
  if (loaded === undefined) return undefined;
  if (settings.concurrency !== undefined) {
    throw new UsageError(
      `--concurrency ${settings.concurrency} with --trace: expected no --concurrency (a trace is replayed open loop, at its own times or at --rate with --trace-timing rate)`,
    );
  }
  const { trace } = loaded;
  const all =
    settings.traceTiming === 'rate'
      ? replayTimes(trace.timeMs, trace.requests, {
          kind: 'rate',
          rate: settings.rate ?? 1000,
          rng: rng.fork('trace-times'),
        })
      : replayTimes(trace.timeMs, trace.requests, { kind: 'trace', speedup: ctx.speedup });
  const warmupMs = settings.warmupMs ?? 0;
  const traceEnd = (all[all.length - 1] as number) + 1;
  const endMs = settings.durationMs === undefined ? traceEnd : Math.min(traceEnd, warmupMs + settings.durationMs);
  if (!(endMs > warmupMs)) {
    throw new UsageError(
      `--warmup ${warmupMs} ms (run units) is as long as the trace (${Math.round(traceEnd)} ms): expected a shorter --warmup, which replays the trace's first part unmeasured`,
    );
  }
  let count = all.length;
  while (count > 0 && (all[count - 1] as number) >= endMs) count--;
  return { loaded, timesMs: all.subarray(0, count), window: { warmupMs, durationMs: endMs - warmupMs } };
}

/** The readRun part of a replayed row: the trace's requests, its writes through `invalidation`. */
export function replaySettings(
  replay: RowReplay,
  source: Source,
  service: CacheAsideService,
  invalidation: Invalidation,
): ReplaySettings {
  const { trace } = replay.loaded;
  return {
    timesMs: replay.timesMs,
    key: trace.key,
    op: trace.op,
    async write(id) {
      await service.onWrite(id, invalidation, await source.update(id));
    },
  };
}

/** The simulator on the requests the row sent, with the Δ and δ it measured. */
export function simulateRow(
  replay: RowReplay,
  run: ReadRunResult | undefined,
  config: { ttlMs: TtlMs; sliding?: boolean; invalidation?: Invalidation },
): SimulationResult {
  const { trace } = replay.loaded;
  const n = replay.timesMs.length;
  const loadMs = run?.loadMs ?? 0;
  return simulate(
    {
      timeMs: replay.timesMs,
      key: trace.key.subarray(0, n),
      op: trace.op.subarray(0, n),
      uniqueKeys: trace.uniqueKeys,
    },
    {
      ...config,
      loadMs,
      readToStoreMs: Math.min(loadMs, run?.raceMs ?? loadMs / 2),
      warmupMs: replay.window.warmupMs,
      durationMs: run?.driver.measuredWindowMs ?? replay.window.durationMs,
    },
  );
}

/** Notes for a replayed suite's table, and the options a trace replaced that were given anyway. */
export function replayNotes(ctx: SuiteContext, replay: RowReplay): string[] {
  const notes: string[] = [];
  const s = ctx.settings;
  const given = REPLACED.filter((key) => s[key] !== undefined);
  if (s.traceTiming !== 'rate' && s.rate !== undefined) (given as string[]).push('rate');
  if (given.length > 0) notes.push(`not used with --trace (the trace sets them): ${given.join(', ')}`);
  notes.push(warmupNote(replay));
  return notes;
}

function warmupNote(replay: RowReplay): string {
  const w = replay.window.warmupMs;
  return w === 0
    ? 'warm-up 0 (the default with a trace): each row replays the trace from an empty cache and counts from its first request'
    : `warm-up ${w} ms: each row replays the trace's first ${w} ms (run units) from an empty cache, unmeasured`;
}

/**
 * Reads in the measured window that are the first request for their key
 * (under write-through, the first unless a write stored the row before): each
 * finds an empty cache and loads once, a cold miss, not an expiry. Stampede
 * rows leave them out of loads per expiry.
 */
export function coldReads(replay: RowReplay, invalidation: Invalidation): number {
  const { key, op, uniqueKeys } = replay.loaded.trace;
  const seen = new Uint8Array(uniqueKeys + 1);
  const times = replay.timesMs;
  const from = replay.window.warmupMs;
  let cold = 0;
  for (let i = 0; i < times.length; i++) {
    const k = key[i] as number;
    if (seen[k] === 1) continue;
    if (op[i] === OP_READ) {
      seen[k] = 1;
      if ((times[i] as number) >= from) cold++;
    } else if (invalidation === 'write-through') seen[k] = 1;
  }
  return cold;
}

/**
 * With a trace: the shortest TTL of the simulated curve (~20 log-spaced TTLs
 * over the trace, production units) reaching `share` of its best hit ratio.
 */
export function curveRecommendation(
  curve: readonly { ttlMs: number; hitRatio: number; sourceReadsPerSec: number }[],
  share = 0.9,
): string | undefined {
  if (curve.length === 0) return undefined;
  const best = curve.reduce((a, b) => (b.hitRatio > a.hitRatio ? b : a));
  const pick = [...curve].sort((a, b) => a.ttlMs - b.ttlMs).find((p) => p.hitRatio >= share * best.hitRatio);
  if (!pick || best.hitRatio === 0) return undefined;
  const span = `${curve.length} TTLs from ${formatTtl(curve[0]?.ttlMs ?? 0)} to ${formatTtl(curve[curve.length - 1]?.ttlMs ?? 0)}`;
  return (
    `simulated curve (${span}, predicted): TTL ${formatTtl(pick.ttlMs)} is the shortest that reaches ${Math.round(share * 100)}% of its best hit ratio ` +
    `(${fmtRatio(pick.hitRatio)} vs ${fmtRatio(best.hitRatio)} at ${formatTtl(best.ttlMs)}), with ${fmtRate(pick.sourceReadsPerSec)} source reads/s`
  );
}
