/**
 * The cache-aside read path under test: GET from Redis; on a hit decode and
 * return; on a miss read the source and `SET key value PX ttl`. TTL 0 skips
 * Redis (the uncached baseline), `null` sets no expiry. When Redis errors or
 * times out, the read is served from the source and counted (fail open).
 *
 * The hit path is what the harness times, so it does one GET and one
 * JSON.parse, nothing else.
 */
import type { Invalidation, StampedeStrategy, TtlMs } from '../config/types.ts';
import { SourceError } from '../errors.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { ProductRow, SqliteSource } from '../source/sqliteSource.ts';
import type { Rng } from '../workload/rng.ts';
import { type CacheEntry, decodeEntry, encodeEntry, jitteredTtl, xfetchShouldRecompute } from './entry.ts';
import { LoadCoordinator } from './loadCoordinator.ts';

export type ReadOutcome = 'hit' | 'miss' | 'uncached' | 'fallback';

export interface ReadResult {
  outcome: ReadOutcome;
  row: ProductRow | undefined;
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
  /** Called on every Redis error, for logging; the error is already counted. */
  onRedisError?: (error: unknown) => void;
}

export class CacheAsideService {
  readonly counters: CacheCounters = newCounters();
  readonly keyPrefix: string;
  private readonly redis: RedisClient;
  private readonly source: SqliteSource;
  private readonly ttlMs: TtlMs;
  private readonly sliding: boolean;
  private readonly jitterPct: number;
  private readonly rng: Rng | undefined;
  private readonly xfetchBeta: number | undefined;
  private readonly coordinator: LoadCoordinator;
  private readonly onRedisError: ((error: unknown) => void) | undefined;

  constructor(options: CacheAsideOptions) {
    this.redis = options.redis;
    this.source = options.source;
    this.keyPrefix = options.keyPrefix;
    this.ttlMs = options.ttlMs;
    this.sliding = options.slidingTtl ?? false;
    this.jitterPct = options.ttlJitterPct ?? 0;
    this.rng = options.rng;
    const stampede = options.stampede ?? { kind: 'none' };
    this.xfetchBeta = stampede.kind === 'xfetch' ? stampede.beta : undefined;
    this.onRedisError = options.onRedisError;
    this.coordinator = new LoadCoordinator(stampede.kind, this.redis, this.counters, (id) => this.load(id));
  }

  key(id: number): string {
    return this.keyPrefix + id;
  }

  async get(id: number): Promise<ReadResult> {
    if (this.ttlMs === 0) {
      this.counters.uncached++;
      return { outcome: 'uncached', row: await this.readSource(id) };
    }
    let raw: string | null;
    try {
      raw = await this.fetch(id);
    } catch (error) {
      this.redisFailed(error);
      this.counters.fallbacks++;
      return { outcome: 'fallback', row: await this.readSource(id) };
    }
    if (raw !== null) {
      const entry = decodeEntry(raw);
      if (this.xfetchBeta === undefined || !this.recomputeEarly(entry, this.xfetchBeta)) {
        this.counters.hits++;
        return { outcome: 'hit', row: entry.v };
      }
      this.counters.earlyRecomputes++;
    }
    this.counters.misses++;
    const row = await this.coordinator.loadOnMiss(id, this.key(id));
    return { outcome: 'miss', row };
  }

  /** Applies an invalidation strategy after the source row changed. */
  async onWrite(id: number, invalidation: Invalidation, row: ProductRow | undefined): Promise<void> {
    if (invalidation === 'ttl' || this.ttlMs === 0) return;
    try {
      if (invalidation === 'delete' || row === undefined) await this.redis.del(this.key(id));
      else await this.store(id, row, 0);
    } catch (error) {
      this.redisFailed(error);
    }
  }

  private fetch(id: number): Promise<string | null> {
    const key = this.keyPrefix + id;
    if (this.sliding && this.ttlMs !== null) return this.redis.getEx(key, { type: 'PX', value: this.ttlMs });
    return this.redis.get(key);
  }

  private recomputeEarly(entry: CacheEntry, beta: number): boolean {
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
    return row;
  }

  private async store(id: number, row: ProductRow, loadMs: number): Promise<void> {
    const ttl = jitteredTtl(this.ttlMs, this.jitterPct, this.rng);
    const entry = encodeEntry({ v: row, d: loadMs, e: ttl === null ? null : Date.now() + ttl });
    if (ttl === null) await this.redis.set(this.key(id), entry);
    else await this.redis.set(this.key(id), entry, { expiration: { type: 'PX', value: ttl } });
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

export function newCounters(): CacheCounters {
  return {
    hits: 0,
    misses: 0,
    uncached: 0,
    fallbacks: 0,
    loads: 0,
    loadEpisodes: 0,
    earlyRecomputes: 0,
    redisErrors: 0,
    sourceErrors: 0,
  };
}
