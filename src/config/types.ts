/**
 * The value types options take. The options themselves, with their flags,
 * scenario fields, parsers, defaults and help, are declared once in
 * `options.ts`; their resolved record, `Settings`, is derived from there.
 */

/** `0` means no cache (reads go straight to the source), `null` means no expiry. */
export type TtlMs = number | null;

export type KeyDistribution =
  | { kind: 'uniform' }
  | { kind: 'zipf'; s: number }
  | { kind: 'hotspot'; hotFraction: number; hotOpsFraction: number };

export type LatencySpec =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'exp'; meanMs: number };

export type Invalidation = 'ttl' | 'delete' | 'write-through';
export const INVALIDATIONS: readonly Invalidation[] = ['ttl', 'delete', 'write-through'];

export type StampedeStrategy =
  | { kind: 'none' }
  | { kind: 'single-flight' }
  | { kind: 'lock' }
  | { kind: 'xfetch'; beta: number };

/** How sleeps end on time: the loop sleeps while nothing is in flight (default, lightest), a timer thread, or a spinning event loop (punctual, a whole core). */
export type TimerMode = 'wait' | 'thread' | 'spin';
export const TIMER_MODES: readonly TimerMode[] = ['wait', 'thread', 'spin'];

/** The trace layouts `--trace-format` names (src/workload/trace/formats.ts reads them). */
export type TraceFormat = 'csv' | 'twitter' | 'cachebench';
export const TRACE_FORMATS: readonly TraceFormat[] = ['csv', 'twitter', 'cachebench'];

/** `trace`: the trace's own timestamps (÷ --speedup); `rate`: its order, Poisson at --rate. */
export type TraceTiming = 'trace' | 'rate';
export const TRACE_TIMINGS: readonly TraceTiming[] = ['trace', 'rate'];

/** Seconds from the trace's first request: [startSec, endSec). */
export interface TraceWindow {
  startSec: number;
  endSec: number;
}
