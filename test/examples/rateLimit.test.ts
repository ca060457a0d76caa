/**
 * `example:rate-limit`: across a window boundary the fixed window lets twice
 * the limit through within one window's length, the sliding log exactly the
 * limit (and lets requests through again once the window has slid past), and
 * the script prints both counts, leaving only the user's keys.
 */
import { describe, expect, it } from 'vitest';
import { burstAcross, fixedWindow, mostInAnyWindow, replay, slidingLog } from '../../examples/lib/rateLimiters.ts';
import { scanKeys } from '../helpers/chaos.ts';
import { figure, runBesideUserKeys, SCRIPT_TIMEOUT_MS, useExampleServer } from './run.ts';

/** A long window: the counters' TTLs run on the real clock, and the replay must stay far inside them. */
const SETTINGS = { limit: 10, windowMs: 10_000 };
const USER_KEYS = { 'rate-fixed:user:7': '999', 'products:1': 'user data' };

describe('rate-limit', { timeout: SCRIPT_TIMEOUT_MS }, () => {
  const server = useExampleServer();

  // Request times are given, so the windows are exact whatever the machine's load.
  const boundary = (Math.floor(Date.now() / 10_000) + 1) * 10_000;
  const burst = burstAcross(boundary, 1000, 40);

  it('fixed window: the limit before the boundary and again after it, 2x within 2 s', async () => {
    const allowed = await replay(fixedWindow(server.scratch, 'cab:test0001:', SETTINGS), 'u', burst);
    expect(allowed.filter((at) => at < boundary)).toHaveLength(10);
    expect(allowed.filter((at) => at >= boundary)).toHaveLength(10);
    expect(mostInAnyWindow(allowed, 10_000)).toBe(20);
    // INCR and PEXPIRE are one step: no counter is ever left without its expiry.
    const counters = await scanKeys(server.scratch, 'cab:test0001:*');
    expect(counters).toHaveLength(2);
    for (const key of counters) expect(await server.scratch.pTTL(key)).toBeGreaterThan(0);
  });

  it('sliding log: exactly the limit across the boundary, and more once the window has slid past', async () => {
    const limiter = slidingLog(server.scratch, 'cab:test0002:', SETTINGS);
    const allowed = await replay(limiter, 'u', burst);
    expect(allowed).toEqual(burst.slice(0, 10));
    const first = allowed[0] as number;
    expect(await limiter.allow('u', first + 9999)).toBe(false);
    expect(await limiter.allow('u', first + 10_000)).toBe(true);
    expect(await limiter.allow('u', first + 10_000)).toBe(false);
  });

  it('keeps each subject to its own count', async () => {
    const limiter = slidingLog(server.scratch, 'cab:test0003:', SETTINGS);
    expect(await replay(limiter, 'a', burst)).toHaveLength(10);
    expect(await replay(limiter, 'b', burst)).toHaveLength(10);
  });

  it('counts the most requests inside any window length', () => {
    expect(mostInAnyWindow([], 1000)).toBe(0);
    expect(mostInAnyWindow([0, 500, 999, 1000, 1999], 1000)).toBe(3);
    expect(mostInAnyWindow([0, 1000, 2000], 1000)).toBe(1);
  });

  it('prints 20 through the fixed window and 10 through the sliding log, and leaves only the user keys', async () => {
    const stdout = await runBesideUserKeys(server, 'rate-limit', USER_KEYS);
    expect(figure(stdout, /the fixed window let (\d+) through/)).toBe(20);
    expect(figure(stdout, /the sliding log (\d+) \(limit 10\)/)).toBe(10);
    expect(stdout).toMatch(/fixed window let 20 of 40 through \(10 before the boundary, 10 after\)/);
  });
});
