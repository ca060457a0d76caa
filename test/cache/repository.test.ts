import { beforeAll, describe, expect, it } from 'vitest';
import { RedisRepository } from '../../src/cache/repository.ts';
import { type RedisClient, serverVersion } from '../../src/redis/connection.ts';
import { newRunPrefix } from '../../src/redis/keyspace.ts';
import { useRedisServer } from '../helpers/redis.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RedisRepository', () => {
  let client: RedisClient;
  let repo: RedisRepository;
  const prefix = newRunPrefix();

  beforeAll(async () => {
    const redis = await useRedisServer();
    client = await redis.connect();
    repo = new RedisRepository(client, prefix);
  });

  it('sets and gets strings under the prefix, null when missing', async () => {
    await repo.set('foo', 'bar');
    expect(await repo.get('foo')).toBe('bar');
    expect(await client.get(`${prefix}foo`)).toBe('bar');
    expect(await client.exists('foo')).toBe(0);
    expect(await repo.get('nope')).toBeNull();
    expect(await repo.ttl('foo')).toBe(-1);
    expect(await repo.ttl('nope')).toBe(-2);
  });

  it('setWithTtl expires the key after its TTL', async () => {
    await repo.setWithTtl('short', 'v', 1);
    expect(await repo.ttl('short')).toBe(1);
    expect(await repo.get('short')).toBe('v');
    await sleep(1100);
    expect(await repo.get('short')).toBeNull();
    expect(await repo.ttl('short')).toBe(-2);
  });

  it('hashSet and hashGet read back one field', async () => {
    await repo.hashSet('user:1', 'name', 'Alice');
    expect(await repo.hashGet('user:1', 'name')).toBe('Alice');
    expect(await repo.hashGet('user:1', 'age')).toBeNull();
    expect(await client.hGet(`${prefix}user:1`, 'name')).toBe('Alice');
  });

  it('hashSetWithTtl sends HSET and EXPIRE in one MULTI', async () => {
    const monitor = client.duplicate();
    await monitor.connect();
    const seen: string[] = [];
    await monitor.monitor((line) => seen.push(line));
    try {
      await repo.hashSetWithTtl('fruit', 'banana', '12', 40);
      await client.ping(); // MONITOR delivers in order: once PING shows, the transaction has been seen
      await expect.poll(() => seen.some((line) => line.includes('"PING"'))).toBe(true);
    } finally {
      monitor.destroy();
    }
    const commands = seen.map((line) => /"(\w+)"/.exec(line)?.[1]?.toUpperCase()).filter((c) => c !== 'PING');
    expect(commands).toEqual(['MULTI', 'HSET', 'EXPIRE', 'EXEC']);
    expect(await repo.hashGet('fruit', 'banana')).toBe('12');
    const ttl = await repo.ttl('fruit');
    expect(ttl).toBeGreaterThan(38);
    expect(ttl).toBeLessThanOrEqual(40);
  });

  it('hashSetWithTtl expires the whole hash', async () => {
    await repo.hashSetWithTtl('brief', 'a', '1', 1);
    await repo.hashSet('brief', 'b', '2');
    expect(await repo.ttl('brief')).toBe(1);
    await sleep(1100);
    expect(await repo.hashGetAll('brief')).toEqual({});
  });

  it('hashGetAll returns a plain object, {} for a missing key', async () => {
    for (const [field, value] of [
      ['banana', '12'],
      ['apple', '7'],
      ['uva', '30'],
    ] as const) {
      await repo.hashSetWithTtl('2024-01-31', field, value, 40);
    }
    const all = await repo.hashGetAll('2024-01-31');
    expect(all).toStrictEqual({ banana: '12', apple: '7', uva: '30' });
    expect(Object.getPrototypeOf(all)).toBe(Object.prototype);
    expect(await repo.hashGetAll('absent')).toStrictEqual({});
  });

  it('writes every key under the prefix', async () => {
    const { keys } = await client.scan('0', { MATCH: '*', COUNT: 1000 });
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.startsWith(prefix)).toBe(true);
  });

  it('detects hash-field TTL by what the server is (HEXPIRE needs 7.4)', async () => {
    const { version } = await serverVersion(client);
    const [major = 0, minor = 0] = version.split('.').map(Number);
    const expected = major > 7 || (major === 7 && minor >= 4);
    expect(await repo.supportsHashFieldTtl()).toBe(expected);
    // Where COMMAND is disabled (as on some managed services) the version decides.
    const locked = await (await useRedisServer({ args: ['--rename-command', 'COMMAND', '""'] })).connect();
    await expect(locked.sendCommand(['COMMAND', 'INFO', 'GET'])).rejects.toThrow(/unknown command/i);
    expect(await new RedisRepository(locked, prefix).supportsHashFieldTtl()).toBe(expected);
  });
});
