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

/**
 * A trace's simulated hit-ratio-over-TTL curve (simulate's rows, or the
 * ttl-sweep's curve with a trace), one step per TTL; 0 and no expiry left out.
 */
export function hitCurveChart(points: readonly { ttlMs: number | null; hitRatio: number }[], color: boolean): string {
  const finite = points.filter((p): p is { ttlMs: number; hitRatio: number } => p.ttlMs !== null && p.ttlMs > 0);
  if (finite.length < 2) return '';
  const step = 4;
  const plot = asciichart.plot(
    finite.flatMap((p) => Array<number>(step).fill(p.hitRatio)),
    {
      height: 8,
      min: 0,
      max: 1,
      colors: color ? [asciichart.green] : undefined,
      format: (x) => x.toFixed(2).padStart(8),
    },
  );
  const first = formatTtl(finite[0]?.ttlMs ?? 0);
  const last = formatTtl(finite[finite.length - 1]?.ttlMs ?? 0);
  const width = finite.length * step;
  const axis = `${' '.repeat(10)}${first}${' '.repeat(Math.max(1, width - first.length - last.length))}${last}  (TTL, ${finite.length} steps)`;
  return ['simulated hit ratio vs TTL (predicted)', plot, axis].join('\n');
}
