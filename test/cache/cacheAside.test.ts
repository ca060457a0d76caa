import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheAsideService } from '../../src/cache/cacheAside.ts';
import type { RedisClient } from '../../src/redis/connection.ts';
import { deleteByPrefix, newRunPrefix } from '../../src/redis/keyspace.ts';
import { SqliteSource } from '../../src/source/sqliteSource.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CacheAsideService', () => {
  let redis: TestRedis;
  let client: RedisClient;
  const source = new SqliteSource();
  const prefix = newRunPrefix();

  beforeAll(async () => {
    redis = await useRedisServer();
    client = await redis.connect({ commandTimeoutMs: 200 });
    source.seed(100, 1);
  });
  afterAll(() => source.close());

  it('misses, then hits, then misses again after the TTL expires', async () => {
    const service = new CacheAsideService({ redis: client, source, keyPrefix: `${prefix}a:`, ttlMs: 80 });
    const first = await service.get(7);
    expect(first.outcome).toBe('miss');
    expect(first.row?.id).toBe(7);
    const ttl = await client.pTTL(`${prefix}a:7`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(80);
    const second = await service.get(7);
    expect(second.outcome).toBe('hit');
    expect(second.row).toEqual(first.row);
    expect(second.version).toBe(first.row?.version);
    await sleep(120);
    expect((await service.get(7)).outcome).toBe('miss');
    expect(service.counters).toMatchObject({ hits: 1, misses: 2, loads: 2, redisErrors: 0 });
  });

  it('bypasses Redis at TTL 0 and sets no expiry at TTL none', async () => {
    const uncached = new CacheAsideService({ redis: client, source, keyPrefix: `${prefix}b:`, ttlMs: 0 });
    expect((await uncached.get(3)).outcome).toBe('uncached');
    expect(await client.exists(`${prefix}b:3`)).toBe(0);
    const forever = new CacheAsideService({ redis: client, source, keyPrefix: `${prefix}c:`, ttlMs: null });
    await forever.get(3);
    expect(await client.pTTL(`${prefix}c:3`)).toBe(-1);
  });

  it('leaves no keys behind after cleanup by prefix', async () => {
    await client.set('products:1', 'user data');
    expect(await deleteByPrefix(client, prefix)).toBeGreaterThan(0);
    const { keys } = await client.scan('0', { MATCH: `${prefix}*`, COUNT: 1000 });
    expect(keys).toEqual([]);
    expect(await client.get('products:1')).toBe('user data');
  });
});
