/** Sources and cache-aside services for tests, on a real SQLite database and a real redis-server. */
import { type CacheAsideOptions, CacheAsideService } from '../../src/cache/cacheAside.ts';
import { newCacheCounters } from '../../src/cache/counters.ts';
import { SingleServerStore } from '../../src/redis/cacheStore.ts';
import { GuardedConnection } from '../../src/redis/guardedConnection.ts';
import { latencySampler } from '../../src/source/latency.ts';
import { Source } from '../../src/source/source.ts';
import { SqliteDriver } from '../../src/source/sqliteDriver.ts';
import { createRng } from '../../src/workload/rng.ts';
import type { TestRedis } from './redis.ts';

/** An in-memory SQLite source with `rows` seeded rows, a fixed delay and a pool. */
export async function sqliteSource(rows = 100, options: { latencyMs?: number; pool?: number; seed?: number } = {}) {
  const driver = new SqliteDriver();
  await driver.seed(rows, options.seed ?? 1);
  const latencyMs = options.latencyMs ?? 0;
  return new Source(driver, {
    latency: latencySampler({ kind: 'fixed', ms: latencyMs }, createRng(1)),
    requestedDelayMs: latencyMs,
    poolSize: options.pool ?? 100,
  });
}

export type ServiceOptions = Omit<CacheAsideOptions, 'store' | 'counters'> & {
  /** Connect as this URL instead of the server's (e.g. an ACL user). */
  url?: string;
  counters?: CacheAsideOptions['counters'];
  commandTimeoutMs?: number;
};

/** A service with connections of its own (the guarded read connection is destroyed on a stall). */
export async function testService(redis: TestRedis, options: ServiceOptions): Promise<CacheAsideService> {
  const timeout = options.commandTimeoutMs ?? 500;
  const connect = options.url === undefined ? {} : { url: options.url };
  const reads = new GuardedConnection(await redis.connect({ commandTimeoutMs: timeout, ...connect }), timeout);
  return new CacheAsideService({
    ...options,
    counters: options.counters ?? newCacheCounters(),
    store: new SingleServerStore(reads),
  });
}
