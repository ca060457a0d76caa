/**
 * Grouped bar chart: one group per category, one bar per series side by
 * side (measured beside predicted). A missing value leaves a gap marked `—`
 * with its hover text, so "no prediction" never looks like a zero.
 */
import { type FrameSpec, frame, type LegendEntry, type PlotArea, xAxis, yAxis } from './frame.ts';
import { barSwatch, strokeAttrs } from './marks.ts';
import { type Scale, type ValueAxis, valueScale } from './scales.ts';
import type { LineStyle } from './theme.ts';
import { el, text, title } from './xml.ts';

export interface BarSeries {
  label: string;
  color: string;
  /** 1 for a solid bar, 0 for an outline only. */
  fillOpacity: number;
  outline: LineStyle;
  /** One per category; null where the figure does not exist. */
  values: (number | null)[];
  /** Hover text, one per category. */
  titles: string[];
  /** Printed above each bar. */
  valueLabels?: string[];
}

export interface BarChartSpec extends Omit<FrameSpec, 'legend'> {
  categories: string[];
  xLabel: string;
  y: ValueAxis;
  series: BarSeries[];
}

const MAX_BAR = 44;

function drawBar(s: BarSeries, i: number, x: number, width: number, ys: Scale, area: PlotArea): string {
  const value = s.values[i] ?? null;
  const hover = title(s.titles[i] ?? s.label);
  if (value === null) {
    const at = { class: 'cab-text cab-missing', x: x + width / 2, y: area.bottom - 4, 'text-anchor': 'middle' };
    return el('text', at, hover, '—');
  }
  const y = ys.map(value);
  const bar = el(
    'rect',
    {
      class: 'cab-bar',
      ...strokeAttrs(s.color, s.outline, 1.5),
      fill: s.color,
      'fill-opacity': String(s.fillOpacity),
      x: x + 1,
      y: Math.min(y, area.bottom),
      width: width - 2,
      height: Math.abs(area.bottom - y),
    },
    hover,
  );
  const label = s.valueLabels?.[i];
  return label === undefined
    ? bar
    : bar + text({ class: 'cab-text', x: x + width / 2, y: y - 4, 'text-anchor': 'middle', 'font-size': '10' }, label);
}

export function barChart(spec: BarChartSpec): string {
  const legend: LegendEntry[] = spec.series.map((s) => ({
    label: s.label,
    swatch: barSwatch(s.color, s.fillOpacity, s.outline),
  }));
  const values = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  return frame({ ...spec, legend }, (area) => {
    // Headroom for the value labels above the tallest bar.
    const ys = valueScale(spec.y, values.length ? [...values, Math.max(...values) * 1.08] : [], area.bottom, area.top);
    const step = (area.right - area.left) / Math.max(1, spec.categories.length);
    const width = Math.min(MAX_BAR, (step * 0.8) / Math.max(1, spec.series.length));
    const centre = (c: number) => area.left + step * (c + 0.5);
    const groups = spec.series.map((s, k) => {
      const offset = (k - spec.series.length / 2) * width;
      const bars = spec.categories.map((_, c) => drawBar(s, c, centre(c) + offset, width, ys, area));
      const count = s.values.filter((v) => v !== null).length;
      return el('g', { class: 'cab-series', 'data-series': s.label, 'data-points': String(count) }, ...bars);
    });
    const ticks = spec.categories.map((label, c) => ({ x: centre(c), label }));
    return [yAxis(ys, spec.y.label, area), xAxis(ticks, spec.xLabel, area, false), ...groups].join('');
  });
}
