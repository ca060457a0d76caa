/**
 * `example:lock`: two real processes under the lock never share the critical
 * section and lose no update; without it they do (so the check can fail); a
 * holder that outlives its TTL loses the lock and its release is refused;
 * the script prints the figure and leaves only the user's keys.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Contenders } from '../../examples/lib/lockContest.ts';
import { outlivedLock, release, tryAcquire } from '../../examples/lib/locks.ts';
import { figure, runBesideUserKeys, SCRIPT_TIMEOUT_MS, useExampleServer } from './run.ts';

const USER_KEYS = { 'slow:lock': 'the user own lock', 'products:1': 'user data' };

describe('lock', { timeout: SCRIPT_TIMEOUT_MS }, () => {
  const server = useExampleServer();
  let contenders: Contenders | undefined;
  afterAll(async () => {
    await contenders?.stop();
  });

  it('two processes: mutual exclusion in every round with the lock, overlap and lost updates without', async () => {
    contenders = await Contenders.start(`${server.redis.url}/1`, 2);
    const task = { rounds: 50, ttlMs: 5000 };
    const locked = await contenders.run(server.scratch, { ...task, prefix: 'cab:test0001:', useLock: true });
    expect(locked).toMatchObject({ processes: 2, rounds: 100, violations: 0, balance: 100, refusedReleases: 0 });
    const unlocked = await contenders.run(server.scratch, { ...task, prefix: 'cab:test0002:', useLock: false });
    expect(unlocked.violations).toBeGreaterThan(0);
    expect(unlocked.balance).toBeLessThan(100);
    await contenders.stop();
  });

  it('releases only with its own token', async () => {
    const key = 'cab:test0003:lock';
    const token = await tryAcquire(server.scratch, key, 5000);
    expect(token).toBeDefined();
    expect(await tryAcquire(server.scratch, key, 5000)).toBeUndefined();
    expect(await release(server.scratch, key, 'not-the-token')).toBe(0);
    expect(await server.scratch.get(key)).toBe(token);
    expect(await release(server.scratch, key, token as string)).toBe(1);
    expect(await server.scratch.exists(key)).toBe(0);
  });

  it('a holder that outlives its TTL loses the lock to another, and its late release is refused', async () => {
    const outlived = await outlivedLock(server.scratch, 'cab:test0004:lock', 200);
    // Redis keeps expiry times in whole ms: B can get in up to 1 ms early by our clock.
    expect(outlived.takenOverAfterMs).toBeGreaterThanOrEqual(199);
    expect(outlived).toMatchObject({ lateRelease: 0, keptForB: true, ownRelease: 1 });
  });

  it('prints mutual exclusion in every round and leaves only the user keys', async () => {
    const stdout = await runBesideUserKeys(server, 'lock', USER_KEYS);
    expect(stdout).toMatch(/figure: mutual exclusion held in 200 of 200 rounds across 2 processes \(0 violations;/);
    expect(figure(stdout, /; (\d+) without the lock\)/)).toBeGreaterThan(0);
    expect(stdout).toMatch(/A's late release -> 0 \(refused\), B's lock kept: yes, B's release -> 1/);
  });
});
