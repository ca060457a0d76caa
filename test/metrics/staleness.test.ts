/** Stale detection on a scripted sequence where every stale hit is known in advance. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invalidation } from '../../src/config/types.ts';
import { StaleTracker } from '../../src/metrics/staleness.ts';
import { newRunPrefix } from '../../src/redis/keyspace.ts';
import { Source } from '../../src/source/source.ts';
import { SqliteDriver } from '../../src/source/sqliteDriver.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';
import { testService } from '../helpers/service.ts';

let redis: TestRedis;
let clock = 1_000_000;
const driver = new SqliteDriver();
const source = new Source(driver, { poolSize: 1, now: () => clock });

beforeAll(async () => {
  redis = await useRedisServer();
  await driver.seed(10, 1);
});
afterAll(() => source.close());

/** Runs a script of reads ('r') and writes ('w') on id 1, advancing the fake clock 10 ms per step. */
async function script(steps: string, invalidation: Invalidation) {
  const service = await testService(redis, { source, keyPrefix: `${newRunPrefix()}p:`, ttlMs: 60_000 });
  const tracker = new StaleTracker(source, () => clock);
  const ages: Array<number | null> = [];
  for (const step of steps) {
    clock += 10;
    if (step === 'w') {
      await service.onWrite(1, invalidation, await source.updateNow(1));
    } else {
      const result = await service.get(1);
      ages.push(result.outcome === 'hit' ? tracker.checkHit(1, result.version ?? 0) : null);
    }
  }
  return { ages, tracker };
}

describe('StaleTracker', () => {
  it('with TTL only, flags exactly the hits after a write, aged from that write', async () => {
    // miss, fresh hit, write, stale hit (10 ms after the write), stale hit (20 ms), write, stale hit still aged from the first write
    const { ages, tracker } = await script('rrwrrwr', 'ttl');
    expect(ages).toEqual([null, null, 10, 20, 40]);
    expect(tracker.stale).toBe(3);
    expect(tracker.checked).toBe(4);
    expect(tracker.maxAgeMs).toBe(40);
  });

  it('with delete-on-write, the read after a write misses and nothing is stale', async () => {
    const { ages, tracker } = await script('rrwrrwr', 'delete');
    expect(ages).toEqual([null, null, null, null, null]);
    expect(tracker.stale).toBe(0);
    expect(tracker.checked).toBe(2);
  });

  it('with write-through, hits after a write carry the new version', async () => {
    const { ages, tracker } = await script('rwrrwr', 'write-through');
    expect(ages).toEqual([null, null, null, null]);
    expect(tracker.checked).toBe(3);
    expect(tracker.maxAgeMs).toBeNull();
  });
});
