/**
 * Redis failing mid-run: reads fall back to the source within about the
 * command timeout, errors are counted, hits come back once Redis does, and a
 * whole run finishes "degraded" with exit 0. A source that fails is an error
 * the caller sees, not a crash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheAsideService, ReadOutcome } from '../../src/cache/cacheAside.ts';
import { newCacheCounters } from '../../src/cache/counters.ts';
import { SourceError } from '../../src/errors.ts';
import type { RedisClient } from '../../src/redis/connection.ts';
import { newRunPrefix } from '../../src/redis/keyspace.ts';
import { runErrors } from '../../src/run/lab.ts';
import { Source } from '../../src/source/source.ts';
import { SqliteDriver } from '../../src/source/sqliteDriver.ts';
import { runReads } from '../../src/suites/readRun.ts';
import { createKeySampler } from '../../src/workload/keySampler.ts';
import { createRng } from '../../src/workload/rng.ts';
import { killDuring, runKeys, sleep, stallDuring, waitUntil } from '../helpers/chaos.ts';
import { errorLines, STACK_LINE, savedSnapshot, startCli, tempDir } from '../helpers/cli.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';
import { type ServiceOptions, sqliteSource, testService } from '../helpers/service.ts';

interface Read {
  outcome: ReadOutcome;
  id: number | undefined;
  ms: number;
}

/** Reads ids 1..10 in turn, one at a time, until `done` settles, then for `tailMs` more. */
async function readThrough(service: CacheAsideService, done: Promise<void>, tailMs: number): Promise<Read[]> {
  const reads: Read[] = [];
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  const read = async (i: number) => {
    const started = performance.now();
    const { outcome, row } = await service.get((i % 10) + 1);
    reads.push({ outcome, id: row?.id, ms: performance.now() - started });
    await sleep(5);
  };
  let i = 0;
  while (!finished) await read(i++);
  await done;
  for (const until = performance.now() + tailMs; performance.now() < until; ) await read(i++);
  return reads;
}

describe('Redis faults at the service level', () => {
  let redis: TestRedis;
  let source: Source;

  beforeAll(async () => {
    redis = await useRedisServer();
    source = await sqliteSource(100);
  });
  afterAll(() => source.close());

  /** A service on a connection of its own (a stall may replace it) with a 200 ms command timeout. */
  const service = async (over: Partial<ServiceOptions> = {}) =>
    testService(redis, { commandTimeoutMs: 200, source, keyPrefix: `${newRunPrefix()}p:`, ttlMs: null, ...over });

  function expectServedThroughout(reads: Read[]) {
    // Every read got its own row, none waited much longer than the 200 ms command timeout.
    expect(reads.every((r, i) => r.id === (i % 10) + 1)).toBe(true);
    expect(Math.max(...reads.map((r) => r.ms))).toBeLessThan(2000);
    expect(reads.some((r) => r.outcome === 'fallback')).toBe(true);
    // Hits come back once Redis does (the client reconnected or the server resumed).
    expect(reads.slice(-10).every((r) => r.outcome === 'hit')).toBe(true);
  }

  it('falls back to the source while the server is killed and hits again after its restart', async () => {
    const s = await service();
    const reads = await readThrough(s, killDuring(redis.server, 200, 600), 1500);
    expectServedThroughout(reads);
    expect(s.counters.redisErrors).toBeGreaterThanOrEqual(reads.filter((r) => r.outcome === 'fallback').length);
    expect(s.counters.redisErrors).toBeGreaterThan(0);
  });

  it('falls back after the command timeout while the server is stalled, without hanging', async () => {
    const s = await service();
    const reads = await readThrough(s, stallDuring(redis.server, 200, 1000), 1000);
    expectServedThroughout(reads);
    const fallbacks = reads.filter((r) => r.outcome === 'fallback');
    // Each stalled read waited for the timeout, not for the stall to end.
    expect(fallbacks.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...fallbacks.map((r) => r.ms))).toBeLessThan(1000);
    expect(s.counters.redisErrors).toBe(fallbacks.length);
  });

  it('bounds every command on a stalled server by the command timeout (INFO, SCAN: the run and its cleanup)', async () => {
    const client = await redis.connect({ commandTimeoutMs: 200 });
    redis.server.signal('SIGSTOP');
    try {
      const started = performance.now();
      const outcome = await Promise.race([
        Promise.allSettled([client.info('stats'), client.scan('0', { MATCH: 'cab:*' })]),
        sleep(1500).then(() => 'still waiting after 1.5 s'),
      ]);
      expect(outcome).toEqual([
        { status: 'rejected', reason: expect.objectContaining({ message: 'Redis did not reply within 200 ms' }) },
        { status: 'rejected', reason: expect.objectContaining({ message: 'Redis did not reply within 200 ms' }) },
      ]);
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      redis.server.signal('SIGCONT');
    }
    expect(await client.ping()).toBe('PONG');
  });

  it("counts errors on the stampede lock's path in the row's counters, so the run ends degraded", async () => {
    const counters = newCacheCounters();
    const s = await service({ ttlMs: 1000, stampede: { kind: 'lock' }, counters });
    redis.server.signal('SIGSTOP');
    try {
      // The GET times out (a fallback), and so would any lock command; either way it is counted.
      const reads = await Promise.all([1, 2, 3].map((id) => s.get(id)));
      expect(reads.every((r) => r.row !== undefined)).toBe(true);
    } finally {
      redis.server.signal('SIGCONT');
    }
    await waitUntil(async () => (await s.get(4)).outcome !== 'fallback');
    // Now the lock path itself: a user who may not run scripts cannot release the lock; the read
    // is still served, and the refused release counts as a Redis error of the row.
    const admin = await redis.connect();
    await admin.aclSetUser('noscripts', ['on', '>pw', '~*', '&*', '+@all', '-eval']);
    const url = `redis://noscripts:pw@127.0.0.1:${redis.server.port}`;
    const lockless = await service({ ttlMs: 1000, stampede: { kind: 'lock' }, url });
    expect((await lockless.get(5)).row?.id).toBe(5);
    expect(lockless.counters.redisErrors).toBe(1);
    expect(runErrors({ counters: [counters, lockless.counters], connectionErrors: 0 }).redis).toBe(
      counters.redisErrors + 1,
    );
  });

  it('reports a closed source as a SourceError, counted, not a crash', async () => {
    const driver = new SqliteDriver();
    await driver.seed(10, 1);
    await driver.close();
    const closed = new Source(driver, { poolSize: 10 });
    const s = await service({ source: closed, ttlMs: 1000 });
    await expect(s.get(1)).rejects.toThrow(SourceError);
    await expect(s.get(2)).rejects.toThrow(/SQLite source failed: .*(closed|not open)/i);
    expect(s.counters.sourceErrors).toBe(2);
    // A run on that source stops with the same clear error instead of hanging or crashing.
    const rng = createRng(1);
    const run = runReads({
      service: s,
      source: closed,
      sampler: createKeySampler({ kind: 'uniform' }, 10, rng.fork('keys')),
      load: { rate: 500 },
      window: { warmupMs: 0, durationMs: 200 },
      rng,
    });
    await expect(run).rejects.toThrow(/every measured read failed .*source is unusable/);
  });
});

