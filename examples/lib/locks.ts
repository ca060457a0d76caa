/**
 * A distributed lock on one Redis: SET key token NX PX ttl takes it, a Lua
 * compare-and-delete releases it only while the token is still ours. The TTL
 * frees the lock of a holder that died, and by the same rule takes it from a
 * holder that is merely slow: `outlivedLock` shows that weakness.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../../src/redis/connection.ts';

/** Deletes the lock only if it still holds our token: a late holder must not free someone else's lock. */
const RELEASE_SCRIPT =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The lock's token when we took it, undefined when someone else holds it. */
export async function tryAcquire(client: RedisClient, key: string, ttlMs: number): Promise<string | undefined> {
  const token = randomBytes(8).toString('hex');
  const reply = await client.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
  return reply === 'OK' ? token : undefined;
}

/** Waits for the lock, trying every ms: our token, and how many tries found it taken. */
export async function acquire(
  client: RedisClient,
  key: string,
  ttlMs: number,
): Promise<{ token: string; waits: number }> {
  for (let waits = 0; ; waits++) {
    const token = await tryAcquire(client, key, ttlMs);
    if (token !== undefined) return { token, waits };
    await sleep(1);
  }
}

/** The release script's reply: 1 when our lock was deleted, 0 when the lock was no longer ours. */
export async function release(client: RedisClient, key: string, token: string): Promise<number> {
  return Number(await client.eval(RELEASE_SCRIPT, { keys: [key], arguments: [token] }));
}

/** Keys one contest shares between its processes. */
export function contestKeys(prefix: string): { lock: string; holders: string; balance: string } {
  return { lock: `${prefix}lock`, holders: `${prefix}holders`, balance: `${prefix}balance` };
}

export interface RoundsResult {
  rounds: number;
  /** Rounds in which this process found someone else inside the critical section. */
  violations: number;
  /** Attempts that found the lock taken: proof the processes really contended. */
  waits: number;
  /** Releases the script refused (the lock had expired under us): 0 while the TTL outlasts the work. */
  refusedReleases: number;
}

/**
 * `rounds` critical sections: INCR a holders counter (it must read 1: nobody
 * else inside), a read-modify-write of a shared balance with a pause in the
 * middle (lost updates if two overlap), DECR, release. With `useLock: false`
 * the same rounds run unguarded, to show that the check does catch overlap.
 */
export async function runRounds(
  client: RedisClient,
  prefix: string,
  options: { rounds: number; ttlMs: number; useLock: boolean },
): Promise<RoundsResult> {
  const keys = contestKeys(prefix);
  const result: RoundsResult = { rounds: options.rounds, violations: 0, waits: 0, refusedReleases: 0 };
  for (let round = 0; round < options.rounds; round++) {
    const held = options.useLock ? await acquire(client, keys.lock, options.ttlMs) : undefined;
    result.waits += held?.waits ?? 0;
    if ((await client.incr(keys.holders)) !== 1) result.violations++;
    const balance = Number((await client.get(keys.balance)) ?? 0);
    await sleep(1);
    await client.set(keys.balance, String(balance + 1));
    await client.decr(keys.holders);
    if (held && (await release(client, keys.lock, held.token)) === 0) result.refusedReleases++;
    // Let the other process in before trying again, or one process could hold the lock for all its rounds.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return result;
}

export interface OutlivedLock {
  ttlMs: number;
  /** When B got the lock, in ms after A took it: just after A's TTL. */
  takenOverAfterMs: number;
  /** The release script's reply to A, finishing late: 0. */
  lateRelease: number;
  /** The lock still held B's token after A's release. */
  keptForB: boolean;
  /** B's own release: 1. */
  ownRelease: number;
}

/**
 * A takes the lock with a short TTL and stalls three times as long (a GC
 * pause, a slow call); B polls and takes the lock once it expires; then A
 * finishes and releases. The script returns 0 and B's lock stays — but while
 * A stalled, both believed they held the lock: the lock alone cannot prevent
 * that (a fencing token checked by the resource can).
 */
export async function outlivedLock(client: RedisClient, key: string, ttlMs: number): Promise<OutlivedLock> {
  // Timed from before A's SET: its TTL starts when Redis runs it, after this and before the reply.
  const started = performance.now();
  const tokenA = await tryAcquire(client, key, ttlMs);
  if (tokenA === undefined) throw new Error(`lock ${key} was already taken`);
  const { token: tokenB } = await acquire(client, key, ttlMs * 10);
  const takenOverAfterMs = performance.now() - started;
  await sleep(Math.max(0, 3 * ttlMs - (performance.now() - started)));
  const lateRelease = await release(client, key, tokenA);
  const keptForB = (await client.get(key)) === tokenB;
  return { ttlMs, takenOverAfterMs, lateRelease, keptForB, ownRelease: await release(client, key, tokenB) };
}
