/**
 * The smallest SVG writer that stays deterministic: attributes in the order
 * given, coordinates rounded to 0.1 px by one rule, text escaped. Same input,
 * same bytes, so a committed chart's git diff shows what changed.
 */

export type Attrs = Record<string, string | number | undefined>;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

/** A coordinate: 0.1 px is below what a screen shows, and `-0` never appears. */
export function px(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

function attrText(attrs: Attrs): string {
  let text = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    text += ` ${name}="${escapeXml(typeof value === 'number' ? px(value) : value)}"`;
  }
  return text;
}

/** `<name attrs>children</name>`, or `<name attrs/>` without children. Children are already-built markup. */
export function el(name: string, attrs: Attrs, ...children: string[]): string {
  const body = children.join('');
  return body === '' ? `<${name}${attrText(attrs)}/>` : `<${name}${attrText(attrs)}>${body}</${name}>`;
}

/** A `<text>` element; the text is escaped here. */
export function text(attrs: Attrs, content: string): string {
  return el('text', attrs, escapeXml(content));
}

/** Hover value: browsers show an element's `<title>` child as its tooltip. */
export function title(content: string): string {
  return el('title', {}, escapeXml(content));
}

/** A path through the points, `M x,y L x,y ...`. */
export function polyline(points: readonly (readonly [number, number])[]): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x)},${px(y)}`).join(' ');
}
