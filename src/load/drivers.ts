/**
 * The two ways load is offered.
 *
 * Open loop: Poisson arrivals at a target rate, each request timed from its
 * *intended* send time, so that a stall in the system (or in this process)
 * shows up as latency instead of silently lowering the offered load — the
 * "coordinated omission" that wrk2 and YCSB's intended-time mode correct.
 *
 * Closed loop: N requests in flight, each sent when the previous one returns;
 * throughput is what the system gives, latency is service time.
 *
 * Both run an unmeasured warm-up first and measure only requests *sent* in
 * the measured window.
 */
import type { Rng } from '../workload/rng.ts';
import { type Clock, realClock } from './clock.ts';

export interface LoadWindow {
  warmupMs: number;
  durationMs: number;
}

export interface RequestHooks<T> {
  /** The request itself; `index` counts every request sent, warm-up included. */
  send(index: number): Promise<T>;
  /**
   * Called when a request completes: `latencyMs` from its intended send time
   * (open loop) or its send (closed loop), `serviceMs` from when it really
   * left, and whether it was sent in the measured window.
   */
  done(result: T, latencyMs: number, serviceMs: number, measured: boolean): void;
  /** Open loop: called for every measured send with how late it left its intended time, in ms. */
  onSent?(latenessMs: number): void;
  /** Called once when the measured window opens (e.g. to read server counters). */
  onMeasureStart?(): void | Promise<void>;
  /** Progress in [0, 1] of warm-up plus measurement, called now and then. */
  onProgress?(fraction: number): void;
  signal?: AbortSignal;
}

export interface DriverReport {
  mode: 'open' | 'closed';
  targetRate: number | null;
  /** Requests sent in the measured window. */
  measuredRequests: number;
  /** Measured requests over the measured window's length, per second. */
  achievedRate: number;
  /** Measured requests that left more than LATE_MS after their intended time. */
  lateSends: number;
  /** Measured requests that left more than VERY_LATE_MS late: the harness, not the system, set the pace. */
  veryLateSends: number;
  /** Requests that threw (the service should not throw; a throw is counted, not fatal). */
  errors: number;
  measuredWindowMs: number;
}

/** A send later than this after its intended time counts as late. */
export const LATE_MS = 1;
/** A send this late means the harness could not keep the schedule. */
export const VERY_LATE_MS = 5;

export async function runOpenLoop<T>(
  rate: number,
  window: LoadWindow,
  rng: Rng,
  hooks: RequestHooks<T>,
  clock: Clock = realClock,
): Promise<DriverReport> {
  const meanGapMs = 1000 / rate;
  const start = clock.now();
  const measureFrom = start + window.warmupMs;
  const end = measureFrom + window.durationMs;
  // In-flight requests are counted, not kept: the loop must stay cheap at tens of thousands per second.
  let pending = 0;
  let drained: (() => void) | undefined;
  const settle = () => {
    if (--pending === 0) drained?.();
  };
  let lastSent = measureFrom;
  let intended = start + rng.exponential(meanGapMs);
  let index = 0;
  let measured = 0;
  let late = 0;
  let veryLate = 0;
  let errors = 0;
  let windowOpened = false;
  let lastProgress = start;

  while (intended < end && !hooks.signal?.aborted) {
    const now = clock.now();
    if (intended > now) {
      await clock.sleepUntil(intended);
      continue;
    }
    const inWindow = intended >= measureFrom;
    if (inWindow && !windowOpened) {
      windowOpened = true;
      await hooks.onMeasureStart?.();
    }
    if (inWindow) {
      measured++;
      lastSent = now;
      const lateness = now - intended;
      if (lateness > LATE_MS) late++;
      if (lateness > VERY_LATE_MS) veryLate++;
      hooks.onSent?.(lateness);
    }
    const sentFor = intended;
    pending++;
    hooks.send(index++).then(
      (result) => {
        const doneAt = clock.now();
        hooks.done(result, doneAt - sentFor, doneAt - now, inWindow);
        settle();
      },
      () => {
        errors++;
        settle();
      },
    );
    intended += rng.exponential(meanGapMs);
    if (hooks.onProgress && now - lastProgress > 100) {
      lastProgress = now;
      hooks.onProgress((now - start) / (end - start));
    }
  }
  if (!windowOpened && !hooks.signal?.aborted) await hooks.onMeasureStart?.();
  // A driver that fell behind sent its last measured request after the window closed:
  // the rate it achieved is over the time it really took.
  const measuredWindowMs = hooks.signal?.aborted
    ? measuredSpan(clock.now(), measureFrom, window.durationMs)
    : Math.max(window.durationMs, lastSent - measureFrom);
  if (pending > 0) await new Promise<void>((resolve) => (drained = resolve));
  return {
    mode: 'open',
    targetRate: rate,
    measuredRequests: measured,
    achievedRate: measured / (measuredWindowMs / 1000),
    lateSends: late,
    veryLateSends: veryLate,
    errors,
    measuredWindowMs,
  };
}

export async function runClosedLoop<T>(
  concurrency: number,
  window: LoadWindow,
  hooks: RequestHooks<T>,
  clock: Clock = realClock,
): Promise<DriverReport> {
  const start = clock.now();
  const measureFrom = start + window.warmupMs;
  const end = measureFrom + window.durationMs;
  let index = 0;
  let measured = 0;
  let errors = 0;
  let windowOpened: Promise<void> | undefined;
  let lastProgress = start;

  const worker = async () => {
    for (let now = clock.now(); now < end && !hooks.signal?.aborted; now = clock.now()) {
      const inWindow = now >= measureFrom;
      if (inWindow) {
        windowOpened ??= Promise.resolve(hooks.onMeasureStart?.());
        await windowOpened;
        measured++;
      }
      const sentAt = clock.now();
      try {
        const result = await hooks.send(index++);
        const ms = clock.now() - sentAt;
        hooks.done(result, ms, ms, inWindow);
      } catch {
        errors++;
      }
      if (hooks.onProgress && sentAt - lastProgress > 100) {
        lastProgress = sentAt;
        hooks.onProgress((sentAt - start) / (end - start));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const measuredWindowMs = measuredSpan(clock.now(), measureFrom, window.durationMs);
  return {
    mode: 'closed',
    targetRate: null,
    measuredRequests: measured,
    achievedRate: measured / (measuredWindowMs / 1000),
    lateSends: 0,
    veryLateSends: 0,
    errors,
    measuredWindowMs,
  };
}

/** The measured window's real length: shorter than planned when a run is interrupted. */
function measuredSpan(now: number, measureFrom: number, durationMs: number): number {
  return Math.max(1, Math.min(durationMs, now - measureFrom));
}
