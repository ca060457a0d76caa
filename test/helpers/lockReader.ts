/**
 * A second process for the stampede-lock test: reads one key through the
 * `lock` strategy at Poisson-spaced times, so its readers arrive all through
 * each load window, and prints how many loads it made as JSON on stdout.
 * argv: REDIS_URL KEY_PREFIX TTL_MS RATE DURATION_MS SEED
 */
import { CacheAsideService } from '../../src/cache/cacheAside.ts';
import { newCacheCounters } from '../../src/cache/counters.ts';
import { parseRedisUrl } from '../../src/config/redisTarget.ts';
import { startTimer } from '../../src/load/preciseTimer.ts';
import { SingleServerStore } from '../../src/redis/cacheStore.ts';
import { connectRedis } from '../../src/redis/connection.ts';
import { GuardedConnection } from '../../src/redis/guardedConnection.ts';
import { latencySampler } from '../../src/source/latency.ts';
import { Source } from '../../src/source/source.ts';
import { SqliteDriver } from '../../src/source/sqliteDriver.ts';
import { createRng } from '../../src/workload/rng.ts';

const [url = '', prefix = '', ttl = '150', rate = '300', duration = '3000', seed = '1'] = process.argv.slice(2);
await startTimer('thread');
const target = parseRedisUrl(url, '--redis-url');
const reads = new GuardedConnection(await connectRedis(target), 500);
const driver = new SqliteDriver();
await driver.seed(5, 1);
const source = new Source(driver, { latency: latencySampler({ kind: 'fixed', ms: 20 }, createRng(1)), poolSize: 10 });
const counters = newCacheCounters();
const service = new CacheAsideService({
  store: new SingleServerStore(reads),
  source,
  counters,
  keyPrefix: prefix,
  ttlMs: Number(ttl),
  stampede: { kind: 'lock' },
});
const rng = createRng(Number(seed));
const end = performance.now() + Number(duration);
const pending: Promise<unknown>[] = [];
while (performance.now() < end) {
  pending.push(service.get(3));
  await new Promise((resolve) => setTimeout(resolve, rng.exponential(1000 / Number(rate))));
}
await Promise.all(pending);
process.stdout.write(`${JSON.stringify({ loads: counters.loads, redisErrors: counters.redisErrors })}\n`);
reads.close();
await driver.close();
