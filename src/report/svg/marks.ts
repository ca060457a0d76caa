/** Point markers and legend swatches, in the series' colour. */
import { DASH, type LineStyle } from './theme.ts';
import { el, polyline, title } from './xml.ts';

export type MarkerShape = 'circle' | 'square' | 'diamond' | 'none';

/**
 * A marker at (x, y), with its hover text. `none` is an invisible hover
 * target, so a line without visible markers still shows its values. Hollow
 * markers get a zero-opacity fill: `fill="none"` would not catch the pointer.
 */
export function marker(
  shape: MarkerShape,
  x: number,
  y: number,
  color: string,
  hollow: boolean,
  hover?: string,
  className = 'cab-point',
): string {
  const paint = {
    class: className,
    fill: color,
    'fill-opacity': shape === 'none' || hollow ? '0' : undefined,
    stroke: shape === 'none' ? undefined : color,
    'stroke-width': shape === 'none' ? undefined : hollow ? '1.6' : '1',
  };
  const tip = hover === undefined ? '' : title(hover);
  switch (shape) {
    case 'circle':
      return el('circle', { ...paint, cx: x, cy: y, r: 4 }, tip);
    case 'square':
      return el('rect', { ...paint, x: x - 6, y: y - 6, width: 12, height: 12 }, tip);
    case 'diamond':
      return el(
        'path',
        {
          ...paint,
          d: `${polyline([
            [x, y - 6],
            [x + 6, y],
            [x, y + 6],
            [x - 6, y],
          ])} Z`,
        },
        tip,
      );
    case 'none':
      return el('circle', { ...paint, cx: x, cy: y, r: 6 }, tip);
  }
}

export function strokeAttrs(color: string, style: LineStyle, width = 2) {
  return {
    fill: 'none',
    stroke: color,
    'stroke-width': String(width),
    'stroke-dasharray': DASH[style],
    'stroke-linecap': style === 'dotted' ? 'round' : undefined,
  };
}

export function lineSwatch(color: string, style: LineStyle, shape: MarkerShape, hollow: boolean) {
  return (x: number, y: number): string =>
    (style === 'none' ? '' : el('line', { ...strokeAttrs(color, style), x1: x, x2: x + 24, y1: y + 6, y2: y + 6 })) +
    (shape === 'none' ? '' : marker(shape, x + 12, y + 6, color, hollow, undefined, 'cab-swatch'));
}

export function barSwatch(color: string, fillOpacity: number, style: LineStyle) {
  return (x: number, y: number): string =>
    el('rect', {
      ...strokeAttrs(color, style, 1.5),
      fill: color,
      'fill-opacity': String(fillOpacity),
      x: x + 4,
      y,
      width: 16,
      height: 12,
    });
}
