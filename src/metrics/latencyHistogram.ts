/**
 * Read latency in HDR histograms: microsecond resolution, 3 significant
 * digits, up to a minute. Summaries are in milliseconds; the compressed
 * base64 form goes into the snapshot so any percentile can be recomputed and
 * runs can be merged (`decodeFromCompressedBase64` + `add`).
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';

export type { Histogram };

export interface LatencySummary {
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  samples: number;
}

const MAX_TRACKABLE_US = 60_000_000;

export function newLatencyHistogram(): Histogram {
  return build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: MAX_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** Records a latency given in ms; anything below 1 µs counts as 1 µs, above a minute as a minute. */
export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(Math.min(MAX_TRACKABLE_US, Math.max(1, Math.round(ms * 1000))));
}

/** Percentiles in ms. Throws on an empty histogram: a row with no samples is a bug, not a zero. */
export function summarize(histogram: Histogram): LatencySummary {
  if (histogram.totalCount === 0) throw new Error('no latency samples were recorded');
  const ms = (us: number) => us / 1000;
  return {
    meanMs: ms(histogram.mean),
    p50Ms: ms(histogram.getValueAtPercentile(50)),
    p95Ms: ms(histogram.getValueAtPercentile(95)),
    p99Ms: ms(histogram.getValueAtPercentile(99)),
    p999Ms: ms(histogram.getValueAtPercentile(99.9)),
    maxMs: ms(histogram.maxValue),
    samples: histogram.totalCount,
  };
}

export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

/** A percentile in ms, null for an empty histogram. */
export function percentileMs(histogram: Histogram, percentile: number): number | null {
  return histogram.totalCount === 0 ? null : histogram.getValueAtPercentile(percentile) / 1000;
}

/** The inverse of `encodeHistogram`, for reading a snapshot's `histogram` back. Throws on text that is not one. */
export function decodeHistogram(base64: string): Histogram {
  return decodeFromCompressedBase64(base64, 32, false);
}
