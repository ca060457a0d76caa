/**
 * What every chart shares: the root element with its accessible title, the
 * heading, a wrapping legend, the plot area's axes and grid, and notes under
 * the plot. Sizes are fixed numbers so that output depends on input only.
 */
import type { Scale } from './scales.ts';
import { CHAR_WIDTH, STYLE } from './theme.ts';
import { el, px, text, title } from './xml.ts';

export const WIDTH = 640;
export const PLOT_HEIGHT = 240;
const MARGIN_LEFT = 68;
const MARGIN_RIGHT = 24;
const LEGEND_ROW = 18;

export interface LegendEntry {
  label: string;
  /** Markup of a swatch drawn in a 24 × 12 box whose top-left corner is (x, y). */
  swatch: (x: number, y: number) => string;
}

export interface FrameSpec {
  title: string;
  subtitle?: string;
  legend: LegendEntry[];
  notes?: string[];
}

/** The plot area in pixels, below the legend. */
export interface PlotArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function legendRows(entries: readonly LegendEntry[]): { entry: LegendEntry; x: number; row: number }[] {
  const placed: { entry: LegendEntry; x: number; row: number }[] = [];
  let x = MARGIN_LEFT;
  let row = 0;
  for (const entry of entries) {
    const width = 30 + entry.label.length * CHAR_WIDTH + 18;
    if (x > MARGIN_LEFT && x + width > WIDTH - MARGIN_RIGHT) {
      x = MARGIN_LEFT;
      row++;
    }
    placed.push({ entry, x, row });
    x += width;
  }
  return placed;
}

/** Lays the chart out; `body` draws the series into the plot area it is given. */
export function frame(spec: FrameSpec, body: (area: PlotArea) => string): string {
  const legendTop = spec.subtitle ? 48 : 32;
  const placed = legendRows(spec.legend);
  const rows = placed.length === 0 ? 0 : (placed[placed.length - 1]?.row ?? 0) + 1;
  const top = legendTop + rows * LEGEND_ROW + 16;
  const area: PlotArea = { left: MARGIN_LEFT, right: WIDTH - MARGIN_RIGHT, top, bottom: top + PLOT_HEIGHT };
  const notes = spec.notes ?? [];
  const height = area.bottom + 46 + notes.length * 16;
  const legend = placed.map(({ entry, x, row }) => {
    const y = legendTop + row * LEGEND_ROW;
    return el(
      'g',
      { class: 'cab-legend-entry' },
      entry.swatch(x, y),
      text({ class: 'cab-text', x: x + 30, y: y + 10 }, entry.label),
    );
  });
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'cab-chart',
      viewBox: `0 0 ${WIDTH} ${px(height)}`,
      width: WIDTH,
      height,
      role: 'img',
    },
    title(spec.title),
    el('style', {}, STYLE),
    text({ class: 'cab-title', x: 12, y: 20 }, spec.title),
    spec.subtitle ? text({ class: 'cab-text', x: 12, y: 38 }, spec.subtitle) : '',
    el('g', { class: 'cab-legend' }, ...legend),
    body(area),
    ...notes.map((note, i) => text({ class: 'cab-text', x: 12, y: area.bottom + 60 + i * 16 }, note)),
  );
}

/** Horizontal grid lines and tick labels of the y axis, and its label along the left edge. */
export function yAxis(scale: Scale, label: string, area: PlotArea): string {
  const ticks = scale.ticks.map((t) => {
    const y = scale.map(t.value);
    return (
      el('line', { class: 'cab-grid', x1: area.left, x2: area.right, y1: y, y2: y }) +
      text({ class: 'cab-text', x: area.left - 8, y: y + 4, 'text-anchor': 'end' }, t.label)
    );
  });
  const middle = (area.top + area.bottom) / 2;
  return el(
    'g',
    { class: 'cab-axis-y', 'data-axis': 'y', 'data-label': label },
    ...ticks,
    el('line', { class: 'cab-axis', x1: area.left, x2: area.left, y1: area.top, y2: area.bottom }),
    text(
      { class: 'cab-text', x: 16, y: middle, 'text-anchor': 'middle', transform: `rotate(-90 16 ${px(middle)})` },
      label,
    ),
  );
}

/** The x axis line, ticks at the given pixel positions, and its label under the plot. */
export function xAxis(
  ticks: readonly { x: number; label: string }[],
  label: string,
  area: PlotArea,
  grid = true,
): string {
  const marks = ticks.map(
    (t) =>
      (grid ? el('line', { class: 'cab-grid', x1: t.x, x2: t.x, y1: area.top, y2: area.bottom }) : '') +
      el('line', { class: 'cab-axis', x1: t.x, x2: t.x, y1: area.bottom, y2: area.bottom + 5 }) +
      text({ class: 'cab-text', x: t.x, y: area.bottom + 18, 'text-anchor': 'middle' }, t.label),
  );
  return el(
    'g',
    { class: 'cab-axis-x', 'data-axis': 'x', 'data-label': label },
    ...marks,
    el('line', { class: 'cab-axis', x1: area.left, x2: area.right, y1: area.bottom, y2: area.bottom }),
    text({ class: 'cab-text', x: (area.left + area.right) / 2, y: area.bottom + 38, 'text-anchor': 'middle' }, label),
  );
}
