/**
 * Ctrl-C and SIGTERM mid-run: the process exits 1 within 2 s of the signal
 * with one error line and no stack, the run's keys are gone, a throwaway
 * server it started is stopped, and nothing half-written is left under
 * --out. A second Ctrl-C exits at once (130) and still leaves no server.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../src/config/redisTarget.ts';
import { connectRedis, type RedisClient } from '../../src/redis/connection.ts';
import { runKeys, waitUntil } from '../helpers/chaos.ts';
import { type CliResult, filesUnder, runCli, STACK_LINE, tempDir, throwawayServer } from '../helpers/cli.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';

const RUN = ['--ttl', '2s', '--duration', '5s', '--warmup', '200ms', '--keys', '1000'];
/** Only the flags each suite uses: a flag it does not use would add a note to stderr. */
const FLAGS: Record<string, string[]> = {
  'ttl-sweep': RUN,
  freshness: RUN,
  'read-path': ['--duration', '5s', '--warmup', '200ms', '--keys', '1000'],
  stampede: ['--ttl', '2s', '--duration', '5s', '--warmup', '200ms'],
};

function expectStopped(result: CliResult, signal: NodeJS.Signals) {
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.code).toBe(1);
  // About 0.2 s on an idle machine and 0.6 s at a load of 13 on 2 cores; the bound leaves room for a busier CI.
  expect(result.stopMs).toBeLessThan(3000);
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  // The notice printed on the signal, then the one error line.
  expect(lines).toEqual([expect.stringMatching(new RegExp(`^${signal}: stopping the run`)), expect.any(String)]);
  expect(lines[1]).toMatch(/^error: interrupted\b/);
}

/** Under --out: nothing, or complete snapshots marked "interrupted"; never a temp or truncated file. */
function expectNothingPartial(out: string) {
  for (const file of filesUnder(out)) {
    expect(file).not.toMatch(/\.tmp$/);
    if (file.endsWith('.json')) expect(JSON.parse(readFileSync(join(out, file), 'utf8')).status).toBe('interrupted');
  }
  expect(filesUnder(out).filter((file) => !file.endsWith('.json') && !file.endsWith('.md'))).toEqual([]);
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

/** Signal condition for a run on its own throwaway server: the server is up and the run has written keys. */
function throwawayRunStarted() {
  const seen: { port?: number; dir?: string } = {};
  const check = async (child: ChildProcess) => {
    if (seen.port === undefined) Object.assign(seen, throwawayServer(child.pid));
    if (seen.port === undefined) return false;
    const probe: RedisClient = await connectRedis(parseRedisUrl(`redis://127.0.0.1:${seen.port}`, '--redis-url'));
    try {
      return (await probe.dbSize()) > 0;
    } finally {
      probe.destroy();
    }
  };
  return { seen, check };
}

/** Nothing listens on the throwaway server's port any more and its temp dir is gone. */
async function expectServerGone(seen: { port?: number; dir?: string }) {
  expect(seen.port).toBeGreaterThan(0);
  await waitUntil(async () => !(await listening(seen.port as number)), 2000);
  expect(existsSync(seen.dir as string)).toBe(false);
}

describe('interrupting a run on a given server', () => {
  let redis: TestRedis;
  let client: RedisClient;
  beforeAll(async () => {
    redis = await useRedisServer();
    client = await redis.connect();
  });

  // [suite, signal, ms after the run's first key]: read-path at 300 ms is filling its hit keys, at 2 s in tinybench.
  it.each([
    ['ttl-sweep', 'SIGINT', 300],
    ['read-path', 'SIGINT', 300],
    ['read-path', 'SIGINT', 2000],
    ['freshness', 'SIGINT', 300],
    ['stampede', 'SIGTERM', 300],
  ] as const)(
    '%s on %s after %i ms: exits 1 within 2 s, removes its keys, saves nothing partial',
    async (suite, signal, afterMs) => {
      const out = tempDir();
      const result = await runCli([suite, ...(FLAGS[suite] ?? []), '--redis-url', redis.url, '--out', out], {
        signal,
        signalWhen: async () => (await runKeys(client)).length > 0,
        signalAfterMs: afterMs,
      });
      expectStopped(result, signal);
      expect(await runKeys(client)).toEqual([]);
      expectNothingPartial(out);
    },
  );
});

describe('interrupting a run on its throwaway server', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s stops the throwaway redis-server too', async (signal) => {
    const out = tempDir();
    const started = throwawayRunStarted();
    const result = await runCli(['ttl-sweep', ...RUN, '--out', out], { signal, signalWhen: started.check });
    expectStopped(result, signal);
    await expectServerGone(started.seen);
    expectNothingPartial(out);
  });

  it('exits at once with 130 on a second SIGINT and leaves no redis-server behind', async () => {
    const out = tempDir();
    const started = throwawayRunStarted();
    const result = await runCli(['ttl-sweep', ...RUN, '--out', out], {
      signalWhen: started.check,
      againWhen: /SIGINT: stopping/,
    });
    expect(result.code).toBe(130);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toMatch(/SIGINT again: exiting now/);
    // About 0.2 s on an idle machine and 0.6 s at a load of 13 on 2 cores; the bound leaves room for a busier CI.
    expect(result.stopMs).toBeLessThan(3000);
    await expectServerGone(started.seen);
    expectNothingPartial(out);
  });
});
