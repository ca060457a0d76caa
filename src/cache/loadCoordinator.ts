/**
 * Who loads a missing key from the source, per stampede strategy:
 * - `none`: every miss loads (requests during a load all miss: 1 + λΔ loads per expiry);
 * - `single-flight`: concurrent misses in this process share one load;
 * - `lock`: a Redis lock (`SET NX PX`) elects one loader across processes; the
 *   others poll the key and read it, and the lock's expiry frees them if the
 *   holder dies;
 * - `xfetch`: misses load as with `none`; the early recompute happens on hits.
 */
import { randomBytes } from 'node:crypto';
import type { StampedeStrategy } from '../config/types.ts';
import { preciseSleep as sleep } from '../load/preciseTimer.ts';
import type { CacheStore } from '../redis/cacheStore.ts';
import { lockKeyFor } from '../redis/keyspace.ts';
import type { SourceRow } from '../source/driver.ts';
import type { CacheCounters } from './counters.ts';
import { CachedEntry } from './entry.ts';

export interface LockSettings {
  /** How long the lock lives: a holder that dies frees it after this. */
  ttlMs: number;
  /** A waiter's first look for the value; each later look waits twice as long, up to `maxPollMs`. */
  pollMs: number;
  maxPollMs: number;
}

/**
 * Waiters back off (2, 4, 8, 16, 16 … ms): polling every 2 ms made each
 * waiter cost five round trips per 10 ms load, and under load the waiters'
 * own traffic slowed the holder, which made more waiters — a meltdown seen
 * at 4,000 reads/s on a busy 2-core machine.
 */
export const DEFAULT_LOCK: LockSettings = { ttlMs: 1000, pollMs: 2, maxPollMs: 16 };

/** Deletes the lock only if we still hold it, so a slow holder never frees another's lock. */
const RELEASE_SCRIPT =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

type Loader = (id: number) => Promise<SourceRow | undefined>;

export class LoadCoordinator {
  private readonly shared = new Map<number, Promise<SourceRow | undefined>>();

  /**
   * `conn` is the read path's guarded connection: the lock's commands get the
   * same cheap bounded wait as reads. `counters` is the row's: lock-path errors
   * count toward the run's like any other Redis error.
   */
  constructor(
    private readonly strategy: StampedeStrategy['kind'],
    private readonly redis: CacheStore,
    private readonly counters: Pick<CacheCounters, 'redisErrors' | 'lockWaits'>,
    private readonly loader: Loader,
    private readonly lock: LockSettings = DEFAULT_LOCK,
  ) {}

  loadOnMiss(id: number, key: string): Promise<SourceRow | undefined> {
    switch (this.strategy) {
      case 'single-flight':
        return this.singleFlight(id);
      case 'lock':
        return this.withLock(id, key);
      default:
        return this.loader(id);
    }
  }

  private singleFlight(id: number): Promise<SourceRow | undefined> {
    const pending = this.shared.get(id);
    if (pending) return pending;
    const load = this.loader(id).finally(() => this.shared.delete(id));
    this.shared.set(id, load);
    return load;
  }

  /**
   * The value is re-read after the lock is taken: a holder can store and
   * release between our GET (nil) and our SET NX, and loading again then
   * would be a second load for one expiry (measured: 1.09–1.16 loads per
   * expiry before this re-read).
   */
  private async withLock(id: number, key: string): Promise<SourceRow | undefined> {
    const lockKey = lockKeyFor(key);
    const token = randomBytes(8).toString('hex');
    // A holder that died leaves the lock until it expires; after that one of
    // the waiters takes it. Bounded so a broken Redis cannot spin us forever.
    for (let attempt = 0; attempt < 3; attempt++) {
      let acquired: boolean;
      try {
        acquired = await this.redis.set(lockKey, token, { nx: true, pxMs: this.lock.ttlMs });
      } catch {
        this.counters.redisErrors++;
        return this.loader(id);
      }
      if (acquired) return this.holdLock(id, key, lockKey, token);
      this.counters.lockWaits++;
      const found = await this.waitForValue(key, lockKey);
      if (found !== undefined) return found;
    }
    return this.loader(id);
  }

  private async holdLock(id: number, key: string, lockKey: string, token: string): Promise<SourceRow | undefined> {
    try {
      const [stored] = await this.look(key, lockKey).catch(() => {
        this.counters.redisErrors++;
        return [undefined];
      });
      return stored ?? (await this.loader(id));
    } finally {
      await this.redis.evalScript(RELEASE_SCRIPT, [lockKey], [token]).catch(() => {
        this.counters.redisErrors++;
      });
    }
  }

  /** Polls until the holder stores the value (returned) or the lock is gone (undefined: try to take it). */
  private async waitForValue(key: string, lockKey: string): Promise<SourceRow | undefined> {
    const deadline = performance.now() + this.lock.ttlMs + this.lock.maxPollMs;
    for (let pause = this.lock.pollMs; performance.now() < deadline; pause = Math.min(2 * pause, this.lock.maxPollMs)) {
      await sleep(pause);
      try {
        const [row, held] = await this.look(key, lockKey);
        if (row !== undefined) return row;
        // Gone: the holder released, perhaps right after we looked. Read once more before competing.
        if (!held) return (await this.look(key, lockKey))[0];
      } catch {
        this.counters.redisErrors++;
        return undefined;
      }
    }
    return undefined;
  }

  /** The value and whether the lock is held, in one round trip (MGET: same slot, through the hash tag). */
  private async look(key: string, lockKey: string): Promise<[SourceRow | undefined, boolean]> {
    const [raw, lock] = await this.redis.mGet([key, lockKey]);
    return [raw == null ? undefined : new CachedEntry(raw).row, lock != null];
  }
}
