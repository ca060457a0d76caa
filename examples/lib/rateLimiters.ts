/**
 * Two rate limiters on Redis, each one atomic script per request:
 * - fixed window: a counter per clock-aligned window (INCR, PEXPIRE on the
 *   first hit). Cheap, but a burst on both sides of a boundary gets the limit
 *   twice within one window's length;
 * - sliding log: a sorted set of the allowed requests' times, trimmed to the
 *   last window and counted before adding. Holds the limit over every window
 *   length, at the cost of one member per allowed request.
 * The caller passes each request's time, so a burst can be replayed exactly.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../../src/redis/connection.ts';
import { keyName } from '../../src/redis/keyspace.ts';

export interface RateLimiter {
  readonly name: string;
  /** Whether the request of `subject` at `nowMs` may go through (and, if so, count it). */
  allow(subject: string, nowMs: number): Promise<boolean>;
}

export interface LimitSettings {
  limit: number;
  windowMs: number;
}

/** INCR + PEXPIRE as one step: a counter that never lives without its expiry. */
const FIXED_WINDOW_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** Trim to (now - window, now], count, and add only when under the limit: one script, no race between the steps. */
const SLIDING_LOG_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

export function fixedWindow(client: RedisClient, prefix: string, { limit, windowMs }: LimitSettings): RateLimiter {
  return {
    name: 'fixed window',
    async allow(subject, nowMs) {
      const key = keyName(prefix, 'rate-fixed', `${subject}:${Math.floor(nowMs / windowMs)}`);
      const hits = await client.eval(FIXED_WINDOW_SCRIPT, { keys: [key], arguments: [String(windowMs)] });
      return Number(hits) <= limit;
    },
  };
}

export function slidingLog(client: RedisClient, prefix: string, { limit, windowMs }: LimitSettings): RateLimiter {
  return {
    name: 'sliding log',
    async allow(subject, nowMs) {
      const member = `${nowMs}:${randomBytes(6).toString('hex')}`;
      const allowed = await client.eval(SLIDING_LOG_SCRIPT, {
        keys: [keyName(prefix, 'rate-log', subject)],
        arguments: [String(nowMs), String(windowMs), String(limit), member],
      });
      return Number(allowed) === 1;
    },
  };
}

/** `total` request times, evenly spaced over `spanMs` before the window boundary `boundaryMs` and as long after it. */
export function burstAcross(boundaryMs: number, spanMs: number, total: number): number[] {
  const step = (2 * spanMs) / total;
  return Array.from({ length: total }, (_, i) => boundaryMs - spanMs + i * step);
}

/** The times of the requests `limiter` let through, sent in order. */
export async function replay(
  limiter: RateLimiter,
  subject: string,
  times: readonly number[],
  signal?: AbortSignal,
): Promise<number[]> {
  const allowed: number[] = [];
  for (const at of times) {
    signal?.throwIfAborted();
    if (await limiter.allow(subject, at)) allowed.push(at);
  }
  return allowed;
}

/** The most of `times` (ascending) inside any window (t - windowMs, t]: what a limit of N per window must keep ≤ N. */
export function mostInAnyWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while ((times[first] as number) <= (times[last] as number) - windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
