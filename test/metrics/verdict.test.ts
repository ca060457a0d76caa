/**
 * compare's verdict on one figure: a change is called only when it is both
 * significant and beyond the threshold, in either direction.
 */
import { describe, expect, it } from 'vitest';
import { judgeChange } from '../../src/metrics/verdict.ts';
import { createRng } from '../../src/workload/rng.ts';
import { expectClose } from '../helpers/close.ts';

const P99_OLD = [1.81, 1.9, 1.78, 1.95, 1.85];
const TIGHT = [1.0, 1.01, 1.02, 1.005, 1.015];
const scaled = (runs: number[], factor: number) => runs.map((v) => v * factor);

describe('judgeChange on repeats', () => {
  it('calls a 20% p99 rise over 5 runs a side a regression, with the rise inside its interval', () => {
    const result = judgeChange(
      { kind: 'samples', change: 'percent', a: P99_OLD, b: scaled(P99_OLD, 1.2) },
      { threshold: 5, worse: 'up' },
    );
    expect(result.verdict).toBe('regressed');
    expectClose(result.pValue, 2 / 252, 1e-12); // no overlap at all
    expectClose(result.delta, 20, 1e-9);
    expect(result.unit).toBe('percent');
    expect(result.interval?.lower).toBeGreaterThan(0);
    expect(result.interval?.lower).toBeLessThanOrEqual(20);
    expect(result.interval?.upper).toBeGreaterThanOrEqual(20);
    expect(result.method).toBe('Mann-Whitney U (exact)');
  });

  it('calls the same change the other way an improvement, and ops/s falling a regression', () => {
    const faster = judgeChange(
      { kind: 'samples', change: 'percent', a: P99_OLD, b: scaled(P99_OLD, 0.8) },
      { threshold: 5, worse: 'up' },
    );
    expect(faster.verdict).toBe('improved');
    const slower = judgeChange(
      { kind: 'samples', change: 'percent', a: [2000, 2010, 1990, 2005, 1995], b: [1800, 1810, 1790, 1805, 1795] },
      { threshold: 5, worse: 'down' },
    );
    expect(slower.verdict).toBe('regressed');
  });

  it('says ~ for a significant change smaller than the threshold', () => {
    const result = judgeChange(
      { kind: 'samples', change: 'percent', a: TIGHT, b: scaled(TIGHT, 1.03) },
      { threshold: 5, worse: 'up' },
    );
    expect(result.pValue).toBeLessThan(0.05);
    expect(result.verdict).toBe('~');
  });

  it('says ~ for a large change that 3 runs a side cannot make significant (p ≥ 0.1)', () => {
    const result = judgeChange(
      { kind: 'samples', change: 'percent', a: [1, 1.1, 1.2], b: [2, 2.1, 2.2] },
      { threshold: 5, worse: 'up' },
    );
    expectClose(result.pValue, 0.1, 1e-12);
    expect(result.verdict).toBe('~');
  });

  it('counts disjoint 95% intervals as significant whatever p is, still only beyond the threshold', () => {
    const input = { kind: 'samples', change: 'percent', a: [1, 1.1, 1.2], b: [2, 2.1, 2.2] } as const;
    expect(judgeChange(input, { threshold: 5, worse: 'up', disjoint: true }).verdict).toBe('regressed');
    expect(judgeChange(input, { threshold: 500, worse: 'up', disjoint: true }).verdict).toBe('~');
  });

  it('says ~ with p = 1 for a snapshot compared with itself', () => {
    const result = judgeChange(
      { kind: 'samples', change: 'percent', a: P99_OLD, b: P99_OLD },
      { threshold: 0, worse: 'up' },
    );
    expect(result).toMatchObject({ verdict: '~', pValue: 1, delta: 0 });
  });

  it('says ~ everywhere for two noisy runs of the same thing (seeded, 100 figures)', () => {
    const rng = createRng(18).fork('noise');
    const runs = () => Array.from({ length: 5 }, () => 2 * Math.exp(0.3 * (rng.next() - 0.5)));
    let called = 0;
    for (let figure = 0; figure < 100; figure++) {
      const result = judgeChange(
        { kind: 'samples', change: 'percent', a: runs(), b: runs() },
        { threshold: 5, worse: 'up' },
      );
      if (result.verdict !== '~') called++;
    }
    // With 5 a side the exact test rejects at 0.05 with probability 8/252 = 3.2% under no change;
    // of 100 figures, 9 or more would happen with probability 0.006.
    expect(called).toBeLessThanOrEqual(8);
  });

  it('measures ratios in points', () => {
    const result = judgeChange(
      {
        kind: 'samples',
        change: 'points',
        a: [0.657, 0.655, 0.659, 0.656, 0.658],
        b: [0.6, 0.602, 0.598, 0.601, 0.599],
      },
      { threshold: 1, worse: 'down' },
    );
    expect(result).toMatchObject({ verdict: 'regressed', unit: 'points' });
    expectClose(result.delta, -5.7, 1e-9);
  });

  it('treats a rise from 0 as past every threshold, with no percentage interval', () => {
    const result = judgeChange(
      { kind: 'samples', change: 'percent', a: [0, 0, 0, 0, 0], b: [1, 2, 3, 4, 5] },
      { threshold: 5, worse: 'up' },
    );
    expect(result).toMatchObject({ verdict: 'regressed', delta: Number.POSITIVE_INFINITY, interval: null });
  });

  it('does not let float noise push a change exactly at the threshold over it', () => {
    const result = judgeChange(
      { kind: 'samples', change: 'points', a: [0.9, 0.9, 0.9, 0.9, 0.9], b: [0.85, 0.85, 0.85, 0.85, 0.85] },
      { threshold: 5, worse: 'down' },
    );
    expect(result.verdict).toBe('~');
  });
});

