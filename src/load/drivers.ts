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

/** When each request of an open loop is meant to leave, ms on the driver's clock; undefined when there are no more. */
export type Schedule = (previous: number) => number | undefined;

/** Poisson arrivals at `rate` per second: exponential gaps drawn from `rng`. */
export function poissonSchedule(rate: number, rng: Rng): Schedule {
  const meanGapMs = 1000 / rate;
  return (previous) => previous + rng.exponential(meanGapMs);
}

export function runOpenLoop<T>(
  rate: number,
  window: LoadWindow,
  rng: Rng,
  hooks: RequestHooks<T>,
  clock: Clock = realClock,
): Promise<DriverReport> {
  return runScheduled(poissonSchedule(rate, rng), rate, window, hooks, clock);
}

/**
 * An open loop over any schedule (Poisson, or a trace's timestamps): every
 * request due is sent at once, each timed from its intended time.
 */
export async function runScheduled<T>(
  schedule: Schedule,
  targetRate: number | null,
  window: LoadWindow,
  hooks: RequestHooks<T>,
  clock: Clock = realClock,
): Promise<DriverReport> {
  const loop = new OpenLoop(window, hooks, clock);
  let intended = schedule(loop.start);
  while (intended !== undefined && intended < loop.end && !hooks.signal?.aborted) {
    const now = clock.now();
    if (intended > now) {
      await clock.sleepUntil(intended);
      continue;
    }
    // Awaited only once, when the measured window opens: the send itself stays synchronous.
    if (loop.opens(intended)) await loop.openWindow();
    loop.send(intended, now);
    intended = schedule(intended);
  }
  return loop.finish(targetRate);
}

/** The bookkeeping of one open loop: what was sent when, what is still in flight. */
class OpenLoop<T> {
  readonly start: number;
  readonly end: number;
  readonly measureFrom: number;
  // In-flight requests are counted, not kept: the loop must stay cheap at tens of thousands per second.
  private pending = 0;
  private drained: (() => void) | undefined;
  private lastSent: number;
  private index = 0;
  private measured = 0;
  private late = 0;
  private veryLate = 0;
  private errors = 0;
  private windowOpened = false;
  private lastProgress: number;

  constructor(
    private readonly window: LoadWindow,
    private readonly hooks: RequestHooks<T>,
    private readonly clock: Clock,
  ) {
    this.start = clock.now();
    this.measureFrom = this.start + window.warmupMs;
    this.end = this.measureFrom + window.durationMs;
    this.lastSent = this.measureFrom;
    this.lastProgress = this.start;
  }

  private readonly settle = () => {
    if (--this.pending === 0) this.drained?.();
  };

  /** Whether sending at `intended` opens the measured window. */
  opens(intended: number): boolean {
    return !this.windowOpened && intended >= this.measureFrom;
  }

  async openWindow(): Promise<void> {
    this.windowOpened = true;
    await this.hooks.onMeasureStart?.();
  }

  send(intended: number, now: number): void {
    const { hooks, clock } = this;
    const inWindow = intended >= this.measureFrom;
    if (inWindow) {
      this.measured++;
      this.lastSent = now;
      const lateness = now - intended;
      if (lateness > LATE_MS) this.late++;
      if (lateness > VERY_LATE_MS) this.veryLate++;
      hooks.onSent?.(lateness);
    }
    this.pending++;
    hooks.send(this.index++).then(
      (result) => {
        const doneAt = clock.now();
        hooks.done(result, doneAt - intended, doneAt - now, inWindow);
        this.settle();
      },
      () => {
        this.errors++;
        this.settle();
      },
    );
    if (hooks.onProgress && now - this.lastProgress > 100) {
      this.lastProgress = now;
      hooks.onProgress((now - this.start) / (this.end - this.start));
    }
  }

  async finish(targetRate: number | null): Promise<DriverReport> {
    const { hooks, clock, window } = this;
    if (!this.windowOpened && !hooks.signal?.aborted) await hooks.onMeasureStart?.();
    // A driver that fell behind sent its last measured request after the window closed:
    // the rate it achieved is over the time it really took.
    const measuredWindowMs = hooks.signal?.aborted
      ? measuredSpan(clock.now(), this.measureFrom, window.durationMs)
      : Math.max(window.durationMs, this.lastSent - this.measureFrom);
    if (this.pending > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    return {
      mode: 'open',
      targetRate,
      measuredRequests: this.measured,
      achievedRate: this.measured / (measuredWindowMs / 1000),
      lateSends: this.late,
      veryLateSends: this.veryLate,
      errors: this.errors,
      measuredWindowMs,
    };
  }
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
