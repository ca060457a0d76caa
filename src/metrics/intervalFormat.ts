/**
 * A figure with its interval, for tables: `1.15 [0.98, 1.34]`, or for
 * repeated runs `1.15 ± 0.19`. The formatter is the column's own (fmtRatio,
 * fmtMs, …) so the interval reads in the figure's digits.
 */

import { NA } from './format.ts';
import type { Interval } from './sample.ts';

type Format = (value: number) => string;

const twoDigits: Format = (value) => value.toFixed(2);

/** `value [lower, upper]`; the plain value when there is no interval, `—` when there is no value. */
export function fmtWithInterval(value: number | null, interval: Interval | null, format: Format = twoDigits): string {
  if (value === null) return NA;
  if (interval === null) return bounded(value, format);
  return `${bounded(value, format)} [${bounded(interval.lower, format)}, ${bounded(interval.upper, format)}]`;
}

/**
 * `value ± half`, with half the larger distance from the value to an end of
 * the interval, so the ± range always contains the interval (an interval
 * that is not centred on the median is not understated on its long side).
 */
export function fmtPlusMinus(value: number | null, interval: Interval | null, format: Format = twoDigits): string {
  if (value === null) return NA;
  if (interval === null) return bounded(value, format);
  const half = Math.max(value - interval.lower, interval.upper - value);
  return `${bounded(value, format)} ± ${bounded(half, format)}`;
}

/** Open ends (a zero count's ratio interval) print as ∞ rather than "Infinity". */
function bounded(value: number, format: Format): string {
  if (value === Number.POSITIVE_INFINITY) return '∞';
  if (value === Number.NEGATIVE_INFINITY) return '−∞';
  return format(value);
}