describe('judgeChange on single-run counts', () => {
  it('calls a hit-ratio drop of 1.4 points at 40,000 reads a regression beyond a 1-point threshold', () => {
    const result = judgeChange(
      { kind: 'proportion', a: { events: 26280, trials: 40000 }, b: { events: 25720, trials: 40000 } },
      { threshold: 1, worse: 'down' },
    );
    expect(result).toMatchObject({ verdict: 'regressed', unit: 'points' });
    expectClose(result.delta, -1.4, 1e-9);
    expect(result.interval?.lower).toBeLessThan(-1.4);
    expect(result.interval?.upper).toBeGreaterThan(-1.4);
  });

  it('says ~ to a 0.1-point wobble', () => {
    const result = judgeChange(
      { kind: 'proportion', a: { events: 13140, trials: 20000 }, b: { events: 13120, trials: 20000 } },
      { threshold: 0.05, worse: 'down' },
    );
    expect(result.verdict).toBe('~');
  });

  it('calls lock going from 1.00 to 1.15 loads per expiry a regression, in percent', () => {
    const result = judgeChange(
      { kind: 'loadsPerExpiry', a: { loads: 60, expiries: 60 }, b: { loads: 69, expiries: 60 } },
      { threshold: 5, worse: 'up' },
    );
    expect(result).toMatchObject({ verdict: 'regressed', unit: 'percent' });
    expectClose(result.delta, 15, 1e-9);
  });

  it('says ~ to a herd of 12.2 vs 12.5 loads per expiry', () => {
    const result = judgeChange(
      { kind: 'loadsPerExpiry', a: { loads: 535, expiries: 44 }, b: { loads: 551, expiries: 44 } },
      { threshold: 5, worse: 'up' },
    );
    expect(result.verdict).toBe('~');
  });

  it('compares Poisson rates in percent, and no events on either side is no change', () => {
    const rise = judgeChange(
      { kind: 'rate', a: { count: 100, exposure: 10 }, b: { count: 200, exposure: 10 } },
      { threshold: 5, worse: 'up' },
    );
    expect(rise).toMatchObject({ verdict: 'regressed', delta: expect.closeTo(100, 9) });
    const none = judgeChange(
      { kind: 'rate', a: { count: 0, exposure: 10 }, b: { count: 0, exposure: 10 } },
      { threshold: 5, worse: 'up' },
    );
    expect(none).toMatchObject({ verdict: '~', delta: 0, pValue: 1 });
  });

  it('rejects a threshold or alpha that makes no sense', () => {
    const input = { kind: 'rate', a: { count: 1, exposure: 1 }, b: { count: 1, exposure: 1 } } as const;
    expect(() => judgeChange(input, { threshold: -1, worse: 'up' })).toThrow('threshold must be >= 0, got -1');
    expect(() => judgeChange(input, { threshold: 5, worse: 'up', alpha: 5 })).toThrow('alpha must be in (0, 1), got 5');
  });
});
