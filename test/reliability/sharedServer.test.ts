/**
 * A run pointed at a server other people use: it touches only keys under its
 * own prefix, removes them when it ends (also when interrupted, also after a
 * Redis restart mid-run), and never sends FLUSHDB, FLUSHALL or KEYS.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/redis/connection.ts';
import { killDuring, runKeys, scanKeys, waitUntil } from '../helpers/chaos.ts';
import { runCli, STACK_LINE, startCli } from '../helpers/cli.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';

/** Keys a user owns, some named like ours; with and without expiry. */
const USER_KEYS = ['products:1', 'user:1', 'queue', 'bench:x', 'cab:other:1', 'cab:ffffffff:1'];

async function seedUserKeys(client: RedisClient): Promise<void> {
  await client.set('products:1', '{"id":1,"name":"user data"}', { expiration: { type: 'EX', value: 3600 } });
  await client.hSet('user:1', { name: 'Ada', plan: 'pro' });
  await client.rPush('queue', ['job-1', 'job-2', 'job-3']);
  await client.set('bench:x', 'not the harness', { expiration: { type: 'PX', value: 600_000 } });
  await client.set('cab:other:1', 'another tool');
  await client.set('cab:ffffffff:1', 'looks like a run key');
  await client.expire('cab:ffffffff:1', 3600);
}

/** Type, value and TTL state ("none" or "expires") of every user key. */
async function userKeyState(client: RedisClient): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const key of USER_KEYS) {
    const type = await client.type(key);
    const value =
      type === 'string'
        ? await client.get(key)
        : type === 'hash'
          ? await client.hGetAll(key)
          : type === 'list'
            ? await client.lRange(key, 0, -1)
            : null;
    const ttl = await client.pTTL(key);
    state[key] = { type, value, ttl: ttl === -1 ? 'none' : ttl > 0 ? 'expires' : ttl };
  }
  return state;
}

/** Calls of the commands a shared server must never see, from INFO commandstats. */
async function forbiddenCalls(client: RedisClient): Promise<string[]> {
  const stats = String(await client.info('commandstats'));
  return stats.split('\n').filter((line) => /^cmdstat_(flushdb|flushall|keys):/.test(line));
}

const SHORT_RUN = ['ttl-sweep', '--ttl', '250ms,none', '--duration', '1s', '--warmup', '200ms', '--keys', '1000'];

describe('a shared Redis server', () => {
  let redis: TestRedis;
  let client: RedisClient;
  let before: Record<string, unknown>;

  beforeAll(async () => {
    redis = await useRedisServer();
    client = await redis.connect();
    await seedUserKeys(client);
    before = await userKeyState(client);
    expect(before).toMatchObject({ 'products:1': { type: 'string', ttl: 'expires' }, queue: { type: 'list' } });
  });

  async function expectUntouched() {
    await waitUntil(() => client.isReady);
    expect(await userKeyState(client)).toEqual(before);
    expect(await runKeys(client, USER_KEYS)).toEqual([]);
    expect(await scanKeys(client)).toEqual([...USER_KEYS].sort());
    expect(await forbiddenCalls(client)).toEqual([]);
  }

  it('keeps every user key and leaves none of its own after a run', async () => {
    const result = await runCli([...SHORT_RUN, '--redis-url', redis.url, '--no-save']);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0);
    await expectUntouched();
  });

  it('cleans up after an interrupted run', async () => {
    const result = await runCli(
      [
        'ttl-sweep',
        '--ttl',
        '2s',
        '--duration',
        '5s',
        '--warmup',
        '200ms',
        '--keys',
        '1000',
        '--redis-url',
        redis.url,
        '--no-save',
      ],
      { signalWhen: async () => (await runKeys(client, USER_KEYS)).length > 0, signalAfterMs: 300 },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/interrupted/);
    await expectUntouched();
  });

  it('cleans up on the restarted server after Redis restarts mid-run', async () => {
    const run = startCli([
      'ttl-sweep',
      '--ttl',
      '2s',
      '--duration',
      '3s',
      '--warmup',
      '200ms',
      '--keys',
      '1000',
      '--redis-url',
      redis.url,
      '--no-save',
    ]);
    await waitUntil(async () => (await runKeys(client, USER_KEYS)).length > 0);
    // The restarted server is empty (no persistence): the user's keys are put back while the run goes on.
    await killDuring(redis.server, 300, 300);
    await waitUntil(() => client.isReady);
    await seedUserKeys(client);
    const result = await run.result;
    expect(result.code).toBe(0);
    await expectUntouched();
  });

  it('lets two runs share the server at once', async () => {
    const [a, b] = await Promise.all([
      runCli([...SHORT_RUN, '--redis-url', redis.url, '--no-save', '--seed', '1']),
      runCli([...SHORT_RUN, '--redis-url', redis.url, '--no-save', '--seed', '2']),
    ]);
    expect([a?.code, b?.code]).toEqual([0, 0]);
    await expectUntouched();
  });
});
