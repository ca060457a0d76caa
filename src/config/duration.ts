/**
 * Durations and TTLs, read and written: `250ms`, `2s`, `5m`, `1h`, `500us`.
 * The writer is the parser's inverse (the shortest exact spelling), and the
 * only duration formatter in the code base, so a TTL reads the same in a
 * table, a message, the help and a snapshot's settings.
 */

import { fail } from './messages.ts';
import type { TtlMs } from './types.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: SECOND, m: MINUTE, h: HOUR };
const DURATION = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)$/;
export const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

export const MAX_TTLS = 20;
export const MAX_TTL_MS = 30 * 24 * HOUR;
export const MAX_RUN_MS = 24 * HOUR;
const DURATION_EXAMPLE = 'a duration such as 250ms, 2s, 5m or 1h';

/** `250ms`, `2s`, `0.5s`, `500us` in milliseconds; undefined when the text is not one. */
export function readDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const [, amount = '', unit = ''] = match;
  // Round to the microsecond so that 1.1s is 1100, not 1100.0000000000002.
  return Math.round(Number(amount) * (UNIT_MS[unit] ?? Number.NaN) * 1000) / 1000;
}

/** `1500` → `1.5s`, `60000` → `1m`, `0.5` → `0.5ms`: the shortest exact spelling `readDuration` reads back. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['h', HOUR],
    ['m', MINUTE],
    ['s', SECOND],
  ] as const) {
    if (ms >= size && Number.isInteger(Math.round((ms / size) * 1e9) / 1e6)) return `${trim(ms / size)}${unit}`;
  }
  return `${trim(ms)}ms`;
}

/** At most three decimals, no trailing zeros: 1.3333333 → 1.333. */
function trim(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** `0` (no cache), `none` (no expiry), else the duration. */
export function formatTtl(ttlMs: TtlMs): string {
  if (ttlMs === null) return 'none';
  return ttlMs === 0 ? '0' : formatDuration(ttlMs);
}

export function parseDuration(label: string, raw: string, minMs: number, maxMs: number): number {
  const expected = `${DURATION_EXAMPLE}, from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`;
  const ms = readDuration(raw.trim());
  if (ms === undefined) {
    const hint = DECIMAL.test(raw.trim()) ? 'a duration needs a unit' : undefined;
    return fail(label, raw, expected, hint);
  }
  if (ms < minMs || ms > maxMs) return fail(label, raw, expected);
  return ms;
}

export function parseTtlList(label: string, raw: string): TtlMs[] {
  const expected = 'a comma list of durations such as 0,250ms,2s,5m or none';
  const items = raw.split(',').map((item) => item.trim());
  if (items.length > MAX_TTLS) return fail(label, raw, expected, `${items.length} TTLs, at most ${MAX_TTLS}`);
  const ttls: TtlMs[] = [];
  for (const item of items) {
    if (item === '') return fail(label, raw, expected, 'empty item');
    const ttl = readTtl(label, raw, expected, item);
    if (ttls.includes(ttl)) return fail(label, raw, expected, `${item} is given twice`);
    ttls.push(ttl);
  }
  return ttls;
}

function readTtl(label: string, raw: string, expected: string, item: string): TtlMs {
  if (item === '0') return 0;
  if (item === 'none') return null;
  const ms = readDuration(item);
  if (item.startsWith('-')) return fail(label, raw, expected, `${item} is negative`);
  if (ms === undefined) return fail(label, raw, expected, `${item} is not a TTL`);
  // Redis expires in whole milliseconds (PX); 0 is spelled `0`, not `0ms`.
  if (!Number.isInteger(ms) || ms < 1) return fail(label, raw, expected, `${item} is not a whole number of ms`);
  if (ms > MAX_TTL_MS) return fail(label, raw, expected, `${item} is over ${formatDuration(MAX_TTL_MS)}`);
  return ms;
}

export function formatTtlList(ttls: readonly TtlMs[]): string {
  return ttls.map(formatTtl).join(',');
}
