/**
 * A parsed SVG to assert on: strict XML validation first (fast-xml-parser's
 * validator), then a plain element tree with `find` over it.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Concatenated text of this element's own text children. */
  text: string;
}

type Raw = Record<string, unknown> & { ':@'?: Record<string, string> };

function toNode(raw: Raw): XmlNode | undefined {
  const name = Object.keys(raw).find((k) => k !== ':@');
  if (name === undefined || name === '#text') return undefined;
  const items = (raw[name] ?? []) as Raw[];
  return {
    name,
    attrs: raw[':@'] ?? {},
    children: items.map(toNode).filter((n): n is XmlNode => n !== undefined),
    text: items.map((i) => (i['#text'] === undefined ? '' : String(i['#text']))).join(''),
  };
}

/** Throws with the validator's message when the text is not well-formed XML. */
export function parseXml(text: string): XmlNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
  });
  const roots = (parser.parse(text) as Raw[]).map(toNode).filter((n): n is XmlNode => n !== undefined);
  if (roots.length !== 1) throw new Error(`expected one root element, got ${roots.length}`);
  return roots[0] as XmlNode;
}

/** Every element under (and including) `node` that matches. */
export function find(node: XmlNode, match: (n: XmlNode) => boolean): XmlNode[] {
  const found = match(node) ? [node] : [];
  for (const child of node.children) found.push(...find(child, match));
  return found;
}

export const byClass = (cls: string) => (n: XmlNode) => (n.attrs.class ?? '').split(' ').includes(cls);

/** The text of an element and everything under it. */
export function allText(node: XmlNode): string {
  return node.text + node.children.map(allText).join('');
}

/** The chart's series groups (`data-series` is the legend label). */
export const series = (svg: XmlNode) => find(svg, byClass('cab-series'));

/** The one series with this legend label; throws when there is not exactly one. */
export function seriesNamed(svg: XmlNode, label: string): XmlNode {
  const found = series(svg).filter((s) => s.attrs['data-series'] === label);
  if (found.length !== 1) throw new Error(`expected one series "${label}", found ${found.length}`);
  return found[0] as XmlNode;
}

/** The visible marks of a series that carry a hover value. */
export const points = (s: XmlNode) => find(s, byClass('cab-point'));

/** Their hover texts. */
export const titles = (s: XmlNode) =>
  points(s).map((p) => allText(p.children.find((c) => c.name === 'title') as XmlNode));

export const axis = (svg: XmlNode, which: 'x' | 'y') => find(svg, (n) => n.attrs['data-axis'] === which);

/** The x axis tick labels, without the axis label. */
export const tickLabels = (svg: XmlNode) =>
  find(axis(svg, 'x')[0] as XmlNode, (n) => n.name === 'text')
    .map(allText)
    .slice(0, -1);
