/** Pure parts of a trace replay: which reads are cold. */
import { describe, expect, it } from 'vitest';
import type { LoadedTrace } from '../../src/suites/traceInput.ts';
import { coldReads, type RowReplay } from '../../src/suites/traceReplay.ts';
import { OP_READ, OP_WRITE } from '../../src/workload/trace/traceBuilder.ts';

function replay(keys: number[], ops: number[], warmupMs: number): RowReplay {
  const trace = { key: Int32Array.from(keys), op: Uint8Array.from(ops), uniqueKeys: Math.max(...keys) };
  return {
    loaded: { trace } as unknown as LoadedTrace,
    timesMs: Float64Array.from(keys.map((_, i) => i * 10)),
    window: { warmupMs, durationMs: 1000 },
  };
}

describe('coldReads', () => {
  const R = OP_READ;
  const W = OP_WRITE;
  it("counts each key's first read in the window; a write-through write stores the row first", () => {
    // key:  1  2  1  3  3  2  4
    // op:   R  R  R  W  R  R  R
    const r = replay([1, 2, 1, 3, 3, 2, 4], [R, R, R, W, R, R, R], 0);
    expect(coldReads(r, 'ttl')).toBe(4);
    expect(coldReads(r, 'delete')).toBe(4);
    expect(coldReads(r, 'write-through')).toBe(3);
  });

  it('leaves out keys first read during the warm-up', () => {
    const r = replay([1, 2, 1, 3, 3, 2, 4], [R, R, R, W, R, R, R], 15);
    // Keys 1 and 2 were first read at 0 and 10 ms, before the window opened at 15 ms.
    expect(coldReads(r, 'ttl')).toBe(2);
  });
});
