/**
 * What the chart mapping (charts.ts) shares across charts: the runs drawn on
 * one chart and how each looks, and the TTL axis (log, TTL 0 off the axis as
 * a reference level, `none` after a break at the right end).
 */
import { formatTtl } from '../config/duration.ts';
import type { Snapshot } from './snapshotFormat.ts';
import type { BarSeries } from './svg/barChart.ts';
import type { LineSeries, XAxis } from './svg/lineChart.ts';
import { type LineStyle, paletteColor } from './svg/theme.ts';

export type Role = 'only' | 'old' | 'new';

export interface Run {
  snapshot: Snapshot;
  role: Role;
}

export const MEASURED = paletteColor(0);
export const PREDICTED = paletteColor(1);
export const SERVER = paletteColor(2);

/** How a run's series look: OLD dashed and hollow, NEW (or a lone run) solid and filled. */
export function look(role: Role): { line: LineStyle; hollow: boolean; suffix: string } {
  if (role === 'old') return { line: 'dashed', hollow: true, suffix: ' (OLD)' };
  return { line: 'solid', hollow: false, suffix: role === 'new' ? ' (NEW)' : '' };
}

/** The rows of one suite in each run that has it, oldest first. */
export function suiteRuns<R>(
  runs: readonly Run[],
  rowsOf: (s: Snapshot) => R[] | undefined,
): { run: Run; rows: R[] }[] {
  return runs.flatMap((run) => {
    const rows = rowsOf(run.snapshot);
    return rows ? [{ run, rows }] : [];
  });
}

export function ttlText(ttlMs: number | null): string {
  return ttlMs === 0 ? '0 (no cache)' : formatTtl(ttlMs);
}

/** Where a TTL goes on the x axis: its value, `none` at the right end, or nowhere (TTL 0 has no place on a log axis). */
function ttlX(ttlMs: number | null): number | 'none' | undefined {
  if (ttlMs === null) return 'none';
  return ttlMs > 0 ? ttlMs : undefined;
}

/** A log TTL axis with a tick at every TTL that was run, and `none` after a break when it was run. */
export function ttlAxis(ttls: readonly (number | null)[]): XAxis {
  const finite = [...new Set(ttls.filter((t): t is number => t !== null && t > 0))].sort((a, b) => a - b);
  const lo = finite[0] ?? 100;
  const hi = finite[finite.length - 1] ?? 1000;
  const axis: XAxis = {
    kind: 'log',
    label: ttls.includes(null) ? 'TTL (log scale; none = no expiry)' : 'TTL (log scale)',
    domain: lo === hi ? [lo / 3, hi * 3] : [lo / 1.6, hi * 1.6],
    ticks: finite.map((value) => ({ value, label: formatTtl(value) })),
  };
  if (ttls.includes(null)) axis.end = 'none';
  return axis;
}

/** A line series of the rows that have the figure (null: does not apply) at a TTL the axis shows. */
export function ttlSeries<R extends { ttlMs: number | null }>(
  rows: readonly R[],
  value: (row: R) => number | null,
  hover: (row: R, value: number) => string,
  style: Omit<LineSeries, 'points'>,
): LineSeries {
  const points = rows.flatMap((row) => {
    const x = ttlX(row.ttlMs);
    const y = value(row);
    return x === undefined || y === null ? [] : [{ x, y, title: hover(row, y) }];
  });
  return { ...style, points };
}

export interface SeriesText {
  /** Legend label; the run's ` (OLD)` / ` (NEW)` is appended. */
  label: string;
  color: string;
  /** Before `TTL …` in the hover text, e.g. the invalidation. */
  prefix?: string;
}

/** One series per run of a measured figure: OLD dashed and hollow, NEW (or a lone run) solid. */
export function measuredSeries<R extends { ttlMs: number | null }>(
  data: readonly { run: Run; rows: R[] }[],
  value: (row: R) => number | null,
  describe: (value: number) => string,
  text: SeriesText,
): LineSeries[] {
  return data.map(({ run, rows }) => {
    const { line, hollow, suffix } = look(run.role);
    const hover = (r: R, v: number) => `${text.prefix ?? ''}TTL ${ttlText(r.ttlMs)}${suffix}: ${describe(v)}`;
    return ttlSeries(rows, value, hover, {
      label: `${text.label}${suffix}`,
      color: text.color,
      line,
      marker: 'circle',
      hollow,
    });
  });
}

/** A predicted figure of one run (the newest): a dotted line whose values show on hover. */
export function predictedSeries<R extends { ttlMs: number | null }>(
  newest: { run: Run; rows: R[] },
  value: (row: R) => number | null,
  describe: (value: number) => string,
  text: SeriesText,
): LineSeries {
  const hover = (r: R, v: number) => `${text.prefix ?? ''}TTL ${ttlText(r.ttlMs)}: predicted ${describe(v)}`;
  const label = `${text.label}${look(newest.run.role).suffix}`;
  return ttlSeries(newest.rows, value, hover, { label, color: text.color, line: 'dotted', marker: 'none' });
}

export function speedupNote(snapshot: Snapshot): string[] {
  const speedup = Number(snapshot.config.speedup ?? 1);
  return speedup === 1 ? [] : [`run ${speedup}× faster than production: TTLs here are production TTLs ÷ ${speedup}`];
}

/** One bar series: a value per category, with hover text, and the value printed above its bar. */
export function barColumn<R>(
  categories: readonly string[],
  rows: readonly R[],
  key: (r: R) => string,
  pick: (r: R) => number | null,
  hover: (r: R, v: number | null) => string,
): Pick<BarSeries, 'values' | 'titles' | 'valueLabels'> {
  const found = categories.map((c) => rows.find((r) => key(r) === c));
  const values = found.map((r) => (r ? pick(r) : null));
  return {
    values,
    titles: found.map((r, i) => (r ? hover(r, values[i] ?? null) : `${categories[i]}: not in this run`)),
    valueLabels: values.map((v) => (v === null ? '' : v.toFixed(2))),
  };
}
