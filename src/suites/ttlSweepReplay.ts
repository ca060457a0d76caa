/**
 * ttl-sweep over a trace (`--trace`): each row replays the trace through the
 * cache-aside path, predicted by the simulator on the same requests; the
 * section adds the trace's profile and its simulated TTL curve.
 */
import { formatTtl } from '../config/duration.ts';
import type { Invalidation, TtlMs } from '../config/types.ts';
import { logSpacedTtls } from '../workload/simulator.ts';
import type { SuiteContext } from './context.ts';
import { memoryFields, rowService } from './rows.ts';
import { profileLine } from './traceInput.ts';
import { curveRecommendation, type RowReplay, replayNotes, replaySettings, simulateRow } from './traceReplay.ts';
import { sweepFigures, type TtlSweepRow } from './ttlSweepRow.ts';

/** A row replaying the trace; predicted by the simulator on the same requests. */
export async function replayRow(
  ctx: SuiteContext,
  index: number,
  ttlMs: TtlMs,
  replay: RowReplay,
): Promise<TtlSweepRow> {
  const rng = ctx.rng.fork(`ttl-sweep:${index}`);
  const { source, service } = rowService(ctx, { suite: 'ttl-sweep', index, ttlMs, rng });
  const invalidation = sweepInvalidation(ctx);
  const run = await ctx.lab.measureRow(`ttl-sweep trace ttl=${formatTtl(ttlMs)}`, {
    service,
    source,
    replay: replaySettings(replay, source, service, invalidation),
    window: replay.window,
    rng,
  });
  const simulated = simulateRow(replay, run, { ttlMs, sliding: ctx.settings.slidingTtl, invalidation });
  const readsPerSec = run.reads / (run.driver.measuredWindowMs / 1000);
  const predicted = {
    hitRatio: simulated.hitRatio,
    sourceReadsPerSec: simulated.sourceReadsPerSec,
    basis: 'trace' as const,
  };
  return sweepFigures(ctx, index, ttlMs, run, { predicted, memory: memoryFields(run), readsPerSec, filling: null });
}

/** Writes in a trace follow the first --invalidation (default ttl: a write leaves the cache alone). */
function sweepInvalidation(ctx: SuiteContext): Invalidation {
  return ctx.settings.invalidation?.[0] ?? 'ttl';
}

/** The trace's profile, its whole simulated TTL curve (production units), and the notes its table shows. */
export function traceSweep(ctx: SuiteContext, replay: RowReplay) {
  const { profile } = replay.loaded;
  const spanMs = replay.timesMs.length > 0 ? (replay.timesMs[replay.timesMs.length - 1] as number) : 0;
  // Spaced in production units (100 ms to the trace's length), simulated in run units.
  const curve = logSpacedTtls(spanMs * ctx.speedup).map((ttlMs) => {
    const sim = simulateRow(replay, undefined, {
      ttlMs: ttlMs / ctx.speedup,
      sliding: ctx.settings.slidingTtl,
      invalidation: sweepInvalidation(ctx),
    });
    return {
      ttlMs,
      hitRatio: sim.hitRatio,
      sourceReadsPerSec: sim.sourceReadsPerSec / ctx.speedup,
    };
  });
  const notes = replayNotes(ctx, replay);
  const listed = ctx.settings.invalidation ?? [];
  if (listed.length > 1) notes.push(`writes follow --invalidation ${listed[0]} (ttl-sweep takes the first listed)`);
  notes.push(`trace ${profile.file}: ${profileLine(profile)}`);
  const recommendation = curveRecommendation(curve);
  if (recommendation) notes.push(recommendation);
  return { trace: profile, curve, traceNotes: notes };
}
