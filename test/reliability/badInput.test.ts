/**
 * Malformed input through the real process: exit 2, one line on stderr that
 * names the offending value, no stack trace, no password, nothing written.
 * The parser's own tables are in test/config; this is the end-to-end check.
 * Also: a server that cannot be reached, or refuses the password, exits 1.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/redisServer.ts';
import { type CliResult, filesUnder, pool, runCli, STACK_LINE, tempDir } from '../helpers/cli.ts';
import { useRedisServer } from '../helpers/redis.ts';

const scenarios = tempDir('cab-scenarios-');
function scenarioFile(name: string, content: string): string {
  const path = join(scenarios, `${name}.json`);
  writeFileSync(path, content);
  return path;
}

interface BadInput {
  args?: string[];
  env?: Record<string, string>;
  /** What stderr must name (the offending value or flag). */
  names: string;
  /** A secret in the input that must not be echoed. */
  secret?: string;
}

const BAD: BadInput[] = [
  // flags
  { args: ['--bogus'], names: '--bogus' },
  { args: ['--ttl-jiter', '5'], names: '--ttl-jitter' },
  { args: ['ttl-swep'], names: 'ttl-swep' },
  { args: ['--duration', '5x'], names: '5x' },
  { args: ['--duration', '-1s'], names: '-1s' },
  { args: ['--rate', 'fast'], names: 'fast' },
  { args: ['--rate', '0'], names: '--rate' },
  { args: ['--ttl', '2s,,5s'], names: '2s,,5s' },
  { args: ['--dist', 'zipf:abc'], names: 'zipf:abc' },
  { args: ['--dist', 'hotspot:2:0.5'], names: 'hotspot:2:0.5' },
  { args: ['--keys', '99999999999'], names: '99999999999' },
  { args: ['--concurrency', '0'], names: '--concurrency' },
  { args: ['--rate', '100', '--concurrency', '4'], names: '--concurrency' },
  { args: ['--keys'], names: '--keys' },
  { args: ['--duration', '--quiet'], names: '--duration' },
  { args: ['--ttl-jitter', '150'], names: '150' },
  { args: ['--stampede', 'magic'], names: 'magic' },
  { args: ['--quiet=yes'], names: '--quiet' },
  // scenario files
  { args: ['--scenario', 'no-such-scenario'], names: 'no-such-scenario' },
  { args: ['--scenario', scenarioFile('broken', '{"keys": 10,')], names: 'broken.json' },
  { args: ['--scenario', scenarioFile('unknown', '{"description": "x", "kyes": 10}')], names: 'kyes' },
  { args: ['--scenario', scenarioFile('type', '{"description": "x", "keys": "many"}')], names: 'keys' },
  { args: ['--scenario', scenarioFile('value', '{"description": "x", "dist": "zipf:-1"}')], names: 'zipf:-1' },
  // URLs
  { args: ['--redis-url', 'http://127.0.0.1:6379'], names: 'http' },
  { args: ['--redis-url', 'redis://127.0.0.1:99999'], names: '99999' },
  { args: ['--redis-url', 'redis://127.0.0.1:6379/abc'], names: 'abc' },
  { args: ['--redis-url', 'redis://127.0.0.1:6379/0?timeout=5'], names: 'query' },
  { args: ['--redis-url', 'redis://bench:hunter2-pw@127.0.0.1:6379/x'], names: '"x"', secret: 'hunter2-pw' },
  // environment
  { env: { REDIS_PORT: 'abc' }, names: 'REDIS_PORT "abc"' },
  { env: { REDIS_DB: '-1' }, names: 'REDIS_DB "-1"' },
  { env: { REDIS_TLS: 'maybe' }, names: 'REDIS_TLS "maybe"' },
  { env: { REDIS_URL: 'http://x' }, names: 'REDIS_URL' },
  { env: { REDIS_HOST: 'my host' }, names: 'my host' },
  { env: { REDIS_URL: 'redis://u:env-s3cret@h:1/zz' }, names: 'zz', secret: 'env-s3cret' },
];

/** One error line, no stack, no secret. */
function expectOneCleanLine(result: CliResult, secret?: string) {
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^error: /);
  if (secret) expect(result.stdout + result.stderr).not.toContain(secret);
}

describe('malformed input, end to end', () => {
  it(`rejects ${BAD.length} malformed inputs with exit 2, one clean line, nothing written`, async () => {
    const results = await pool(BAD, 4, async (input) => {
      const out = tempDir();
      const result = await runCli([...(input.args ?? []), '--out', out], { env: input.env, killAfterMs: 20_000 });
      return { input, result, written: filesUnder(out) };
    });
    for (const { input, result, written } of results) {
      const label = JSON.stringify(input.args ?? input.env);
      expect(result.code, `${label}: ${result.stderr}`).toBe(2);
      expectOneCleanLine(result, input.secret);
      expect(result.stderr, label).toContain(input.names);
      expect(written, label).toEqual([]);
    }
  }, 120_000);

  it('exits 1 within 5 s naming host:port when nothing listens there', async () => {
    const port = await freePort();
    // The promise is about the connection, not Node's start-up, which alone
    // took 6–11 s on a 2-core machine at a load of 14: `--help` measures it.
    const startup = (await runCli(['--help'])).durationMs;
    const result = await runCli(['ttl-sweep', '--redis-url', `redis://127.0.0.1:${port}`, '--no-save']);
    expect(result.code).toBe(1);
    expect(result.durationMs - startup).toBeLessThan(5000);
    expectOneCleanLine(result);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
  });

  it('exits 1 quickly on a wrong password, without echoing it', async () => {
    const redis = await useRedisServer({ args: ['--requirepass', 'right-pw'] });
    const url = `redis://:wrong-pw@127.0.0.1:${redis.server.port}`;
    const result = await runCli(['ttl-sweep', '--redis-url', url, '--no-save']);
    expect(result.code).toBe(1);
    // The whole process, start-up included: about 1.5 s on an idle machine, the connection itself well under 1 s.
    expect(result.durationMs).toBeLessThan(10_000);
    expectOneCleanLine(result, 'wrong-pw');
    expect(result.stderr).not.toContain('right-pw');
    expect(result.stderr).toMatch(/refused the credentials/);
  });
});
