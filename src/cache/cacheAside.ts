/**
 * The cache-aside read path under test: GET from Redis; on a hit decode and
 * return; on a miss read the source and `SET key value PX ttl`. TTL 0 skips
 * Redis (the uncached baseline), `null` sets no expiry. When Redis errors or
 * times out, the read is served from the source and counted (fail open).
 *
 * The hit path is what the harness times, so it does one GET, a counter and
 * one small object; the cached row is parsed only when someone reads it.
 */
import type { Invalidation, StampedeStrategy, TtlMs } from '../config/types.ts';
import { SourceError } from '../errors.ts';
import { DEFAULT_COMMAND_TIMEOUT_MS, type RedisClient } from '../redis/connection.ts';
import { GuardedConnection } from '../redis/guardedConnection.ts';
import type { ProductRow, SqliteSource } from '../source/sqliteSource.ts';
import type { Rng } from '../workload/rng.ts';
import { CachedEntry, encodeEntry, jitteredTtl, xfetchShouldRecompute } from './entry.ts';
import { LoadCoordinator } from './loadCoordinator.ts';

export type ReadOutcome = 'hit' | 'miss' | 'uncached' | 'fallback';

export interface ReadResult {
  readonly outcome: ReadOutcome;
  /** The row; on a hit it is decoded from the cached value when first read. */
  readonly row: ProductRow | undefined;
  /** The row's version, as cached (hit) or as loaded (miss). */
  readonly version: number | undefined;
}

/** A hit: one allocation, nothing parsed until the caller asks. */
class HitResult extends CachedEntry implements ReadResult {
  get outcome(): 'hit' {
    return 'hit';
  }
}

function loaded(outcome: ReadOutcome, row: ProductRow | undefined): ReadResult {
  return { outcome, row, version: row?.version };
}

export interface CacheCounters {
  hits: number;
  misses: number;
  uncached: number;
  /** Reads served from the source because Redis failed. */
  fallbacks: number;
  /** Source loads made to fill the cache (misses, early recomputes, lock holders). */
  loads: number;
  /** Periods during which at least one load of a key was in flight: one per expiry. */
  loadEpisodes: number;
  /** Total time loads took, source read plus SET, in ms: Δ is loadMs / loads. */
  loadMs: number;
  /** XFetch recomputes done before expiry. */
  earlyRecomputes: number;
  redisErrors: number;
  sourceErrors: number;
}

export interface CacheAsideOptions {
  redis: RedisClient;
  source: SqliteSource;
  /** Run prefix plus entity, e.g. `cab:1a2b3c4d:product:`; the id is appended. */
  keyPrefix: string;
  ttlMs: TtlMs;
  /** Refresh the TTL on every hit with GETEX (session-store style). */
  slidingTtl?: boolean;
  ttlJitterPct?: number;
  stampede?: StampedeStrategy;
  rng?: Rng;
  /**
   * The connection reads and writes go through, with its bounded wait. When
   * omitted, `redis` is wrapped in one (and is destroyed if Redis stalls), so
   * pass a dedicated connection in either case.
   */
  connection?: GuardedConnection;
  /** How long a read waits on Redis before it is served by the source, when `connection` is omitted. */
  commandTimeoutMs?: number;
  /** Called on every Redis error, for logging; the error is already counted. */
  onRedisError?: (error: unknown) => void;
}

export class CacheAsideService {
  readonly counters: CacheCounters = newCounters();
  readonly keyPrefix: string;
  private readonly conn: GuardedConnection;
  private readonly source: SqliteSource;
  private readonly ttlMs: TtlMs;
  private readonly sliding: boolean;
  private readonly jitterPct: number;
  private readonly rng: Rng | undefined;
  private readonly xfetchBeta: number | undefined;
  private readonly coordinator: LoadCoordinator;
  private readonly onRedisError: ((error: unknown) => void) | undefined;

