import { expect } from 'vitest';

/** |actual − expected| ≤ rel·|expected| (absolute when expected is 0): agreement to about −log10(rel) digits. */
export function expectClose(actual: number, expected: number, rel = 1e-9): void {
  const tolerance = rel * (Math.abs(expected) || 1);
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}
