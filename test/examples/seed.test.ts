/**
 * Runs the seed's three example scripts as the user would (`tsx examples/x.ts`):
 * once against a server given by REDIS_URL, whose other data must survive,
 * and once with no REDIS_* at all, so each starts its own throwaway server.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/redis/connection.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';
import { type ExampleResult, runExample as runScript, SCRIPT_TIMEOUT_MS } from './run.ts';

/** A run that must succeed: a non-zero exit fails here, with what the script printed. */
async function runExample(name: string, env: Record<string, string> = {}): Promise<ExampleResult> {
  const result = await runScript(name, { env });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return result;
}

const EXAMPLES: { name: string; lines: RegExp[]; keys: number }[] = [
  {
    name: 'raw',
    lines: [
      /SET \S+:greeting:1 "hello" -> "OK"/,
      /GET \S+:greeting:1 -> "hello"/,
      /HSET \S+:user:1 name "Alice" -> 1/,
      /HGET \S+:user:1 name -> "Alice"/,
      /TTL \S+:greeting:1 -> -1/,
      /EXPIRE \S+:greeting:1 30 -> 1/,
      /TTL \S+:greeting:1 -> (30|29)\n/,
      /TTL \S+:missing:1 -> -2/,
    ],
    keys: 2,
  },
  {
    name: 'hash-ttl',
    lines: [
      /HGETALL \d{4}-\d\d-\d\d -> \{"banana":"12","apple":"7","uva":"30"\}/,
      /TTL \d{4}-\d\d-\d\d -> (40|39)\n/,
      /hash-field TTL \(HEXPIRE, Redis 7\.4\+\) supported: (true|false)/,
    ],
    keys: 1,
  },
  {
    name: 'cache-aside',
    lines: [
      /read 1 of id 1: miss from the source in \d+\.\d+ ms -> \{"id":1,/,
      /read 2 of id 1: hit from Redis in \d+\.\d+ ms -> \{"id":1,/,
      /source queries: 1;/,
    ],
    keys: 1,
  },
];

/** What the hash-ttl example must say about HEXPIRE, from the version it printed first. */
function expectHashFieldTtlMatchesVersion(stdout: string): void {
  const [major = 0, minor = 0] = (/Redis (\d+)\.(\d+)/.exec(stdout) ?? []).slice(1).map(Number);
  expect(stdout).toContain(`supported: ${major > 7 || (major === 7 && minor >= 4)}`);
}

describe('examples', { timeout: SCRIPT_TIMEOUT_MS }, () => {
  let redis: TestRedis;
  let client: RedisClient;

  beforeAll(async () => {
    redis = await useRedisServer();
    client = await redis.connect();
    await client.set('products:1', 'user data');
  });

  describe.each(EXAMPLES)('$name', ({ name, lines, keys }) => {
    it('runs against REDIS_URL and removes only its own keys', async () => {
      const { stdout, stderr } = await runExample(name, { REDIS_URL: redis.url });
      expect(stderr).toBe('');
      expect(stdout).toContain(`${name}: Redis `);
      expect(stdout).toContain(`at ${redis.url}, keys under cab:`);
      for (const line of lines) expect(stdout).toMatch(line);
      expect(stdout).toMatch(new RegExp(`cleanup: removed ${keys} key\\(s\\) under cab:[0-9a-f]{8}:`));
      if (name === 'hash-ttl') expectHashFieldTtlMatchesVersion(stdout);
    });

    it('starts its own server when no REDIS_* is set', async () => {
      const { stdout, stderr } = await runExample(name);
      expect(stderr).toBe('');
      expect(stdout).toMatch(/at throwaway redis-server on 127\.0\.0\.1:\d+, keys under cab:/);
      for (const line of lines) expect(stdout).toMatch(line);
      expect(stdout).toContain('cleanup: stopped the throwaway redis-server');
    });
  });

  it('never prints the password of REDIS_URL', async () => {
    const password = 'ex4mple-s3cret';
    const locked = await useRedisServer({ args: ['--requirepass', password] });
    const url = locked.url.replace('redis://', `redis://:${password}@`);
    const { stdout, stderr } = await runExample('raw', { REDIS_URL: url });
    expect(stdout + stderr).not.toContain(password);
    expect(stdout).toContain(`at ${locked.url.replace('redis://', 'redis://:***@')}, keys under cab:`);
  });

  it('exits 2 with one line on a bad REDIS_PORT', async () => {
    const failed = await runScript('cache-aside', { env: { REDIS_PORT: 'abc' } });
    expect(failed).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'error: REDIS_PORT "abc" is not valid: expected a whole number from 1 to 65535\n',
    });
  });

  it('left the REDIS_URL server with the user key only', async () => {
    const { keys } = await client.scan('0', { MATCH: '*', COUNT: 1000 });
    expect(keys).toEqual(['products:1']);
    expect(await client.get('products:1')).toBe('user data');
  });
});
