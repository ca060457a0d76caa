/**
 * Ctrl-C in an example: SIGINT or SIGTERM mid-run stops it with exit 1, one
 * notice and one error line, the run's keys removed (the user's kept), the
 * lock example's worker processes gone, a throwaway server stopped. A second
 * signal exits at once with 130 and still leaves no server behind.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../src/config/redisTarget.ts';
import { connectRedis } from '../../src/redis/connection.ts';
import { runKeys, sleep, waitUntil } from '../helpers/chaos.ts';
import { errorLines, STACK_LINE, throwawayServer } from '../helpers/cli.ts';
import {
  type ExampleResult,
  type ExampleServer,
  expectOnlyUserKeys,
  SCRIPT_TIMEOUT_MS,
  startExample,
  useExampleServer,
  writeUserKeys,
} from './run.ts';

const USER_KEYS = { 'products:1': 'user data' };
/** Examples that run for seconds: the leaderboard with a smaller table still fills, then benchmarks. */
const LEADERBOARD = ['--players', '200000'];

function expectStopped(result: ExampleResult, signal: NodeJS.Signals): void {
  expect(result.code).toBe(1);
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(errorLines(result.stderr)).toEqual([
    `${signal}: stopping and cleaning up (again to exit at once)`,
    `error: interrupted by ${signal}`,
  ]);
}

/** How many clients the server has: the test's own, once every process of an example has gone. */
async function clientCount(server: ExampleServer): Promise<number> {
  return String(await server.client.clientList())
    .trim()
    .split('\n').length;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** The throwaway server a running example started, once it holds the run's first key. */
async function throwawayWithKeys(child: ChildProcess): Promise<{ port: number; dir: string }> {
  let found: { port: number; dir: string } | undefined;
  await waitUntil(async () => {
    found ??= throwawayServer(child.pid);
    if (!found) return false;
    const probe = await connectRedis(parseRedisUrl(`redis://127.0.0.1:${found.port}`, '--redis-url'));
    try {
      return (await probe.dbSize()) > 0;
    } finally {
      probe.destroy();
    }
  }, 60_000);
  return found as { port: number; dir: string };
}

async function expectServerGone(server: { port: number; dir: string }): Promise<void> {
  await waitUntil(async () => !(await listening(server.port)), 5000);
  expect(existsSync(server.dir)).toBe(false);
}

describe('interrupting an example', { timeout: SCRIPT_TIMEOUT_MS }, () => {
  const server = useExampleServer();

  it('SIGINT in the lock example: exit 1, its keys and both worker processes gone, the user key kept', async () => {
    const clientsBefore = await clientCount(server);
    await writeUserKeys(server.client, USER_KEYS);
    const lock = startExample('lock', { env: { REDIS_URL: server.redis.url } });
    // The contest has begun once its keys exist: the workers are connected and writing.
    await waitUntil(async () => (await runKeys(server.client)).length > 0, 60_000);
    lock.child.kill('SIGINT');
    const result = await lock.result;
    expectStopped(result, 'SIGINT');
    expect(result.stdout).toMatch(/cleanup: removed \d+ key\(s\) under cab:[0-9a-f]{8}:\n$/);
    await waitUntil(async () => (await clientCount(server)) === clientsBefore, 5000);
    // No worker lives on to write a key after the cleanup.
    await sleep(300);
    await expectOnlyUserKeys(server.client, USER_KEYS);
  });

  it('SIGTERM in the leaderboard on its throwaway server: exit 1 and the server stopped', async () => {
    const board = startExample('leaderboard', { args: LEADERBOARD });
    const throwaway = await throwawayWithKeys(board.child);
    board.child.kill('SIGTERM');
    const result = await board.result;
    expectStopped(result, 'SIGTERM');
    expect(result.stdout).toMatch(/cleanup: stopped the throwaway redis-server\n$/);
    await expectServerGone(throwaway);
  });

  it('a second SIGINT, while the cleanup waits on a stalled server, exits at once with 130', async () => {
    const board = startExample('leaderboard', { args: LEADERBOARD, env: { REDIS_URL: server.redis.url } });
    await waitUntil(async () => (await runKeys(server.client)).length > 0, 60_000);
    // Frozen, the server makes the first signal's cleanup wait (up to the example's reply deadline).
    server.redis.server.signal('SIGSTOP');
    try {
      board.child.kill('SIGINT');
      await waitUntil(() => errorLines(board.stderr()).length > 0, 10_000);
      board.child.kill('SIGINT');
      const result = await board.result;
      expect(result.code).toBe(130);
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(errorLines(result.stderr)).toEqual([
        'SIGINT: stopping and cleaning up (again to exit at once)',
        'SIGINT again: exiting now',
      ]);
    } finally {
      server.redis.server.signal('SIGCONT');
    }
    // An impatient exit leaves the run's keys, as the bench's does; the test removes them.
    for (const key of await runKeys(server.client)) await server.client.unlink(key);
  });
});
