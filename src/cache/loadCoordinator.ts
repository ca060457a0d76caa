/**
 * Who loads a missing key from the source, per stampede strategy:
 * - `none`: every miss loads (requests during a load all miss: 1 + λΔ loads per expiry);
 * - `single-flight`: concurrent misses in this process share one load;
 * - `lock`: a Redis lock (`SET NX PX`) elects one loader across processes; the
 *   others poll the key briefly and read it, and the lock's expiry frees them if
 *   the holder dies;
 * - `xfetch`: misses load as with `none`; the early recompute happens on hits.
 *
 * It also counts load episodes (periods with a load of the key in flight),
 * which is how the harness measures loads per expiry without guessing.
 */
import { randomBytes } from 'node:crypto';
import type { StampedeStrategy } from '../config/types.ts';
import type { RedisClient } from '../redis/connection.ts';
import { lockKeyFor } from '../redis/keyspace.ts';
import { sleep } from '../source/latency.ts';
import type { ProductRow } from '../source/sqliteSource.ts';
import type { CacheCounters } from './cacheAside.ts';
import { CachedEntry } from './entry.ts';

export interface LockSettings {
  /** How long the lock lives: a holder that dies frees it after this. */
  ttlMs: number;
  /** How often waiters look for the value. */
  pollMs: number;
}

export const DEFAULT_LOCK: LockSettings = { ttlMs: 1000, pollMs: 2 };

/** Deletes the lock only if we still hold it, so a slow holder never frees another's lock. */
const RELEASE_SCRIPT =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

type Loader = (id: number) => Promise<ProductRow | undefined>;

export class LoadCoordinator {
  private readonly inFlight = new Map<number, number>();
  private readonly shared = new Map<number, Promise<ProductRow | undefined>>();

  constructor(
    private readonly strategy: StampedeStrategy['kind'],
    private readonly redis: RedisClient,
    private readonly counters: CacheCounters,
    private readonly loader: Loader,
    private readonly lock: LockSettings = DEFAULT_LOCK,
  ) {}

  loadOnMiss(id: number, key: string): Promise<ProductRow | undefined> {
    switch (this.strategy) {
      case 'single-flight':
        return this.singleFlight(id);
      case 'lock':
        return this.withLock(id, key);
      default:
        return this.tracked(id);
    }
  }

  /** Runs one load and keeps the episode count: a new episode starts when no load of the key is in flight. */
  private async tracked(id: number): Promise<ProductRow | undefined> {
    const running = this.inFlight.get(id) ?? 0;
    if (running === 0) this.counters.loadEpisodes++;
    this.inFlight.set(id, running + 1);
    try {
      return await this.loader(id);
    } finally {
      const left = (this.inFlight.get(id) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(id);
      else this.inFlight.set(id, left);
    }
  }

  private singleFlight(id: number): Promise<ProductRow | undefined> {
    const pending = this.shared.get(id);
    if (pending) return pending;
    const load = this.tracked(id).finally(() => this.shared.delete(id));
    this.shared.set(id, load);
    return load;
  }

  private async withLock(id: number, key: string): Promise<ProductRow | undefined> {
    // In the data key's hash slot, so on a cluster lock and value share a node.
    const lockKey = lockKeyFor(key);
    const token = randomBytes(8).toString('hex');
    // A holder that died leaves the lock until it expires; after that one of
    // the waiters takes it. Bounded so a broken Redis cannot spin us forever.
    for (let attempt = 0; attempt < 3; attempt++) {
      let acquired: boolean;
      try {
        acquired =
          (await this.redis.set(lockKey, token, {
            condition: 'NX',
            expiration: { type: 'PX', value: this.lock.ttlMs },
          })) === 'OK';
      } catch {
        this.counters.redisErrors++;
        return this.tracked(id);
      }
      if (acquired) {
        try {
          return await this.tracked(id);
        } finally {
          await this.redis.eval(RELEASE_SCRIPT, { keys: [lockKey], arguments: [token] }).catch(() => {
            this.counters.redisErrors++;
          });
        }
      }
      const found = await this.waitForValue(key, lockKey);
      if (found !== undefined) return found;
    }
    return this.tracked(id);
  }

  /** Polls until the holder stores the value (returned) or the lock is gone (undefined: try to take it). */
  private async waitForValue(key: string, lockKey: string): Promise<ProductRow | undefined> {
    const deadline = performance.now() + this.lock.ttlMs + this.lock.pollMs;
    while (performance.now() < deadline) {
      await sleep(this.lock.pollMs);
      try {
        const raw = await this.redis.get(key);
        if (raw !== null) return new CachedEntry(raw).row;
        if ((await this.redis.exists(lockKey)) === 0) return undefined;
      } catch {
        this.counters.redisErrors++;
        return undefined;
      }
    }
    return undefined;
  }
}
