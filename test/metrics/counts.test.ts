/**
 * Intervals for counts, against closed forms and reference values: the
 * Clopper–Pearson ends at 0/n and n/n are 1 − 0.025^(1/n) and 0.025^(1/n);
 * Garwood's upper end at 0 and lower end at 1 are −ln 0.025 and −ln 0.975;
 * other values from SciPy 1.17.1 (`beta.ppf`, `chi2.ppf(q, 2k)/2`), which
 * agree with the usual printed tables to their 4 digits (5/10: 0.1871–0.8129;
 * Garwood 10: 4.795–18.39). And the property that makes them exact: coverage
 * of at least 95% whatever the true value.
 */
import { describe, expect, it } from 'vitest';
import { clopperPearson, garwood, loadsPerExpiryInterval, wilson } from '../../src/metrics/counts.ts';
import { SMALL_SAMPLE_EVENTS, smallSample } from '../../src/metrics/smallSample.ts';
import { lnGamma } from '../../src/metrics/special.ts';
import { expectClose } from '../helpers/close.ts';

describe('clopperPearson', () => {
  it('gives the closed forms at 0/10 and 10/10', () => {
    expect(clopperPearson(0, 10)).toEqual({ lower: 0, upper: expect.closeTo(1 - 0.025 ** 0.1, 12) });
    expect(clopperPearson(10, 10)).toEqual({ lower: expect.closeTo(0.025 ** 0.1, 12), upper: 1 });
    expectClose(clopperPearson(0, 10).upper, 0.3084971078187607);
  });

  it('matches published values at 5/10 and 1/10, and a hit ratio of 657/1000', () => {
    expectClose(clopperPearson(5, 10).lower, 0.18708602844739855);
    expectClose(clopperPearson(5, 10).upper, 0.8129139715526015);
    expectClose(clopperPearson(1, 10).lower, 0.0025285785444617848);
    expectClose(clopperPearson(1, 10).upper, 0.4450161170281954);
    expectClose(clopperPearson(657, 1000).lower, 0.6266486772044311);
    expectClose(clopperPearson(657, 1000).upper, 0.6864235511359629);
  });

  it('keeps relative precision for rare events (3 stale reads in 20,000)', () => {
    expectClose(clopperPearson(3, 20000).lower, 3.093467444528525e-5);
    expectClose(clopperPearson(3, 20000).upper, 0.00043830045339363695);
  });

  it('covers at least 95% for every p (exact coverage at n = 20)', () => {
    const n = 20;
    const intervals = Array.from({ length: n + 1 }, (_, k) => clopperPearson(k, n));
    for (let i = 1; i < 200; i++) {
      const p = i / 200;
      let coverage = 0;
      for (let k = 0; k <= n; k++) {
        const { lower, upper } = intervals[k] as { lower: number; upper: number };
        if (lower <= p && p <= upper) coverage += Math.exp(lnChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
      }
      expect(coverage, `p = ${p}`).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('rejects impossible counts', () => {
    expect(() => clopperPearson(11, 10)).toThrow('events must be an integer in 0..10, got 11');
    expect(() => clopperPearson(0, 0)).toThrow('trials must be an integer >= 1, got 0');
    expect(() => clopperPearson(1, 10, 95)).toThrow('level must be in (0, 1), got 95');
  });
});

describe('wilson', () => {
  it('matches the score interval at 0/10 and 5/10', () => {
    // 0/10: upper = z²/(n + z²) with z = 1.959964.
    const z2 = 1.959963984540054 ** 2;
    expect(wilson(0, 10)).toEqual({ lower: 0, upper: expect.closeTo(z2 / (10 + z2), 12) });
    expectClose(wilson(5, 10).lower, 0.23659309051256405, 1e-10);
    expectClose(wilson(5, 10).upper, 0.763406909487436, 1e-10);
  });
});

describe('garwood', () => {
  it('gives the closed forms at 0 and 1', () => {
    expect(garwood(0)).toEqual({ lower: 0, upper: expect.closeTo(-Math.log(0.025), 12) });
    expectClose(garwood(1).lower, -Math.log(0.975), 1e-12);
    expectClose(garwood(1).upper, 5.571643390938898);
  });

  it('matches the tables at 10 and 100', () => {
    expectClose(garwood(10).lower, 4.7953886961324335);
    expectClose(garwood(10).upper, 18.39035604201778);
    expectClose(garwood(100).lower, 81.36399125092314);
    expectClose(garwood(100).upper, 121.62679379242638);
  });

  it('covers at least 95% for every mean (exact coverage on a grid to 40)', () => {
    const intervals = Array.from({ length: 120 }, (_, k) => garwood(k));
    for (let i = 1; i <= 400; i++) {
      const mu = i / 10;
      let coverage = 0;
      intervals.forEach(({ lower, upper }, k) => {
        if (lower <= mu && mu <= upper) coverage += Math.exp(k * Math.log(mu) - mu - lnGamma(k + 1));
      });
      expect(coverage, `mean ${mu}`).toBeGreaterThanOrEqual(0.95);
    }
  });
});

describe('loadsPerExpiryInterval', () => {
  it('is 1 + Garwood(extra loads)/expiries', () => {
    // README stampede row "none": 535 loads over 44 expiries, 491 extra loads.
    const none = loadsPerExpiryInterval(535, 44);
    expectClose(none.lower, 1 + garwood(491).lower / 44, 1e-12);
    expectClose(none.upper, 1 + garwood(491).upper / 44, 1e-12);
    expect(none.lower).toBeLessThan(535 / 44);
    expect(none.upper).toBeGreaterThan(535 / 44);
  });

  it('never goes below one load per expiry for a coordinated strategy', () => {
    // single-flight: 48 loads over 48 expiries; upper end 1 + 3.689/48.
    expect(loadsPerExpiryInterval(48, 48)).toEqual({ lower: 1, upper: expect.closeTo(1 + -Math.log(0.025) / 48, 12) });
  });

  it('is wide on few expiries (xfetch: 40 loads over 3 expiries)', () => {
    const { lower, upper } = loadsPerExpiryInterval(40, 3);
    expect(upper / lower).toBeGreaterThan(1.8);
  });

  it('rejects a ratio with no expiries', () => {
    expect(() => loadsPerExpiryInterval(5, 0)).toThrow('expiries must be an integer >= 1, got 0');
  });
});

describe('smallSample', () => {
  it('flags figures built on fewer than 30 events', () => {
    expect(SMALL_SAMPLE_EVENTS).toBe(30);
    expect(smallSample(29)).toBe(true);
    expect(smallSample(30)).toBe(false);
    expect(smallSample(0)).toBe(true);
  });
});

function lnChoose(n: number, k: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}
