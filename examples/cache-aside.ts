/**
 * The seed's redis_perf.py: cache-aside in front of a slow source. The first
 * read of an id misses (pays the 20 ms source delay and fills Redis), the
 * second hits Redis.
 */
import { CacheAsideService } from '../src/cache/cacheAside.ts';
import { newCacheCounters } from '../src/cache/counters.ts';
import { SingleServerStore } from '../src/redis/cacheStore.ts';
import { latencySampler } from '../src/source/latency.ts';
import { Source } from '../src/source/source.ts';
import { SqliteDriver } from '../src/source/sqliteDriver.ts';
import { createRng } from '../src/workload/rng.ts';
import { runExample } from './shared.ts';

const SOURCE_LATENCY_MS = 20;
const TTL_MS = 60_000;

await runExample('cache-aside', async ({ client, reads, prefix }) => {
  const driver = new SqliteDriver();
  const latency = latencySampler({ kind: 'fixed', ms: SOURCE_LATENCY_MS }, createRng(1));
  const source = new Source(driver, { latency, poolSize: 10 });
  try {
    await driver.seed(5, 42);
    console.log(
      `source: SQLite with ${driver.keys()} products, ${SOURCE_LATENCY_MS} ms per query; cache TTL ${TTL_MS} ms`,
    );
    const service = new CacheAsideService({
      store: new SingleServerStore(reads),
      source,
      counters: newCacheCounters(),
      keyPrefix: `${prefix}product:`,
      ttlMs: TTL_MS,
    });
    for (const attempt of [1, 2]) {
      const started = performance.now();
      const { outcome, row } = await service.get(1);
      const ms = (performance.now() - started).toFixed(2);
      const from = outcome === 'hit' ? 'Redis' : 'the source';
      console.log(`read ${attempt} of id 1: ${outcome} from ${from} in ${ms} ms -> ${JSON.stringify(row)}`);
    }
    console.log(`source queries: ${source.reads}; key ${service.key(1)} TTL ${await client.pTTL(service.key(1))} ms`);
  } finally {
    await source.close();
  }
});
