import { describe, expect, it } from 'vitest';
import { newLatencyHistogram, recordMs } from '../../src/metrics/latencyHistogram.ts';
import { lineChart } from '../../src/report/svg/lineChart.ts';
import { percentilePlot } from '../../src/report/svg/percentilePlot.ts';
import { allText, axis, find, parseXml, points, series, tickLabels, type XmlNode } from '../helpers/svgTree.ts';

describe('chart primitives', () => {
  it('percentile plot puts the p99 mark on the 99% tick, at the histogram value', () => {
    const histogram = newLatencyHistogram();
    for (let ms = 1; ms <= 1000; ms++) recordMs(histogram, ms);
    const svg = parseXml(
      percentilePlot({
        title: 't',
        series: [{ label: 'uniform', color: '#000', line: 'solid', histogram }],
      }),
    );
    const p99 = points(series(svg)[0] as XmlNode).find((p) => allText(p).includes('p99 ='));
    expect(allText(p99 as XmlNode)).toBe('uniform: p99 = 990 ms');
    const tick = find(axis(svg, 'x')[0] as XmlNode, (n) => n.name === 'text' && allText(n) === '99%')[0];
    expect(Number(p99?.attrs.cx)).toBeCloseTo(Number(tick?.attrs.x), 0);
  });

  it('line chart: a log x axis keeps ratios as distances; escapes text', () => {
    const svg = parseXml(
      lineChart({
        title: 'a < b & "c"',
        x: { kind: 'log', label: 'x', domain: [1, 1000] },
        y: { kind: 'linear', label: 'y' },
        series: [
          {
            label: 's',
            color: '#000',
            line: 'solid',
            marker: 'circle',
            points: [1, 10, 100].map((x) => ({ x, y: x, title: String(x) })),
          },
        ],
      }),
    );
    expect(allText(svg.children[0] as XmlNode)).toBe('a < b & "c"');
    const [a, b, c] = points(series(svg)[0] as XmlNode).map((p) => Number(p.attrs.cx));
    expect((b as number) - (a as number)).toBeCloseTo((c as number) - (b as number), 0);
  });

  it('line chart: a category x axis places points at their category, in axis order', () => {
    const svg = parseXml(
      lineChart({
        title: 'categories',
        x: { kind: 'category', label: 'path', categories: ['a', 'b', 'c'] },
        y: { kind: 'linear', label: 'ms' },
        series: [
          {
            label: 's',
            color: '#000',
            line: 'none',
            marker: 'diamond',
            points: [
              { x: 'c', y: 3, title: 'c' },
              { x: 'a', y: 1, title: 'a' },
            ],
          },
        ],
      }),
    );
    expect(tickLabels(svg)).toEqual(['a', 'b', 'c']);
    const ticks = find(axis(svg, 'x')[0] as XmlNode, (n) => n.name === 'text').map((t) => Number(t.attrs.x));
    const marks = points(series(svg)[0] as XmlNode).map((p) => Number(/^M([\d.]+),/.exec(p.attrs.d ?? '')?.[1]));
    expect(marks).toEqual([ticks[2], ticks[0]]);
  });
});
