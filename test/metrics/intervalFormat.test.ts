import { describe, expect, it } from 'vitest';
import { fmtRatio } from '../../src/metrics/format.ts';
import { fmtPlusMinus, fmtWithInterval } from '../../src/metrics/intervalFormat.ts';

describe('fmtWithInterval', () => {
  it('writes the figure and its interval in the same digits', () => {
    expect(fmtWithInterval(1.15, { lower: 0.98, upper: 1.34 })).toBe('1.15 [0.98, 1.34]');
    expect(fmtWithInterval(0.6571, { lower: 0.6505, upper: 0.6637 }, fmtRatio)).toBe('0.657 [0.650, 0.664]');
  });

  it('prints open ends as ∞, a missing interval as the bare figure, a missing figure as —', () => {
    expect(fmtWithInterval(6, { lower: 1.34, upper: Number.POSITIVE_INFINITY })).toBe('6.00 [1.34, ∞]');
    expect(fmtWithInterval(1.15, null)).toBe('1.15');
    expect(fmtWithInterval(null, { lower: 0, upper: 1 })).toBe('—');
  });
});

describe('fmtPlusMinus', () => {
  it('uses the longer side of an off-centre interval, so the ± range contains it', () => {
    expect(fmtPlusMinus(1.2, { lower: 1.1, upper: 1.5 })).toBe('1.20 ± 0.30');
    expect(fmtPlusMinus(1.2, { lower: 1.15, upper: 1.25 })).toBe('1.20 ± 0.05');
    expect(fmtPlusMinus(null, null)).toBe('—');
  });
});
