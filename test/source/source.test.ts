/** The source as the cache sees it: injected delay, the pool's bound and FIFO line, counts, versions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTimer } from '../../src/load/preciseTimer.ts';
import { latencySampler } from '../../src/source/latency.ts';
import { Pool } from '../../src/source/pool.ts';
import { Source } from '../../src/source/source.ts';
import { SqliteDriver } from '../../src/source/sqliteDriver.ts';
import { createRng } from '../../src/workload/rng.ts';

const driver = new SqliteDriver();
beforeAll(async () => {
  await startTimer('thread');
  await driver.seed(10, 1);
});
afterAll(() => driver.close());

function source(latencyMs: number, poolSize: number, now?: () => number): Source {
  const latency = latencySampler({ kind: 'fixed', ms: latencyMs }, createRng(1));
  return new Source(driver, { latency, requestedDelayMs: latencyMs, poolSize, ...(now ? { now } : {}) });
}

describe('Source', () => {
  it('applies the injected latency to every read and says when the query ran', async () => {
    const s = source(30, 10);
    const started = performance.now();
    const { row, queriedAt } = await s.read(1);
    // Lower bounds only: timers may fire late on a busy machine, never early (1 ms for clock granularity).
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    expect(queriedAt - started).toBeGreaterThanOrEqual(14);
    expect(row?.id).toBe(1);
    expect(s.reads).toBe(1);
    expect(s.timing.delay.totalCount).toBe(1);
  });

  it('keeps at most N queries in flight; the rest wait, and the wait is measured', async () => {
    const s = source(20, 2);
    let inFlight = 0;
    let most = 0;
    const read = s.driver.read.bind(s.driver);
    s.driver.read = async (id) => {
      most = Math.max(most, ++inFlight);
      try {
        return await read(id);
      } finally {
        inFlight--;
      }
    };
    try {
      await Promise.all(Array.from({ length: 6 }, (_, i) => s.read(i + 1)));
    } finally {
      s.driver.read = read;
    }
    expect(s.pool.inUse).toBe(0);
    expect(s.pool.maxQueue).toBe(4);
    // Six reads of 20 ms through two slots: the last waited two rounds.
    expect(s.timing.poolWait.maxValue / 1000).toBeGreaterThanOrEqual(38);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('logs every version it writes, with when, for stale checks off the timed path', async () => {
    let clock = 1_000;
    const s = source(0, 1, () => clock);
    expect(s.currentVersion(3)).toBe(1);
    clock = 5_000;
    const row = await s.update(3);
    expect(row).toMatchObject({ id: 3, updated_at: 5_000 });
    expect(s.currentVersion(3)).toBe(row?.version);
    expect(s.versions.writtenAtOf(3, row?.version ?? 0)).toBe(5_000);
    expect(s.writes).toBe(1);
  });
});

describe('Pool', () => {
  it('hands slots out first come, first served', async () => {
    const pool = new Pool(1);
    expect(pool.tryAcquire()).toBe(true);
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) => pool.acquire().then(() => order.push(n)));
    expect(pool.queued).toBe(3);
    for (let i = 0; i < 3; i++) {
      pool.release();
      await Promise.resolve();
    }
    pool.release();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
    expect(pool.inUse).toBe(0);
    expect(() => new Pool(0)).toThrow(RangeError);
  });

  /* An overloaded run queued 120,000 reads here; Array.shift made releasing them quadratic (20 s). */
  it('keeps first come, first served through a line of 200,000 while it is drained and refilled', async () => {
    const pool = new Pool(1);
    pool.tryAcquire();
    const order: number[] = [];
    let next = 0;
    const enqueue = (n: number) => {
      for (let i = 0; i < n; i++) {
        const id = next++;
        void pool.acquire().then(() => order.push(id));
      }
    };
    enqueue(150_000);
    for (let i = 0; i < 100_000; i++) pool.release();
    enqueue(50_000);
    while (pool.queued > 0) pool.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(Array.from({ length: 200_000 }, (_, i) => i));
    expect(pool.inUse).toBe(1);
    pool.release();
    expect(pool.inUse).toBe(0);
  });
});
