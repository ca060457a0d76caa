/** Small rules the suites share: how long a row warms up, how a TTL is written. */
import type { TtlMs } from '../config/types.ts';

/**
 * Warm-up of a row when `--warmup` is not given: at least the row's TTL (the
 * model's steady state needs one full TTL), at least 500 ms, and 1 s for no
 * expiry (whose prediction accounts for the window instead).
 */
export function rowWarmupMs(ttlMs: TtlMs): number {
  if (ttlMs === 0) return 250;
  if (ttlMs === null) return 1000;
  return Math.max(500, ttlMs);
}

/**
 * The measured window of a row: at least `durationMs`, rounded up to whole
 * TTLs. Hot keys expire almost in step (every T plus a few ms), so a window
 * that ends mid-cycle over- or under-counts their misses and their stale
 * hits; whole cycles keep the measurement comparable with the steady-state
 * model.
 */
export function rowDurationMs(durationMs: number, ttlMs: TtlMs): number {
  if (ttlMs === null || ttlMs === 0 || ttlMs > durationMs) return durationMs;
  return Math.ceil(durationMs / ttlMs - 1e-9) * ttlMs;
}

/** `0 (no cache)`, `none`, `250ms`, `2s`, `5m`, `1.5h`. */
export function formatTtl(ttlMs: TtlMs): string {
  if (ttlMs === null) return 'none';
  if (ttlMs === 0) return '0';
  return formatDuration(ttlMs);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${round(ms)}ms`;
  if (ms < 60_000) return `${round(ms / 1000)}s`;
  if (ms < 3_600_000) return `${round(ms / 60_000)}m`;
  return `${round(ms / 3_600_000)}h`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
