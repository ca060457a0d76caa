/** The trace replay's open loop: its times, and that each request leaves at its own time with its own index. */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/load/clock.ts';
import { replayTimes, runReplay } from '../../src/load/traceDriver.ts';
import { createRng } from '../../src/workload/rng.ts';

/** Time moves only when the loop sleeps. */
function fakeClock(): Clock & { t: number } {
  const clock = {
    t: 1000,
    now: () => clock.t,
    async sleepUntil(at: number) {
      clock.t = Math.max(clock.t, at);
    },
  };
  return clock as Clock & { t: number };
}

describe('replayTimes', () => {
  it('divides the trace clock by --speedup', () => {
    const times = replayTimes(new Float64Array([0, 100, 250, 1000]), 3, { kind: 'trace', speedup: 10 });
    expect(Array.from(times)).toEqual([0, 10, 25]);
  });

  it('spaces the trace order as Poisson arrivals at --rate', () => {
    const n = 20_000;
    const times = replayTimes(new Float64Array(n), n, { kind: 'rate', rate: 500, rng: createRng(3) });
    expect(times[0]).toBe(0);
    for (let i = 1; i < n; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1] as number);
    // Mean gap 2 ms; the mean of 20,000 exponential gaps is within 3% (about 4 standard errors).
    expect((times[n - 1] as number) / (n - 1)).toBeCloseTo(2, 0);
    expect(Math.abs((times[n - 1] as number) / (n - 1) - 2)).toBeLessThan(0.06);
  });
});

describe('runReplay', () => {
  it('sends request i at its intended time, counts those in the window, ends with the times', async () => {
    const clock = fakeClock();
    const sent: { index: number; at: number }[] = [];
    const measured: number[] = [];
    const report = await runReplay(
      new Float64Array([0, 5, 5, 40, 90]),
      { warmupMs: 5, durationMs: 1000 },
      {
        send: async (index) => {
          sent.push({ index, at: clock.now() - 1000 });
          return index;
        },
        done: (index, _latency, _service, inWindow) => {
          if (inWindow) measured.push(index);
        },
      },
      clock,
    );
    expect(sent).toEqual([
      { index: 0, at: 0 },
      { index: 1, at: 5 },
      { index: 2, at: 5 },
      { index: 3, at: 40 },
      { index: 4, at: 90 },
    ]);
    expect(measured).toEqual([1, 2, 3, 4]);
    expect(report.measuredRequests).toBe(4);
    expect(report.targetRate).toBeNull();
  });

  it('stops at the window end (--duration shortens a replay)', async () => {
    const clock = fakeClock();
    const sent: number[] = [];
    await runReplay(
      new Float64Array([0, 10, 20, 30]),
      { warmupMs: 0, durationMs: 20 },
      { send: async (index) => sent.push(index), done() {} },
      clock,
    );
    expect(sent).toEqual([0, 1]);
  });
});
