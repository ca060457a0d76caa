/**
 * Special functions against closed forms, published tables and SciPy 1.17.1
 * (scipy.special / scipy.stats, double precision). The tolerance is 1e-9
 * relative unless a value says otherwise; compare needs four digits.
 */
import { describe, expect, it } from 'vitest';
import {
  betaQuantile,
  binomialCdf,
  gammaQuantile,
  lnGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
} from '../../src/metrics/special.ts';
import { expectClose } from '../helpers/close.ts';

describe('lnGamma', () => {
  it('matches factorials, Γ(½) = √π and the reflection branch', () => {
    expect(Math.abs(lnGamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(lnGamma(2))).toBeLessThan(1e-14);
    expectClose(lnGamma(10), Math.log(362880), 1e-13);
    expectClose(lnGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13);
    expectClose(lnGamma(0.1), 2.252712651734206, 1e-13); // scipy.special.gammaln(0.1)
    expectClose(lnGamma(1e6), 12815504.569147611, 1e-14);
  });
});

describe('regularizedBeta', () => {
  it('matches its closed forms', () => {
    for (const x of [0.01, 0.3, 0.77, 0.999]) {
      expectClose(regularizedBeta(x, 3.5, 1), x ** 3.5);
      expectClose(regularizedBeta(x, 1, 4.25), 1 - (1 - x) ** 4.25);
    }
    expectClose(regularizedBeta(0.5, 3.7, 3.7), 0.5);
    expectClose(regularizedBeta(0.5, 250, 250), 0.5);
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
  });

  it('is the binomial upper tail: I_0.3(2, 5) = P(Bin(6, 0.3) ≥ 2) = 1 − 0.7⁶ − 6·0.3·0.7⁵', () => {
    expectClose(regularizedBeta(0.3, 2, 5), 1 - 0.7 ** 6 - 6 * 0.3 * 0.7 ** 5, 1e-12);
  });

  it('matches SciPy at non-integer and large shapes', () => {
    expectClose(regularizedBeta(0.2, 2.5, 7.25), 0.38444272519976463);
    expectClose(regularizedBeta(0.42, 400, 600), 0.9011957646338766);
  });

  it('inverts to the quantile', () => {
    expectClose(betaQuantile(0.1, 2.5, 7.25), 0.09613061442467213);
    expectClose(betaQuantile(0.01, 0.5, 0.5), Math.sin((Math.PI * 0.01) / 2) ** 2); // arcsine law
    expectClose(betaQuantile(0.3, 4, 1), 0.3 ** (1 / 4));
    for (const [p, a, b] of [
      [0.025, 1, 1e6],
      [0.975, 657, 344],
      [0.5, 0.3, 9],
    ] as const) {
      expectClose(regularizedBeta(betaQuantile(p, a, b), a, b), p, 1e-10);
    }
  });
});

describe('regularized incomplete gamma', () => {
  it('matches its closed forms', () => {
    for (const x of [0.01, 1, 4, 30]) expectClose(regularizedGammaP(1, x), -Math.expm1(-x), 1e-12);
    expectClose(regularizedGammaP(0.5, 1), 0.8427007929497148); // erf(1)
    // P(3, x) = 1 − e^{−x}(1 + x + x²/2): the Poisson(x) CDF at 2.
    expectClose(regularizedGammaP(3, 2.5), 1 - Math.exp(-2.5) * (1 + 2.5 + 3.125), 1e-12);
    expectClose(regularizedGammaQ(0.5, 50), 1.523970604832094e-23); // erfc(√50), upper tail kept
  });

  it('matches SciPy on both sides of x = a + 1', () => {
    expectClose(regularizedGammaP(3.5, 2), 0.22022259152428406);
    expectClose(regularizedGammaQ(3.5, 20), 1.258790387371308e-6);
  });

  it('inverts to chi-square table values (χ²_ν quantile = 2·gammaQuantile(p, ν/2))', () => {
    expectClose(2 * gammaQuantile(0.95, 0.5), 3.841458820694124);
    expectClose(2 * gammaQuantile(0.975, 5), 20.483177350807388);
    expectClose(gammaQuantile(0.975, 1), -Math.log(0.025), 1e-12);
    expectClose(gammaQuantile(0.025, 1e5), 99381.15266374472);
  });
});

describe('the standard normal', () => {
  it('matches published values of Φ', () => {
    expect(normalCdf(0)).toBe(0.5);
    expectClose(normalCdf(1.96), 0.9750021048517795, 1e-12);
    expectClose(normalCdf(-3), 0.0013498980316300933);
    expectClose(normalCdf(-10), 7.61985302416047e-24); // relative precision deep in the tail
  });

  it('matches published quantiles and round-trips across (0, 1)', () => {
    expectClose(normalQuantile(0.975), 1.959963984540054, 1e-12);
    expectClose(normalQuantile(0.95), 1.6448536269514722, 1e-12);
    expectClose(normalQuantile(1e-10), -6.361340902404056, 1e-12);
    expect(Math.abs(normalQuantile(0.5))).toBeLessThan(1e-15);
    for (const p of [1e-300, 1e-8, 0.02, 0.024, 0.03, 0.3, 0.7, 0.9999])
      expectClose(normalCdf(normalQuantile(p)), p, 1e-12);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('binomialCdf', () => {
  it('counts outcomes exactly: P(Bin(10, ½) ≤ 2) = 56/1024', () => {
    expectClose(binomialCdf(2, 10, 0.5), 56 / 1024, 1e-12);
    expect(binomialCdf(-1, 10, 0.5)).toBe(0);
    expect(binomialCdf(10, 10, 0.5)).toBe(1);
  });
});

describe('bad input', () => {
  it('names the argument and what was expected', () => {
    expect(() => regularizedBeta(1.5, 1, 1)).toThrow('x must be in [0, 1], got 1.5');
    expect(() => betaQuantile(0.5, 0, 1)).toThrow('a must be finite and > 0, got 0');
    expect(() => gammaQuantile(-0.1, 1)).toThrow('p must be in [0, 1], got -0.1');
  });
});
