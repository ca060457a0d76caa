/**
 * User sessions as Redis hashes with a sliding TTL: every touch (a request
 * by the session's user) writes to the hash and pushes its expiry out again,
 * so a session lives while it is used and is gone `ttlMs` after the last use.
 */
import type { RedisClient } from '../../src/redis/connection.ts';
import { keyName } from '../../src/redis/keyspace.ts';

/**
 * Touch = HSET + PEXPIRE, in a script so the pair is atomic and a touch never
 * revives a session that already expired (a bare HSET would create a new,
 * empty hash without a TTL). Returns Redis's own clock in microseconds at the
 * touch (0 when the session was gone), so expiry can be timed on the server's
 * clock rather than a busy client's.
 */
const TOUCH_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'last_seen', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local t = redis.call('TIME')
return tonumber(t[1]) * 1000000 + tonumber(t[2])`;

export class SessionStore {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    readonly ttlMs: number,
  ) {}

  key(id: string): string {
    return keyName(this.prefix, 'session', id);
  }

  /** A new session: its fields and its TTL in one MULTI. */
  async create(id: string, fields: Record<string, string>): Promise<void> {
    const key = this.key(id);
    await this.client.multi().hSet(key, fields).pExpire(key, this.ttlMs).exec();
  }

  /** Slides the session's expiry; the server's clock (ms) at the touch, or undefined when it was already gone. */
  async touch(id: string): Promise<number | undefined> {
    const reply = await this.client.eval(TOUCH_SCRIPT, {
      keys: [this.key(id)],
      arguments: [String(this.ttlMs), String(Date.now())],
    });
    return Number(reply) === 0 ? undefined : Number(reply) / 1000;
  }

  async get(id: string): Promise<Record<string, string>> {
    return this.client.hGetAll(this.key(id));
  }

  /** Redis's clock (ms) and whether the session exists, read at one instant (one MULTI). */
  async existsAt(id: string): Promise<{ exists: boolean; atMs: number }> {
    const [exists, time] = (await this.client.multi().exists(this.key(id)).time().exec()) as unknown as [
      number,
      [string, string],
    ];
    return { exists: exists === 1, atMs: Number(time[0]) * 1000 + Number(time[1]) / 1000 };
  }
}

/** When an idle session disappeared, on Redis's clock, in ms after its TTL ran out (the touch + ttlMs). */
export interface ExpiryTiming {
  /** The last check that still found it: at most +1, as Redis keeps expiry times in whole ms. */
  lastSeenMs: number;
  /** The first check that found it gone: how late, at most, it went. */
  goneMs: number;
  checks: number;
}

/**
 * Leaves a just-touched session idle and checks it back to back from
 * `leadMs` before its TTL runs out until it is gone. Each check is a read, so
 * it sees what a request arriving at that moment would see (Redis expires a
 * key on access, and in a background cycle otherwise).
 */
export async function timeIdleExpiry(
  store: SessionStore,
  id: string,
  touchedAtMs: number,
  options: { leadMs?: number; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ExpiryTiming> {
  const expiresAt = touchedAtMs + store.ttlMs;
  const first = await store.existsAt(id);
  const waitMs = expiresAt - first.atMs - (options.leadMs ?? 50);
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  let lastSeen = first.atMs;
  let checks = 1;
  const deadline = performance.now() + store.ttlMs + (options.timeoutMs ?? 5000);
  while (performance.now() < deadline) {
    options.signal?.throwIfAborted();
    const check = await store.existsAt(id);
    checks++;
    if (!check.exists) return { lastSeenMs: lastSeen - expiresAt, goneMs: check.atMs - expiresAt, checks };
    lastSeen = check.atMs;
  }
  throw new Error(`session ${store.key(id)} was still there ${options.timeoutMs ?? 5000} ms after its TTL`);
}

/** Touches one session back to back for `durationMs`: how many touches a second one client gets through. */
export async function touchesPerSecond(
  store: SessionStore,
  id: string,
  durationMs: number,
  signal?: AbortSignal,
): Promise<{ touches: number; perSecond: number }> {
  const started = performance.now();
  let touches = 0;
  while (performance.now() - started < durationMs) {
    signal?.throwIfAborted();
    if ((await store.touch(id)) === undefined) throw new Error(`session ${store.key(id)} expired while being touched`);
    touches++;
  }
  return { touches, perSecond: touches / ((performance.now() - started) / 1000) };
}
