import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/redis/connection.ts';
import { deleteByPrefix, newRunPrefix } from '../../src/redis/keyspace.ts';
import type { Source } from '../../src/source/source.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';
import { sqliteSource, testService } from '../helpers/service.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CacheAsideService', () => {
  let redis: TestRedis;
  let client: RedisClient;
  let source: Source;
  const prefix = newRunPrefix();

  beforeAll(async () => {
    redis = await useRedisServer();
    client = await redis.connect({ commandTimeoutMs: 200 });
    source = await sqliteSource(100);
  });
  afterAll(() => source.close());

  it('misses, then hits, then misses again after the TTL expires — an expiry counted apart from loads', async () => {
    const service = await testService(redis, { source, keyPrefix: `${prefix}a:`, ttlMs: 80 });
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
    // Two loads: the cold miss (no expiry before it) and the reload after the one expiry.
    expect(service.counters).toMatchObject({ loads: 2, stores: 2, expiries: 1, redisErrors: 0 });
    expect(service.counters.loadMs).toBeGreaterThan(0);
  });

  it('does not count a delete-on-write as an expiry', async () => {
    const service = await testService(redis, { source, keyPrefix: `${prefix}d:`, ttlMs: 10_000 });
    await service.get(5);
    await service.onWrite(5, 'delete', await source.update(5));
    expect((await service.get(5)).outcome).toBe('miss');
    expect(service.counters).toMatchObject({ loads: 2, expiries: 0 });
  });

  it('bypasses Redis at TTL 0 and sets no expiry at TTL none', async () => {
    const uncached = await testService(redis, { source, keyPrefix: `${prefix}b:`, ttlMs: 0 });
    expect((await uncached.get(3)).outcome).toBe('uncached');
    expect(await client.exists(`${prefix}b:3`)).toBe(0);
    const forever = await testService(redis, { source, keyPrefix: `${prefix}c:`, ttlMs: null });
    await forever.get(3);
    expect(await client.pTTL(`${prefix}c:3`)).toBe(-1);
  });

  it('fills many keys at once, so a hit row starts warm', async () => {
    const service = await testService(redis, { source, keyPrefix: `${prefix}f:`, ttlMs: null });
    await service.fill(Array.from({ length: 100 }, (_, i) => i + 1));
    for (const id of [1, 50, 100]) expect((await service.get(id)).outcome).toBe('hit');
  });

  it('leaves no keys behind after cleanup by prefix', async () => {
    await client.set('products:1', 'user data');
    expect(await deleteByPrefix(client, prefix)).toBeGreaterThan(0);
    const { keys } = await client.scan('0', { MATCH: `${prefix}*`, COUNT: 1000 });
    expect(keys).toEqual([]);
    expect(await client.get('products:1')).toBe('user data');
  });
});
