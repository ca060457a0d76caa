/**
 * The inputs of the TTL model's predictions, validated once per call, and
 * resolved into the per-key form every formula takes (times in seconds).
 */
import type { Invalidation, TtlMs } from '../../config/types.ts';

export interface MeasurementWindow {
  warmupMs: number;
  durationMs: number;
}

export interface HitRatioInput {
  /** Read popularity of each key; sums to 1. */
  probabilities: Float64Array;
  /** Total read rate Λ, per second. */
  rate: number;
  ttlMs: TtlMs;
  /** TTL refreshed on every hit (GETEX ... PX). */
  sliding?: boolean;
  /** Required when `ttlMs` is null. */
  windowMs?: MeasurementWindow;
  /**
   * Load time Δ (ms) of a miss. Reads that arrive while a load is in flight
   * miss too, and the first loader's SET starts the TTL, so with a fixed TTL
   * h = λT / (1 + λ(T + Δ)) (ttl-model.md, "Stampede"). Omitted: Δ = 0.
   */
  loadMs?: number;
}

export interface WritesInput extends HitRatioInput {
  /** Write popularity of each key; same length as `probabilities`. */
  writeProbabilities: Float64Array;
  /** Total source update rate, per second. */
  writeRate: number;
}

export interface StaleReadInput extends WritesInput {
  invalidation: Invalidation;
  /**
   * δ (ms): the part of a load between the source query and the store
   * completing. A write that lands in it leaves the old row cached after
   * the write invalidated it: the reader–writer race. Omitted: 0.
   */
  raceMs?: number;
}

export interface FreshnessPrediction {
  hitRatio: number;
  sourceReadsPerSec: number;
  /** Stale reads over all reads. */
  staleReadRatio: number;
}

/** The inputs every per-key formula needs, validated once per call; times in seconds. */
export interface Resolved {
  mode: 'off' | 'fixed' | 'sliding' | 'forever';
  t: number;
  /** Load time Δ. */
  d: number;
  /** The window (no expiry only). */
  a: number;
  w: number;
}

export function resolve(input: HitRatioInput): Resolved {
  checkRate(input.rate, 'rate');
  const t = checkTtl(input.ttlMs);
  const d = input.loadMs !== undefined && input.loadMs > 0 ? input.loadMs / 1000 : 0;
  if (input.ttlMs === null) return { mode: 'forever', t, d: 0, ...checkWindow(input.windowMs) };
  const mode = t === 0 ? 'off' : input.sliding ? 'sliding' : 'fixed';
  return { mode, t, d, a: 0, w: 0 };
}

export interface Window {
  /** Seconds from the empty cache to the window's start. */
  a: number;
  /** Window length in seconds. */
  w: number;
}

export function checkWindow(windowMs: MeasurementWindow | undefined): Window {
  if (!windowMs) throw new RangeError('a prediction for TTL none (no expiry) needs windowMs');
  return { a: seconds(windowMs.warmupMs, 'warmupMs'), w: seconds(windowMs.durationMs, 'durationMs') };
}

/** TTL in seconds; null (no expiry) is +Infinity. */
export function checkTtl(ttlMs: TtlMs): number {
  return ttlMs === null ? Number.POSITIVE_INFINITY : seconds(ttlMs, 'ttlMs');
}

export function seconds(ms: number, name: string): number {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`${name} must be finite and >= 0, got ${ms}`);
  return ms / 1000;
}

export function checkRate(rate: number, name: string): void {
  if (!(rate >= 0) || !Number.isFinite(rate)) throw new RangeError(`${name} must be finite and >= 0, got ${rate}`);
}

export function checkWrites<T extends WritesInput>(input: T): T {
  const { probabilities, writeProbabilities, writeRate } = input;
  if (writeProbabilities.length !== probabilities.length) {
    throw new RangeError(
      `writeProbabilities has ${writeProbabilities.length} keys, probabilities ${probabilities.length}`,
    );
  }
  checkRate(writeRate, 'writeRate');
  return input;
}
