/**
 * HdrHistogram's percentile plot: latency against percentile, the x axis
 * logarithmic in 1/(1−p) so that 90%, 99%, 99.9% and 99.99% are equally far
 * apart and the tail gets the room it deserves (the layout of HdrHistogram's
 * own plotFiles.html). Values come straight from the histogram at each x, so
 * nothing is interpolated beyond the histogram's 3 significant digits.
 */
import type { Histogram } from '../../metrics/latencyHistogram.ts';
import type { FrameSpec } from './frame.ts';
import { type LinePoint, lineChart } from './lineChart.ts';
import type { MarkerShape } from './marks.ts';
import type { Tick } from './scales.ts';
import type { LineStyle } from './theme.ts';

export interface PercentileSeries {
  label: string;
  color: string;
  line: LineStyle;
  marker?: MarkerShape;
  hollow?: boolean;
  /** Values in microseconds, as the harness records them; drawn in ms. */
  histogram: Histogram;
}

export interface PercentilePlotSpec extends Omit<FrameSpec, 'legend'> {
  series: PercentileSeries[];
  yLabel?: string;
}

/** Samples per decade of 1/(1−p): smooth enough at 640 px, ~80 vertices a series. */
const STEPS_PER_DECADE = 20;
/** The axis reaches 99.99% at least, as the issue's plot asks. */
const MIN_DECADES = 4;

/** `50%`, `90%`, `99%`, `99.9%`: the percentile 1 − 1/x as text, for x = 2 or a power of ten. */
export function percentileLabel(x: number): string {
  if (x <= 1) return '0%';
  if (x === 2) return '50%';
  const d = Math.round(Math.log10(x));
  return d === 1 ? '90%' : `99${d > 2 ? `.${'9'.repeat(d - 2)}` : ''}%`;
}

/** The x positions that get a marker and a tick: 50%, then 90%, 99%, ... up to 10^decades. */
function tickPositions(decades: number): number[] {
  return [2, ...Array.from({ length: decades }, (_, i) => 10 ** (i + 1))];
}

function ms(us: number): string {
  const v = us / 1000;
  return v >= 100 ? v.toFixed(0) : v.toPrecision(3);
}

function curve(histogram: Histogram, label: string, decades: number): LinePoint[] {
  const marked = new Set(tickPositions(decades));
  // k / STEPS is an integer at every decade, so 10 ** it is exactly 10, 100, ...
  const xs = Array.from({ length: decades * STEPS_PER_DECADE + 1 }, (_, k) => 10 ** (k / STEPS_PER_DECADE));
  return [...new Set([...xs, 2])].sort((a, b) => a - b).map((x) => percentilePoint(histogram, x, label, marked.has(x)));
}

function percentilePoint(histogram: Histogram, x: number, label: string, marked: boolean): LinePoint {
  const percentile = 100 * (1 - 1 / x);
  const us = histogram.getValueAtPercentile(percentile);
  const point: LinePoint = { x, y: us / 1000 };
  if (marked) point.title = `${label}: p${percentileLabel(x).replace('%', '')} = ${ms(us)} ms`;
  return point;
}

export function percentilePlot(spec: PercentilePlotSpec): string {
  const usable = spec.series.filter((s) => s.histogram.totalCount > 0);
  const most = Math.max(1, ...usable.map((s) => s.histogram.totalCount));
  const decades = Math.max(MIN_DECADES, Math.ceil(Math.log10(most)));
  const ticks: Tick[] = [1, ...tickPositions(decades)].map((value) => ({ value, label: percentileLabel(value) }));
  return lineChart({
    ...spec,
    x: { kind: 'log', label: 'percentile (log scale on 1/(1−p))', domain: [1, 10 ** decades], ticks },
    y: { kind: 'log', label: spec.yLabel ?? 'latency (ms, log scale)' },
    series: usable.map((s) => ({
      label: s.label,
      color: s.color,
      line: s.line,
      marker: s.marker ?? 'circle',
      hollow: s.hollow ?? false,
      points: curve(s.histogram, s.label, decades),
    })),
  });
}
