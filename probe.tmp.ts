import { withoutClientTimeout } from './src/redis/connection.ts';
import { CacheAsideService } from './src/cache/cacheAside.ts';
import { openRedisSession } from './src/redis/redisSession.ts';
import { SqliteSource } from './src/source/sqliteSource.ts';
const session = await openRedisSession({ kind: 'throwaway' });
const source = new SqliteSource(); source.seed(1000, 1);
const svc = new CacheAsideService({ redis: session.client, source, keyPrefix: session.prefix + 'h:', ttlMs: null });
for (let i = 1; i <= 1000; i++) await svc.get(i);
const rawc = withoutClientTimeout(session.client);
const keys = Array.from({ length: 1000 }, (_, i) => svc.key(i + 1));
for (let round = 0; round < 1; round++) {
  let t = performance.now(); for (let i = 0; i < 20000; i++) await rawc.get(keys[i % 1000]!); const raw = (performance.now() - t) / 20000;
  t = performance.now(); for (let i = 0; i < 20000; i++) await svc.get((i % 1000) + 1); const hit = (performance.now() - t) / 20000;
  console.log(`raw ${(raw * 1000).toFixed(1)}us hit ${(hit * 1000).toFixed(1)}us`);
}
for (const c of [64, 64, 64]) {
  let n = 0; let t = performance.now();
  await Promise.all(Array.from({ length: c }, async () => { while (n < 200000) { n++; await rawc.get(keys[n % 1000]!); } }));
  const raw = 200000 / ((performance.now() - t) / 1000);
  n = 0; t = performance.now();
  await Promise.all(Array.from({ length: c }, async () => { while (n < 200000) { n++; await svc.get((n % 1000) + 1); } }));
  const hit = 200000 / ((performance.now() - t) / 1000);
  console.log(`c=${c} raw ${raw.toFixed(0)}/s hit ${hit.toFixed(0)}/s ratio ${(hit / raw).toFixed(3)}`);
}
await session.close(); source.close();
