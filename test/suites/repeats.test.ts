/** `--repeat N` folded into one section, and the order passes measure rows in: pure logic, no servers. */
import { describe, expect, it } from 'vitest';
import { spreads } from '../../src/report/calibrate.ts';
import type { Snapshot } from '../../src/report/snapshotFormat.ts';
import { inRunOrder } from '../../src/suites/context.ts';
import { mergeRepeats } from '../../src/suites/repeats.ts';
import { ttlSweep } from '../../src/suites/ttlSweep.ts';
import { buildSnapshot } from '../helpers/snapshots.ts';

const row = (ttlMs: number | null, p99Ms: number, hitRatio: number | null) => ({
  ttlMs,
  p99Ms,
  hitRatio,
  service: { p99Ms: p99Ms / 2 },
  loadsPerExpiryInterval: { lower: 1, upper: 2 },
  histogram: `H${p99Ms}`,
});

describe('inRunOrder', () => {
  it('keeps the order on even passes and reverses it on odd ones', () => {
    const rows = ['a', 'b', 'c'];
    expect([0, 1, 2, 3].map((index) => inRunOrder({ repeat: { index, count: 4 } }, rows).join(''))).toEqual([
      'abc',
      'cba',
      'abc',
      'cba',
    ]);
    expect(inRunOrder({}, rows)).toEqual(rows);
  });
});

describe('mergeRepeats', () => {
  // Pass 2 ran in reverse: rows are found by key, not by position.
  const passes = [
    { rows: [row(500, 1, 0.5), row(null, 3, 0.7)], advice: 'first' },
    { rows: [row(null, 5, 0.71), row(500, 2, 0.52)], advice: 'second' },
    { rows: [row(500, 9, 0.51), row(null, 4, 0.69)], advice: 'third' },
  ];
  const merged = mergeRepeats(ttlSweep, passes) as {
    passes: number;
    advice: string;
    rows: Record<string, unknown>[];
  };

  it("keeps every pass's figures by key, the median as the figure, and the first pass's strings", () => {
    expect(merged.passes).toBe(3);
    expect(merged.advice).toBe('first');
    const [ttl500, none] = merged.rows as [Record<string, unknown>, Record<string, unknown>];
    expect(ttl500.ttlMs).toBe(500);
    expect(ttl500.repeats).toMatchObject({
      p99Ms: [1, 2, 9],
      hitRatio: [0.5, 0.52, 0.51],
      'service.p99Ms': [0.5, 1, 4.5],
    });
    expect(ttl500.p99Ms).toBe(2);
    expect(ttl500.service).toEqual({ p99Ms: 1 });
    expect(ttl500.histogram).toBe('H1');
    // A single run's interval describes one pass: dropped.
    expect(ttl500.loadsPerExpiryInterval).toBeNull();
    // With 3 passes the widest interval, min to max, covers 1 − 2/8 = 75%.
    expect(ttl500.summary).toMatchObject({ p99Ms: { median: 2, lower: 1, upper: 9, n: 3, coverage: 0.75 } });
    expect(none.ttlMs).toBeNull();
    expect(none.p99Ms).toBe(4);
  });

  it('leaves a single pass as it is', () => {
    expect(mergeRepeats(ttlSweep, [passes[0] as { rows: object[] }])).toBe(passes[0]);
  });

  it("gives calibrate each gating figure's spread: range over median, in points for ratios", () => {
    const snap: Snapshot = buildSnapshot((s) => {
      s.suites = { 'ttl-sweep': { settings: {}, ...merged } };
    });
    const byKey = new Map(spreads(snap).map((s) => [`${s.rowKey} ${s.metric}`, s]));
    expect(byKey.get('ttl=500ms p99Ms')).toMatchObject({ median: 2, min: 1, max: 9, spread: 400, unit: 'percent' });
    expect(byKey.get('ttl=500ms hitRatio')?.spread).toBeCloseTo(2, 9);
    expect(byKey.get('ttl=500ms hitRatio')?.unit).toBe('points');
  });
});