describe('Redis killed during a whole run', () => {
  let redis: TestRedis;
  let client: RedisClient;
  beforeAll(async () => {
    redis = await useRedisServer();
    client = await redis.connect();
  });

  it('finishes with status "degraded", exit 0, finite figures and no stack trace', async () => {
    const out = tempDir();
    const run = startCli([
      'ttl-sweep',
      '--ttl',
      '2s',
      '--duration',
      '4s',
      '--warmup',
      '500ms',
      '--keys',
      '1000',
      '--redis-url',
      redis.url,
      '--out',
      out,
      '--quiet',
    ]);
    // Once the run is writing keys, crash the server for 300 ms.
    await waitUntil(async () => (await runKeys(client)).length > 0);
    await killDuring(redis.server, 1000, 300);
    const result = await run.result;

    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(errorLines(result.stderr)).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/status: degraded — \d+ Redis errors/);
    const snapshot = savedSnapshot(out) as unknown as {
      status: string;
      errors: { redis: number; source: number };
      suites: { 'ttl-sweep': { rows: Record<string, unknown>[] } };
    };
    expect(snapshot.status).toBe('degraded');
    expect(snapshot.errors.redis).toBeGreaterThan(0);
    expect(snapshot.errors.source).toBe(0);
    const [row] = snapshot.suites['ttl-sweep'].rows;
    for (const field of ['reads', 'hitRatio', 'p50Ms', 'p99Ms', 'readsPerSec', 'sourceReadsPerSec']) {
      expect(Number.isFinite(row?.[field]), field).toBe(true);
    }
    // Redis's own hit ratio cannot be taken across a restart that reset its counters.
    const serverHitRatio = row?.serverHitRatio;
    expect(
      serverHitRatio === null || (typeof serverHitRatio === 'number' && serverHitRatio >= 0 && serverHitRatio <= 1),
    ).toBe(true);
    // The run cleaned up on the restarted server too.
    await waitUntil(() => client.isReady);
    expect(await runKeys(client)).toEqual([]);
  });
});
