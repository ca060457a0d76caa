import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/load/clock.ts';
import { LATE_MS, runClosedLoop, runOpenLoop, VERY_LATE_MS } from '../../src/load/drivers.ts';
import { createRng } from '../../src/workload/rng.ts';

/** Virtual time: sleeping jumps the clock; `stallAt` makes one sleep overrun by `stallMs` (a GC pause, a busy loop). */
function fakeClock(stall?: { at: number; ms: number }): Clock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    async sleepUntil(target: number) {
      await Promise.resolve();
      clock.t = Math.max(clock.t, target);
      if (stall && clock.t >= stall.at) {
        clock.t += stall.ms;
        stall = undefined;
      }
    },
  };
  return clock;
}

describe('runOpenLoop', () => {
  it('offers Poisson load at the target rate and measures only the window', async () => {
    const clock = fakeClock();
    const latencies: Array<{ ms: number; measured: boolean }> = [];
    const report = await runOpenLoop(
      1000,
      { warmupMs: 1000, durationMs: 10_000 },
      createRng(5),
      { send: async () => 'ok', done: (_r, ms, _service, measured) => latencies.push({ ms, measured }) },
      clock,
    );
    const measured = latencies.filter((l) => l.measured);
    // 10,000 expected sends; Poisson's standard deviation is 100.
    expect(report.measuredRequests).toBeGreaterThan(9600);
    expect(report.measuredRequests).toBeLessThan(10_400);
    expect(measured.length).toBe(report.measuredRequests);
    expect(latencies.length - measured.length).toBeGreaterThan(900); // the warm-up sends, not measured
    expect(Math.abs(report.achievedRate - 1000) / 1000).toBeLessThan(0.04);
    expect(report.lateSends).toBe(0);
    expect(Math.max(...measured.map((l) => l.ms))).toBe(0);
  });

  it('charges a stall to every request it delayed, timed from the intended send', async () => {
    const clock = fakeClock({ at: 5000, ms: 50 });
    const latencies: number[] = [];
    const services: number[] = [];
    const lateness: number[] = [];
    const report = await runOpenLoop(
      1000,
      { warmupMs: 0, durationMs: 10_000 },
      createRng(9),
      {
        send: async () => 'ok',
        done: (_r, ms, serviceMs) => {
          latencies.push(ms);
          services.push(serviceMs);
        },
        onSent: (ms) => lateness.push(ms),
      },
      clock,
    );
    // About 50 requests were due during the 50 ms stall: each is late, and its latency is its wait.
    expect(report.lateSends).toBeGreaterThan(30);
    expect(report.lateSends).toBeLessThan(75);
    const delayed = latencies.filter((ms) => ms > LATE_MS);
    expect(delayed.length).toBe(report.lateSends);
    expect(Math.max(...latencies)).toBeGreaterThan(45);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(50);
    // The stall is the sender's, not the service's: timed from the actual send, nothing waited.
    expect(Math.max(...services)).toBe(0);
    expect(lateness.length).toBe(report.measuredRequests);
    expect(lateness.filter((ms) => ms > VERY_LATE_MS).length).toBe(report.veryLateSends);
    expect(report.veryLateSends).toBeGreaterThan(20);
  });

  it('reports the rate it achieved, not the one it was asked for, when it cannot keep up', async () => {
    const clock = fakeClock();
    // Every send costs 2 ms of this process's time: at most 500 sends/s however many are due.
    const report = await runOpenLoop(
      1000,
      { warmupMs: 0, durationMs: 2000 },
      createRng(6),
      {
        send: async () => {
          clock.t += 2;
        },
        done() {},
      },
      clock,
    );
    expect(report.achievedRate).toBeGreaterThan(450);
    expect(report.achievedRate).toBeLessThan(550);
    expect(report.lateSends / report.measuredRequests).toBeGreaterThan(0.9);
  });

  it('gives the same request schedule for the same seed', async () => {
    const schedule = async (seed: number) => {
      const clock = fakeClock();
      const sentAt: number[] = [];
      await runOpenLoop(
        200,
        { warmupMs: 0, durationMs: 1000 },
        createRng(seed),
        {
          send: async () => sentAt.push(clock.now()),
          done() {},
        },
        clock,
      );
      return sentAt;
    };
    expect(await schedule(3)).toEqual(await schedule(3));
    expect(await schedule(3)).not.toEqual(await schedule(4));
  });

  it('counts a request that throws as an error, not a latency', async () => {
    const clock = fakeClock();
    let done = 0;
    const report = await runOpenLoop(
      100,
      { warmupMs: 0, durationMs: 1000 },
      createRng(1),
      {
        send: async (i) => {
          if (i % 2) throw new Error('boom');
          return i;
        },
        done: () => {
          done++;
        },
      },
      clock,
    );
    expect(report.errors).toBeGreaterThan(30);
    expect(report.errors + done).toBe(report.measuredRequests);
  });
});

describe('runClosedLoop', () => {
  it('keeps exactly N requests in flight', async () => {
    const clock = fakeClock();
    let inFlight = 0;
    let peak = 0;
    const report = await runClosedLoop(
      8,
      { warmupMs: 10, durationMs: 100 },
      {
        async send() {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await clock.sleepUntil(clock.now() + 1);
          inFlight--;
        },
        done() {},
      },
      clock,
    );
    expect(peak).toBe(8);
    expect(report.mode).toBe('closed');
    expect(report.measuredRequests).toBeGreaterThan(0);
  });
});
