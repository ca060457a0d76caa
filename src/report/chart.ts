/**
 * ASCII charts of the ttl-sweep: hit ratio (measured and predicted) and p99
 * against TTL. The x axis is the list of TTLs, one step each.
 */
import asciichart from 'asciichart';
import { formatTtl } from '../config/duration.ts';
import type { TtlSweepRow } from '../suites/ttlSweep.ts';

const STEP = 10;

export function ttlSweepCharts(rows: TtlSweepRow[], color: boolean): string {
  const cached = rows.filter((r) => r.hitRatio !== null);
  if (cached.length < 2) return '';
  const stretch = (values: number[]) => values.flatMap((v) => Array<number>(STEP).fill(v));
  const axis = `${' '.repeat(11)}${cached.map((r) => formatTtl(r.ttlMs).padEnd(STEP)).join('')}  (TTL)`;
  const hit = asciichart.plot(
    [stretch(cached.map((r) => r.hitRatio ?? 0)), stretch(cached.map((r) => r.predictedHitRatio ?? 0))],
    {
      height: 8,
      min: 0,
      max: 1,
      colors: color ? [asciichart.blue, asciichart.yellow] : undefined,
      format: (x) => x.toFixed(2).padStart(8),
    },
  );
  const p99 = asciichart.plot(stretch(rows.filter((r) => r.hitRatio !== null).map((r) => r.p99Ms)), {
    height: 6,
    min: 0,
    colors: color ? [asciichart.red] : undefined,
    format: (x) => x.toFixed(2).padStart(8),
  });
  return [
    `hit ratio vs TTL (${color ? 'blue' : 'first line'}: measured, ${color ? 'yellow' : 'second line'}: predicted)`,
    hit,
    axis,
    '',
    'p99 read latency (ms) vs TTL',
    p99,
    axis,
  ].join('\n');
}
