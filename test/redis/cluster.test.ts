/**
 * A run's Redis being a 3-master cluster: detected from INFO, keys spread
 * over every master and read back, lock keys in their data key's slot, the
 * run's keys removed from every master while a user's survive, and INFO
 * summed over the masters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisSeeds } from '../../src/config/redisSeeds.ts';
import { RedisAuthError, UsageError } from '../../src/errors.ts';
import { detectRedisMode } from '../../src/redis/clusterConnection.ts';
import type { ClusterSession } from '../../src/redis/clusterSession.ts';
import type { RedisClient } from '../../src/redis/connection.ts';
import { keySlot } from '../../src/redis/keySlot.ts';
import { lockKeyFor } from '../../src/redis/keyspace.ts';
import { openSession } from '../../src/redis/openSession.ts';
import { createRng } from '../../src/workload/rng.ts';
import { type TestCluster, useThrowawayCluster } from '../helpers/cluster.ts';
import { useRedisServer } from '../helpers/redis.ts';

const serverSlot = async (node: RedisClient, key: string) =>
  Number(await node.sendCommand(['CLUSTER', 'KEYSLOT', key]));

/** Keys a user owns on the cluster: two per master at least (tags pick the slot), some named like a run's. */
const USER_KEYS = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? `cab:ffffffff:{u${i}}` : `user:{u${i}}:profile`));

