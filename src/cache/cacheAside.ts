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
import type { CacheStore } from '../redis/cacheStore.ts';
import type { SourceRow } from '../source/driver.ts';
import type { Source, SourceRead } from '../source/source.ts';
import type { Rng } from '../workload/rng.ts';
import type { CacheCounters } from './counters.ts';
import { CachedEntry, encodeEntry, jitteredTtl, xfetchShouldRecompute } from './entry.ts';
import { LoadCoordinator } from './loadCoordinator.ts';

export type ReadOutcome = 'hit' | 'miss' | 'uncached' | 'fallback';

export interface ReadResult {
  readonly outcome: ReadOutcome;
  /** The row; on a hit it is decoded from the cached value when first read. */
  readonly row: SourceRow | undefined;
  /** The row's version, as cached (hit) or as loaded (miss). */
  readonly version: number | undefined;
}

/** A hit: one allocation, nothing parsed until the caller asks. */
class HitResult extends CachedEntry implements ReadResult {
  get outcome(): 'hit' {
    return 'hit';
  }
}

function loaded(outcome: ReadOutcome, row: SourceRow | undefined): ReadResult {
  return { outcome, row, version: row?.version };
}

export interface CacheAsideOptions {
  /** Where reads, writes and the stampede lock's commands go (single server or cluster), with the bounded wait. */
  store: CacheStore;
  source: Source;
  /** The row's counters: the row runner owns them and adds their errors to the run's. */
  counters: CacheCounters;
  /** Run prefix plus entity, e.g. `cab:1a2b3c4d:product:`; the id is appended. */
  keyPrefix: string;
  ttlMs: TtlMs;
  /** Refresh the TTL on every hit with GETEX (session-store style). */
  slidingTtl?: boolean;
  ttlJitterPct?: number;
  stampede?: StampedeStrategy;
  rng?: Rng;
}

export class CacheAsideService {
  readonly counters: CacheCounters;
  readonly keyPrefix: string;
  private readonly redis: CacheStore;
  private readonly source: Source;
  private readonly ttlMs: TtlMs;
  private readonly sliding: boolean;
  private readonly jitterPct: number;
  private readonly rng: Rng | undefined;
  private readonly xfetchBeta: number | undefined;
  private readonly coordinator: LoadCoordinator;
  /** Keys whose value this service stored and has not yet seen missing: the open lifetimes. */
  private readonly live = new Set<number>();

  constructor(options: CacheAsideOptions) {
    this.redis = options.store;
    this.source = options.source;
    this.counters = options.counters;
    this.keyPrefix = options.keyPrefix;
    this.ttlMs = options.ttlMs;
    this.sliding = options.slidingTtl ?? false;
    this.jitterPct = options.ttlJitterPct ?? 0;
    this.rng = options.rng;
    const stampede = options.stampede ?? { kind: 'none' };
    this.xfetchBeta = stampede.kind === 'xfetch' ? stampede.beta : undefined;
    this.coordinator = new LoadCoordinator(stampede.kind, this.redis, this.counters, (id) => this.load(id));
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
    if (this.ttlMs === 0) return this.readSource(id).then((read) => loaded('uncached', read.row));
    return this.redis.read(
      this.keyPrefix + id,
      this.sliding ? this.ttlMs : null,
      (raw): ReadResult | Promise<ReadResult> => {
        if (raw !== null && this.xfetchBeta === undefined) return new HitResult(raw);
        return this.afterFetch(id, raw);
      },
      () => {
        this.counters.redisErrors++;
        return this.readSource(id).then((read) => loaded('fallback', read.row));
      },
    );
  }

  /** A miss, or an XFetch hit that may recompute early. */
  private async afterFetch(id: number, raw: string | null): Promise<ReadResult> {
    if (raw !== null) {
      const hit = new HitResult(raw);
      if (!this.recomputeEarly(hit, this.xfetchBeta as number)) return hit;
      this.counters.earlyRecomputes++;
    } else if (this.live.delete(id)) {
      this.counters.expiries++;
    }
    return loaded('miss', await this.coordinator.loadOnMiss(id, this.key(id)));
  }

  /**
   * Stores the rows of `ids` straight from the database (no injected delay,
   * no pool), many SETs in flight: a warm cache for measuring hits.
   */
  async fill(ids: readonly number[], inFlight = 500): Promise<void> {
    for (let i = 0; i < ids.length; i += inFlight) {
      const chunk = ids.slice(i, i + inFlight);
      const rows = await Promise.all(chunk.map((id) => this.source.driver.read(id)));
      await Promise.all(rows.map((row, j) => (row === undefined ? undefined : this.store(chunk[j] as number, row, 0))));
      for (const id of chunk) this.live.add(id);
    }
  }

  /** Applies an invalidation strategy after the source row changed. */
  async onWrite(id: number, invalidation: Invalidation, row: SourceRow | undefined): Promise<void> {
    if (invalidation === 'ttl' || this.ttlMs === 0) return;
    try {
      if (invalidation === 'delete' || row === undefined) {
        // Gone by invalidation, not expiry: the next miss is not an expiry.
        this.live.delete(id);
        await this.redis.del(this.key(id));
      } else {
        await this.store(id, row, 0);
        this.live.add(id);
      }
    } catch {
      this.counters.redisErrors++;
    }
  }

  private recomputeEarly(entry: CachedEntry, beta: number): boolean {
    return xfetchShouldRecompute(Date.now(), entry, beta, this.rng ? this.rng.nextOpen() : 1 - Math.random());
  }

  /** One source load that fills the cache: read (pool wait included), then SET with the (jittered) TTL. */
  private async load(id: number): Promise<SourceRow | undefined> {
    const started = performance.now();
    const read = await this.readSource(id);
    this.counters.loads++;
    if (read.row !== undefined) {
      try {
        await this.store(id, read.row, performance.now() - started);
        const stored = performance.now();
        if (!this.live.has(id)) {
          this.counters.refills++;
          this.counters.refillMs += stored - started;
          this.live.add(id);
        }
        this.counters.stores++;
        this.counters.raceWindowMs += stored - read.queriedAt;
      } catch {
        this.counters.redisErrors++;
      }
    }
    this.counters.loadMs += performance.now() - started;
    return read.row;
  }

  private async store(id: number, row: SourceRow, loadMs: number): Promise<void> {
    const ttl = jitteredTtl(this.ttlMs, this.jitterPct, this.rng);
    const entry = encodeEntry(row, loadMs, ttl === null ? null : Date.now() + ttl);
    await this.redis.set(this.key(id), entry, ttl === null ? {} : { pxMs: ttl });
  }

  private async readSource(id: number): Promise<SourceRead> {
    try {
      return await this.source.read(id);
    } catch (error) {
      this.counters.sourceErrors++;
      throw error instanceof SourceError ? error : new SourceError(String(error));
    }
  }
}
