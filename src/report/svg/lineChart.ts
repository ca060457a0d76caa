/**
 * Line and point chart: series of (x, y) over a log, linear or categorical x
 * axis. A value x axis can end with one labelled category placed after a
 * break at the right (a TTL of `none`: no expiry, beyond every finite TTL),
 * and horizontal reference lines mark levels that have no x (TTL 0: no cache).
 */
import { type FrameSpec, frame, type LegendEntry, type PlotArea, xAxis, yAxis } from './frame.ts';
import { lineSwatch, type MarkerShape, marker, strokeAttrs } from './marks.ts';
import { type Scale, type ValueAxis, valueScale } from './scales.ts';
import { CHAR_WIDTH, type LineStyle, NEUTRAL } from './theme.ts';
import { el, polyline, text, title } from './xml.ts';

export interface LinePoint {
  /** A number on a value axis, its `end` label, or a category. */
  x: number | string;
  y: number;
  /** Hover text; a point with one gets a marker, a point without is only a vertex of the line. */
  title?: string;
}

export interface LineSeries {
  label: string;
  color: string;
  line: LineStyle;
  marker: MarkerShape;
  hollow?: boolean;
  points: LinePoint[];
}

export interface RefLine {
  y: number;
  label: string;
  title: string;
  color?: string;
  line?: LineStyle;
}

export type XAxis =
  | (ValueAxis & { /** Label of a category drawn at the right end, after a break. */ end?: string })
  | { kind: 'category'; label: string; categories: string[] };

export interface LineChartSpec extends Omit<FrameSpec, 'legend'> {
  x: XAxis;
  y: ValueAxis;
  series: LineSeries[];
  refs?: RefLine[];
}

interface XScale {
  map(x: number | string): number | undefined;
  ticks: { x: number; label: string }[];
  /** Pixel x of the axis break before the `end` category. */
  breakAt?: number;
}

/** Room at the right for the `end` category: the break, then the category. */
const END_ROOM = 60;

function xScale(axis: XAxis, points: readonly LinePoint[], area: PlotArea): XScale {
  if (axis.kind === 'category') {
    const step = (area.right - area.left) / Math.max(1, axis.categories.length);
    const at = (i: number) => area.left + step * (i + 0.5);
    const index = new Map(axis.categories.map((c, i) => [c, at(i)]));
    return {
      map: (x) => (typeof x === 'string' ? index.get(x) : undefined),
      ticks: axis.categories.map((label, i) => ({ x: at(i), label })),
    };
  }
  const values = points.flatMap((p) => (typeof p.x === 'number' ? [p.x] : []));
  const right = axis.end === undefined ? area.right - 12 : area.right - END_ROOM;
  const scale: Scale = valueScale(axis, values, area.left + 12, right);
  const endX = area.right - 20;
  const ticks = scale.ticks.map((t) => ({ x: scale.map(t.value), label: t.label }));
  if (axis.end !== undefined) ticks.push({ x: endX, label: axis.end });
  return {
    map: (x) => (typeof x === 'number' ? scale.map(x) : x === axis.end ? endX : undefined),
    ticks,
    ...(axis.end === undefined ? {} : { breakAt: right + (endX - right) / 2 }),
  };
}

/** Two slanted strokes across the x axis: the axis does not continue to the `end` category. */
function axisBreak(x: number, y: number): string {
  const stroke = (dx: number) =>
    el('line', { class: 'cab-axis', x1: x + dx - 3, y1: y + 5, x2: x + dx + 3, y2: y - 5 });
  return el('g', { class: 'cab-break' }, stroke(-3), stroke(3));
}

function drawSeries(s: LineSeries, xs: XScale, ys: Scale, breakAt: number | undefined): string {
  const placed = s.points.flatMap((p) => {
    const x = xs.map(p.x);
    const y = ys.map(p.y);
    return x === undefined || !Number.isFinite(y) ? [] : [{ x, y, p }];
  });
  // The line does not cross the axis break: nothing was measured between the last finite TTL and `none`.
  const before = placed.filter((q) => breakAt === undefined || q.x < breakAt);
  const after = placed.filter((q) => breakAt !== undefined && q.x > breakAt);
  const lines: string[] = [];
  if (s.line !== 'none' && before.length > 1) {
    lines.push(el('path', { ...strokeAttrs(s.color, s.line), d: polyline(before.map((q) => [q.x, q.y])) }));
  }
  if (s.line !== 'none' && s.marker === 'none') {
    for (const q of after)
      lines.push(el('line', { ...strokeAttrs(s.color, s.line), x1: q.x - 10, x2: q.x + 10, y1: q.y, y2: q.y }));
  }
  const marks = placed
    .filter((q) => q.p.title !== undefined)
    .map((q) => marker(s.marker, q.x, q.y, s.color, s.hollow === true, q.p.title));
  return el(
    'g',
    { class: 'cab-series', 'data-series': s.label, 'data-points': String(marks.length) },
    ...lines,
    ...marks,
  );
}

function drawRef(r: RefLine, ys: Scale, area: PlotArea, labelX: number): string {
  const y = ys.map(r.y);
  const color = r.color ?? NEUTRAL;
  return el(
    'g',
    { class: 'cab-ref', 'data-ref': r.label },
    title(r.title),
    el('line', { ...strokeAttrs(color, r.line ?? 'dashed', 1.5), x1: area.left, x2: area.right, y1: y, y2: y }),
    text({ x: labelX, y: y - 6, fill: color }, r.label),
  );
}

/** Reference labels side by side, so two levels that coincide (OLD and NEW uncached) stay legible. */
function refLabelX(refs: readonly RefLine[], index: number, area: PlotArea): number {
  const before = refs.slice(0, index).reduce((sum, r) => sum + r.label.length * CHAR_WIDTH + 16, 0);
  return area.left + 6 + before;
}

export function lineChart(spec: LineChartSpec): string {
  const points = spec.series.flatMap((s) => s.points);
  const refs = spec.refs ?? [];
  const legend: LegendEntry[] = spec.series.map((s) => ({
    label: s.label,
    swatch: lineSwatch(s.color, s.line, s.marker, s.hollow === true),
  }));
  return frame({ ...spec, legend }, (area) => {
    const ys = valueScale(spec.y, [...points.map((p) => p.y), ...refs.map((r) => r.y)], area.bottom, area.top);
    const xs = xScale(spec.x, points, area);
    return [
      yAxis(ys, spec.y.label, area),
      xAxis(xs.ticks, spec.x.label, area),
      xs.breakAt === undefined ? '' : axisBreak(xs.breakAt, area.bottom),
      ...refs.map((r, i) => drawRef(r, ys, area, refLabelX(refs, i, area))),
      ...spec.series.map((s) => drawSeries(s, xs, ys, xs.breakAt)),
    ].join('');
  });
}