  constructor(options: CacheAsideOptions) {
    this.conn =
      options.connection ??
      new GuardedConnection(options.redis, options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
    this.source = options.source;
    this.keyPrefix = options.keyPrefix;
    this.ttlMs = options.ttlMs;
    this.sliding = options.slidingTtl ?? false;
    this.jitterPct = options.ttlJitterPct ?? 0;
    this.rng = options.rng;
    const stampede = options.stampede ?? { kind: 'none' };
    this.xfetchBeta = stampede.kind === 'xfetch' ? stampede.beta : undefined;
    this.onRedisError = options.onRedisError;
    // The lock's commands are off the hot path and keep node-redis's own timeout.
    this.coordinator = new LoadCoordinator(stampede.kind, options.redis, this.counters, (id) => this.load(id));
  }

  key(id: number): string {
    return this.keyPrefix + id;
  }

  /**
   * One read. Written with `.then` rather than `async`/`await`: a hit then
   * resolves the caller one microtask sooner, which at 64 reads in flight is
   * measurable throughput (the hit path is what the harness times).
   */
  get(id: number): Promise<ReadResult> {
    if (this.ttlMs === 0) {
      this.counters.uncached++;
      return this.readSource(id).then((row) => loaded('uncached', row));
    }
    const conn = this.conn;
    conn.sending();
    return this.fetch(id).then(
      (raw) => {
        conn.answered();
        if (raw !== null && this.xfetchBeta === undefined) {
          this.counters.hits++;
          return new HitResult(raw);
        }
        return this.afterFetch(id, raw);
      },
      (error: unknown) => {
        conn.answered();
        this.redisFailed(error);
        this.counters.fallbacks++;
        return this.readSource(id).then((row) => loaded('fallback', row));
      },
    );
  }

  /** A miss, or an XFetch hit that may recompute early. */
  private async afterFetch(id: number, raw: string | null): Promise<ReadResult> {
    if (raw !== null) {
      const hit = new HitResult(raw);
      if (!this.recomputeEarly(hit, this.xfetchBeta as number)) {
        this.counters.hits++;
        return hit;
      }
      this.counters.earlyRecomputes++;
    }
    this.counters.misses++;
    return loaded('miss', await this.coordinator.loadOnMiss(id, this.key(id)));
  }

  /** Applies an invalidation strategy after the source row changed. */
  async onWrite(id: number, invalidation: Invalidation, row: ProductRow | undefined): Promise<void> {
    if (invalidation === 'ttl' || this.ttlMs === 0) return;
    try {
      if (invalidation === 'delete' || row === undefined) await this.conn.track(this.conn.client.del(this.key(id)));
      else await this.store(id, row, 0);
    } catch (error) {
      this.redisFailed(error);
    }
  }

  /** The GET (or GETEX for a sliding TTL); `get` does the bookkeeping of the guarded connection. */
  private fetch(id: number): Promise<string | null> {
    const key = this.keyPrefix + id;
    const client = this.conn.client;
    if (this.sliding && this.ttlMs !== null) return client.getEx(key, { type: 'PX', value: this.ttlMs });
    return client.get(key);
  }

  private recomputeEarly(entry: CachedEntry, beta: number): boolean {
    return xfetchShouldRecompute(Date.now(), entry, beta, this.rng ? this.rng.nextOpen() : 1 - Math.random());
  }

  /** One source load that fills the cache: read, then SET with the (jittered) TTL. */
  private async load(id: number): Promise<ProductRow | undefined> {
    const started = performance.now();
    const row = await this.readSource(id);
    this.counters.loads++;
    if (row !== undefined) {
      try {
        await this.store(id, row, performance.now() - started);
      } catch (error) {
        this.redisFailed(error);
      }
    }
    this.counters.loadMs += performance.now() - started;
    return row;
  }

  private async store(id: number, row: ProductRow, loadMs: number): Promise<void> {
    const ttl = jitteredTtl(this.ttlMs, this.jitterPct, this.rng);
    const entry = encodeEntry(row, loadMs, ttl === null ? null : Date.now() + ttl);
    const key = this.key(id);
    const client = this.conn.client;
    await this.conn.track(
      ttl === null ? client.set(key, entry) : client.set(key, entry, { expiration: { type: 'PX', value: ttl } }),
    );
  }

  private async readSource(id: number): Promise<ProductRow | undefined> {
    try {
      return await this.source.read(id);
    } catch (error) {
      this.counters.sourceErrors++;
      throw error instanceof SourceError ? error : new SourceError(String(error));
    }
  }

  private redisFailed(error: unknown): void {
    this.counters.redisErrors++;
    this.onRedisError?.(error);
  }
}

function newCounters(): CacheCounters {
  return {
    hits: 0,
    misses: 0,
    uncached: 0,
    fallbacks: 0,
    loads: 0,
    loadEpisodes: 0,
    loadMs: 0,
    earlyRecomputes: 0,
    redisErrors: 0,
    sourceErrors: 0,
  };
}
