/**
 * Value axes: a domain, a mapping to pixels and labelled ticks. d3-scale does
 * the arithmetic (nice domains, tick steps); labels come from the chart's own
 * formatter, or d3's tick format, which is fixed-locale and deterministic.
 */
import { scaleLinear, scaleLog } from 'd3-scale';

export interface Tick {
  value: number;
  label: string;
}

export interface ValueAxis {
  kind: 'linear' | 'log';
  /** With its unit, e.g. `p99 latency (ms)`. */
  label: string;
  /** Fixed domain; otherwise from the data (linear axes include 0). */
  domain?: [number, number];
  /** Fixed ticks; otherwise d3's, labelled by `format`. */
  ticks?: Tick[];
  format?: (value: number) => string;
}

export interface Scale {
  map(value: number): number;
  ticks: Tick[];
  domain: [number, number];
}

function extent(values: readonly number[], kind: 'linear' | 'log'): [number, number] {
  const usable = kind === 'log' ? values.filter((v) => v > 0) : values;
  if (usable.length === 0) return kind === 'log' ? [1, 10] : [0, 1];
  let lo = Math.min(...usable);
  let hi = Math.max(...usable);
  if (kind === 'linear') lo = Math.min(0, lo);
  if (lo === hi) [lo, hi] = kind === 'log' ? [lo / 2, hi * 2] : [lo, lo === 0 ? 1 : hi * 1.1];
  return [lo, hi];
}

/** Ticks at 1, 2 and 5 of each decade when d3 offers every integer mantissa. */
function thinLogTicks(ticks: number[]): number[] {
  if (ticks.length <= 7) return ticks;
  const keep = ticks.filter((t) => {
    const mantissa = Math.round(t / 10 ** Math.floor(Math.log10(t) + 1e-9));
    return mantissa === 1 || mantissa === 2 || mantissa === 5;
  });
  if (keep.length <= 9) return keep;
  return ticks.filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
}

/** A value axis over `values`, drawn from pixel `from` to pixel `to`. */
export function valueScale(axis: ValueAxis, values: readonly number[], from: number, to: number): Scale {
  const [lo, hi] = axis.domain ?? extent(values, axis.kind);
  if (axis.kind === 'log') {
    const scale = scaleLog().domain([lo, hi]).range([from, to]);
    if (!axis.domain) scale.nice();
    const [d0, d1] = scale.domain() as [number, number];
    // d3's log tick format writes SI prefixes (100m for 0.1), which reads as a unit here.
    const format = axis.format ?? ((v: number) => String(Number(v.toPrecision(6))));
    const ticks = axis.ticks ?? thinLogTicks(scale.ticks()).map((value) => ({ value, label: format(value) }));
    return { map: (v) => scale(v), ticks, domain: [d0, d1] };
  }
  const scale = scaleLinear().domain([lo, hi]).range([from, to]);
  if (!axis.domain) scale.nice(6);
  const [d0, d1] = scale.domain() as [number, number];
  const format = axis.format ?? scale.tickFormat(6);
  const ticks = axis.ticks ?? scale.ticks(6).map((value) => ({ value, label: format(value) }));
  return { map: (v) => scale(v), ticks, domain: [d0, d1] };
}
