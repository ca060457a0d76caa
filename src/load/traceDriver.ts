/**
 * The open loop of a trace replay: each request leaves at its own intended
 * time (the trace's timestamp ÷ --speedup, or a Poisson arrival at --rate in
 * the trace's order) and is timed from it, like every open loop here
 * (`runScheduled`). The times are computed before the row starts, so the
 * simulator predicting the row replays exactly the same requests.
 */
import type { TraceTiming } from '../config/types.ts';
import type { Rng } from '../workload/rng.ts';
import { type Clock, realClock } from './clock.ts';
import { type DriverReport, type LoadWindow, type RequestHooks, runScheduled, type Schedule } from './drivers.ts';

/** How the replay is timed: the trace's own clock, K times faster, or Poisson at `rate` (run units). */
export type ReplayTiming =
  | { kind: Extract<TraceTiming, 'trace'>; speedup: number }
  | { kind: 'rate'; rate: number; rng: Rng };

/** The intended time of each of the first `count` requests, ms from the row's start. */
export function replayTimes(traceTimesMs: Float64Array, count: number, timing: ReplayTiming): Float64Array {
  const times = new Float64Array(count);
  if (timing.kind === 'trace') {
    for (let i = 0; i < count; i++) times[i] = (traceTimesMs[i] as number) / timing.speedup;
    return times;
  }
  const meanGapMs = 1000 / timing.rate;
  let t = 0;
  for (let i = 0; i < count; i++) {
    times[i] = t;
    t += timing.rng.exponential(meanGapMs);
  }
  return times;
}

/** A schedule over fixed times (ms from the loop's start); request i of the loop is time i. */
export function arraySchedule(timesMs: Float64Array): Schedule {
  let next = 0;
  let origin = Number.NaN;
  return (previous) => {
    // The loop asks first with its start time: the origin of the times.
    if (Number.isNaN(origin)) origin = previous;
    return next < timesMs.length ? origin + (timesMs[next++] as number) : undefined;
  };
}

/** Sends request i at `timesMs[i]`; `hooks.send(i)` gets the trace index. Ends with the times or the window. */
export function runReplay<T>(
  timesMs: Float64Array,
  window: LoadWindow,
  hooks: RequestHooks<T>,
  clock: Clock = realClock,
): Promise<DriverReport> {
  return runScheduled(arraySchedule(timesMs), null, window, hooks, clock);
}