describe('a Redis Cluster target', () => {
  let tc: TestCluster;
  let session: ClusterSession;
  const errors: Error[] = [];

  // A cluster starts in ~2.5 s idle, ~5 s on a loaded machine, where several files may start theirs at once.
  beforeAll(async () => {
    tc = await useThrowawayCluster(3);
    // No timeouts are tested here: patient enough that a loaded machine's scheduling gaps are not stalls.
    const options = { commandTimeoutMs: 2000, onError: (e: Error) => errors.push(e) };
    const opened = await openSession({ kind: 'seeds', seeds: tc.seeds }, options);
    if (opened.mode !== 'cluster') throw new Error(`expected a cluster session, got ${opened.mode}`);
    session = opened;
  }, 90_000);
  afterAll(async () => {
    await session?.close();
  });

  it('computes the slot of a key as the server does, hash tags included', async () => {
    const rng = createRng(7).fork('keys');
    const keys = [
      '',
      'a',
      'foo',
      '{user1000}.following',
      'foo{}{bar}',
      'foo{{bar}}zap',
      'foo{bar}{zap}',
      '{}',
      'ключ:1',
    ];
    for (let i = 0; i < 300; i++) {
      const length = 1 + Math.floor(rng.next() * 30);
      keys.push(Array.from({ length }, () => String.fromCharCode(32 + Math.floor(rng.next() * 95))).join(''));
    }
    const node = tc.nodes[0] as RedisClient;
    const mismatches: string[] = [];
    for (const key of keys) if (keySlot(key) !== (await serverSlot(node, key))) mismatches.push(key);
    expect(mismatches).toEqual([]);
  });

  it('puts every lock key in its data key slot, under the data key prefix', async () => {
    const node = tc.nodes[0] as RedisClient;
    for (const dataKey of [`${session.prefix}stampede:1`, `${session.prefix}p:42`, 'x:{tag}:7', 'x:{7}:{}']) {
      const lockKey = lockKeyFor(dataKey);
      expect(lockKey.startsWith(dataKey)).toBe(true);
      expect(await serverSlot(node, lockKey)).toBe(await serverSlot(node, dataKey));
    }
    // Braces without a tag: no name both starts with the key and hashes like it.
    for (const odd of ['a}b', 'a{b', 'x:{}:{7}']) expect(() => lockKeyFor(odd)).toThrow(/braces/);
  });

  it('is detected from INFO cluster, and a single server is not', async () => {
    expect(await detectRedisMode(tc.seeds)).toBe('cluster');
    // One seed is enough; a dead seed first is skipped.
    expect(await detectRedisMode(parseRedisSeeds(`redis://127.0.0.1:1,${tc.cluster.urls[1]}`, '--redis-url'))).toBe(
      'cluster',
    );
    const single = await useRedisServer();
    expect(await detectRedisMode([parseRedisSeeds(single.url, '--redis-url')[0]])).toBe('standalone');
    await expect(detectRedisMode(parseRedisSeeds(`${single.url},${single.url}`, '--redis-url'))).rejects.toThrow(
      /not a cluster/,
    );
    await expect(detectRedisMode(parseRedisSeeds(`${tc.cluster.urls[0]}/3`, '--redis-url'))).rejects.toBeInstanceOf(
      UsageError,
    );
    expect(session.server).toEqual({ mode: 'cluster', masters: expect.any(Array), version: expect.any(String) });
    expect([...session.server.masters].sort()).toEqual(tc.cluster.ports.map((port) => `127.0.0.1:${port}`).sort());
    expect(session.server.version).toMatch(/^\d+\.\d+/);
  });

  it('writes, reads, deletes and runs the lock script across slots on every master', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `${session.prefix}rw:${i}`);
    for (const key of keys) expect(await session.store.set(key, `v:${key}`)).toBe(true);
    const perNode = await tc.keysPerNode(`${session.prefix}rw:*`);
    expect(perNode.map((node) => node.length > 50)).toEqual([true, true, true]);
    const read = await Promise.all(
      keys.map((key) =>
        session.store.read(
          key,
          null,
          (raw) => raw,
          () => 'error',
        ),
      ),
    );
    expect(read).toEqual(keys.map((key) => `v:${key}`));
    expect(await session.store.read(keys[0] as string, 60_000, (raw) => raw, String)).toBe(`v:${keys[0]}`);

    const lock = lockKeyFor(keys[1] as string);
    expect(await session.store.set(lock, 'me', { nx: true, pxMs: 5000 })).toBe(true);
    expect(await session.store.set(lock, 'other', { nx: true, pxMs: 5000 })).toBe(false);
    const release = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
    expect(await session.store.mGet([keys[1] as string, lock])).toEqual([`v:${keys[1]}`, 'me']);
    expect(await session.store.evalScript(release, [lock], ['me'])).toBe(1);
    expect(await session.store.exists(lock)).toBe(0);

    expect(await Promise.all(keys.slice(0, 30).map((key) => session.store.del(key)))).toEqual(Array(30).fill(1));
    expect(await session.store.get(keys[0] as string)).toBeNull();
    expect(session.store.redirects).toBe(0);
    expect(errors).toEqual([]);
  });

  it('sums INFO stats over the masters', async () => {
    const before = await session.keyspaceCounts();
    const keys = Array.from({ length: 90 }, (_, i) => `${session.prefix}info:${i}`);
    for (const key of keys.slice(0, 60)) await session.store.set(key, 'v');
    // 60 hits and 30 misses, spread over the three masters.
    for (const key of keys) await session.store.get(key);
    const after = await session.keyspaceCounts();
    expect(before).not.toBeNull();
    expect(after).not.toBeNull();
    expect((after?.hits ?? 0) - (before?.hits ?? 0)).toBe(60);
    expect((after?.misses ?? 0) - (before?.misses ?? 0)).toBe(30);
  });

  it("removes exactly the run's keys from every master, lock keys included; a user's keys survive", async () => {
    const user = tc.nodes; // each user key is written on its own master by a plain client, following MOVED once
    for (const key of USER_KEYS) {
      const slot = keySlot(key);
      const owner = user[await tc.ownerOf(slot)] as RedisClient;
      await owner.set(key, `user value of ${key}`);
    }
    expect((await tc.keysPerNode('*{u*')).map((keys) => keys.length >= 2)).toEqual([true, true, true]);
    const lockKeys = [1, 2, 3].map((i) => lockKeyFor(`${session.prefix}stampede:${i}`));
    for (const key of lockKeys) await session.store.set(key, 'token', { pxMs: 60_000 });
    const runKeysBefore = (await tc.keysPerNode(`${session.prefix}*`)).flat().length;
    expect(runKeysBefore).toBeGreaterThan(300);

    const closed = await session.close();
    expect(closed).toEqual({ removedKeys: runKeysBefore });
    expect((await tc.keysPerNode(`${session.prefix}*`)).flat()).toEqual([]);
    expect((await tc.keysPerNode('*{u*')).flat().sort()).toEqual([...USER_KEYS].sort());
    for (const node of tc.nodes) {
      const stats = String(await node.info('commandstats'));
      expect(stats.split('\n').filter((line) => /^cmdstat_(flushdb|flushall|keys):/.test(line))).toEqual([]);
      expect(String(await node.info('errorstats'))).not.toMatch(/CROSSSLOT/);
    }
  });

  it("carries the seed URLs' credentials to every node and names a refusal without the password", async () => {
    const secret = 'cl-s3cret';
    const withUser = (password: string) =>
      parseRedisSeeds(
        tc.cluster.urls.map((url) => url.replace('redis://', `redis://cab:${password}@`)).join(','),
        '--redis-url',
      );
    // A user of our own, and a default user that now needs a password: node clients must authenticate.
    for (const node of tc.nodes) {
      await node.sendCommand(['ACL', 'SETUSER', 'cab', 'on', `>${secret}`, '~*', '&*', '+@all']);
      await node.sendCommand(['ACL', 'SETUSER', 'default', 'resetpass', '>not-given']);
    }
    try {
      const authed = await openSession({ kind: 'seeds', seeds: withUser(secret) });
      const keys = Array.from({ length: 60 }, (_, i) => `${authed.prefix}auth:${i}`);
      for (const key of keys) await authed.store.set(key, key);
      expect(await Promise.all(keys.map((key) => authed.store.get(key)))).toEqual(keys);
      expect((await tc.keysPerNode(`${authed.prefix}*`)).map((node) => node.length > 0)).toEqual([true, true, true]);
      expect(authed.display).not.toContain(secret);
      expect(await authed.close()).toEqual({ removedKeys: 60 });

      const refused = openSession({ kind: 'seeds', seeds: withUser('wrong-pw') });
      await expect(refused).rejects.toBeInstanceOf(RedisAuthError);
      await expect(refused).rejects.not.toThrow(/wrong-pw/);
    } finally {
      for (const node of tc.nodes) await node.sendCommand(['ACL', 'SETUSER', 'default', 'nopass']);
    }
  });
});
