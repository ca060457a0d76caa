import { describe, expect, it } from 'vitest';
import { breakEvenSourceLatency, type ReadPathRow } from '../../src/suites/readPath.ts';

const row = (name: ReadPathRow['name'], meanMs: number): ReadPathRow => ({
  name,
  meanMs,
  p50Ms: meanMs,
  p99Ms: meanMs,
  opsPerSec: 1000 / meanMs,
  samples: 100,
});

describe('breakEvenSourceLatency', () => {
  it('is where a direct read and cache-aside at hit ratio h cost the same', () => {
    // Source: 0.1 ms of its own plus L; miss: 0.3 ms plus L; hit: 0.1 ms. At h = 0.5:
    // 0.1 + L = 0.5·0.1 + 0.5·(0.3 + L)  →  L = 0.2 ms.
    const rows = [row('source', 1.1), row('cache-hit', 0.1), row('cache-miss', 1.3)];
    const breakEven = breakEvenSourceLatency(rows, 1, 0.5) as number;
    expect(breakEven).toBeCloseTo(0.2, 10);
    const direct = 0.1 + breakEven;
    const cached = 0.5 * 0.1 + 0.5 * (0.3 + breakEven);
    expect(cached).toBeCloseTo(direct, 10);
  });

  it('is null when nothing hits or a row is missing, and never negative', () => {
    const rows = [row('source', 1.1), row('cache-hit', 0.1), row('cache-miss', 1.3)];
    expect(breakEvenSourceLatency(rows, 1, 0)).toBeNull();
    expect(breakEvenSourceLatency(rows.slice(0, 2), 1, 0.9)).toBeNull();
    expect(breakEvenSourceLatency([row('source', 5), row('cache-hit', 0.1), row('cache-miss', 1)], 1, 1)).toBe(0);
  });
});
