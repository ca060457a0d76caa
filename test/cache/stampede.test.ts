/** Each stampede strategy's semantics against a real Redis, and the pure pieces (XFetch, jitter) on seeded generators. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheAsideService } from '../../src/cache/cacheAside.ts';
import { jitteredTtl, xfetchShouldRecompute } from '../../src/cache/entry.ts';
import type { StampedeStrategy } from '../../src/config/types.ts';
import type { RedisClient } from '../../src/redis/connection.ts';
import { lockKeyFor, newRunPrefix } from '../../src/redis/keyspace.ts';
import type { Source } from '../../src/source/source.ts';
import { xfetchRecomputeProbability } from '../../src/workload/model.ts';
import { createRng } from '../../src/workload/rng.ts';
import { ROOT } from '../helpers/cli.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';
import { sqliteSource, testService } from '../helpers/service.ts';

let redis: TestRedis;
let client: RedisClient;
let slowSource: Source;

beforeAll(async () => {
  redis = await useRedisServer();
  client = await redis.connect();
  slowSource = await sqliteSource(10, { latencyMs: 30 });
});
afterAll(() => slowSource.close());

function service(stampede: StampedeStrategy, keyPrefix: string) {
  return testService(redis, { source: slowSource, keyPrefix, ttlMs: 10_000, stampede });
}

async function herd(services: CacheAsideService[], readers: number): Promise<number> {
  const before = slowSource.reads;
  const results = await Promise.all(services.flatMap((s) => Array.from({ length: readers }, () => s.get(3))));
  for (const r of results) expect(r.row?.id).toBe(3);
  return slowSource.reads - before;
}

/** Runs test/helpers/lockReader.ts as a process of its own; resolves to its load count. */
function lockReader(prefix: string, seed: number): Promise<{ loads: number; redisErrors: number }> {
  return new Promise((resolve, reject) => {
    const args = [
      '--import',
      'tsx',
      'test/helpers/lockReader.ts',
      redis.url,
      prefix,
      '150',
      '300',
      '3000',
      String(seed),
    ];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`lockReader exited ${code}: ${err}`)),
    );
  });
}

describe('stampede strategies', () => {
  it('none: every concurrent miss loads', async () => {
    expect(await herd([await service({ kind: 'none' }, `${newRunPrefix()}n:`)], 20)).toBe(20);
  });

  it('single-flight: concurrent misses in one process share one load', async () => {
    const s = await service({ kind: 'single-flight' }, `${newRunPrefix()}s:`);
    expect(await herd([s], 20)).toBe(1);
    expect(s.counters).toMatchObject({ loads: 1 });
  });

  it('lock: one load across two clients sharing Redis', async () => {
    const prefix = `${newRunPrefix()}l:`;
    const loads = await herd([await service({ kind: 'lock' }, prefix), await service({ kind: 'lock' }, prefix)], 10);
    expect(loads).toBe(1);
    expect(await client.exists(lockKeyFor(`${prefix}3`))).toBe(0);
  });

  it('lock: one load per expiry across two processes whose readers arrive all through each load', async () => {
    // Expiries counted by Redis itself (keyspace notifications, on this test's own server), apart from loads.
    await client.configSet('notify-keyspace-events', 'Ex');
    const prefix = `${newRunPrefix()}p:`;
    const key = `${prefix}3`;
    const subscriber = await redis.connect();
    let expiries = 0;
    await subscriber.subscribe('__keyevent@0__:expired', (expired) => {
      if (expired === key) expiries++;
    });
    const [a, b] = await Promise.all([lockReader(prefix, 1), lockReader(prefix, 2)]);
    // Let a last expiry be delivered before counting.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await subscriber.unsubscribe();
    const loads = a.loads + b.loads;
    // Each life of the value starts with one load; the last may still be alive (its expiry not yet seen).
    expect(a.redisErrors + b.redisErrors).toBe(0);
    expect(expiries).toBeGreaterThan(5);
    expect(loads).toBeGreaterThanOrEqual(expiries);
    expect(loads).toBeLessThanOrEqual(expiries + 1);
  });

  it('lock: a holder that died frees the key when its lock expires', async () => {
    const prefix = `${newRunPrefix()}d:`;
    // A holder that took the lock and died: nobody will release it, it expires in 300 ms.
    await client.set(lockKeyFor(`${prefix}3`), 'dead-holder', { expiration: { type: 'PX', value: 300 } });
    const started = performance.now();
    const result = await (await service({ kind: 'lock' }, prefix)).get(3);
    const waited = performance.now() - started;
    expect(result.row?.id).toBe(3);
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(5000);
    expect(await client.exists(`${prefix}3`)).toBe(1);
  });

  it('xfetch: recomputes some reads shortly before expiry and none of an entry without expiry', async () => {
    const s = await testService(redis, {
      source: slowSource,
      keyPrefix: `${newRunPrefix()}x:`,
      ttlMs: 200,
      stampede: { kind: 'xfetch', beta: 1 },
      rng: createRng(4),
    });
    await s.get(3);
    // Δ ≈ 30 ms: from 160 ms on, reads are ≤ 40 ms before expiry and recompute with probability ≥ e^{-40/30} ≈ 0.26.
    await new Promise((r) => setTimeout(r, 170));
    for (let i = 0; i < 20; i++) await s.get(3);
    expect(s.counters.earlyRecomputes).toBeGreaterThan(0);
    expect(xfetchShouldRecompute(Date.now(), { loadMs: 30, expiresAt: null }, 1, 1e-9)).toBe(false);
  });
});
describe('xfetchShouldRecompute', () => {
  it('recomputes τ before expiry with probability exp(−τ/(βΔ)) on a seeded generator', () => {
    const rng = createRng(2024);
    for (const [tauMs, beta, deltaMs] of [
      [10, 1, 10],
      [30, 1, 10],
      [30, 2, 10],
      [5, 1, 50],
    ] as const) {
      const now = 1_000_000;
      const entry = { loadMs: deltaMs, expiresAt: now + tauMs };
      let hits = 0;
      const trials = 20_000;
      for (let i = 0; i < trials; i++) if (xfetchShouldRecompute(now, entry, beta, rng.nextOpen())) hits++;
      expect(hits / trials).toBeCloseTo(xfetchRecomputeProbability(tauMs, beta, deltaMs), 1);
      expect(Math.abs(hits / trials - Math.exp(-tauMs / (beta * deltaMs)))).toBeLessThan(0.015);
    }
  });
});

describe('jitteredTtl', () => {
  it('spreads a TTL within ±PCT, over both sides, and never below 1 ms', () => {
    const rng = createRng(8);
    const values = Array.from({ length: 5000 }, () => jitteredTtl(1000, 20, rng) as number);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(800);
    expect(Math.max(...values)).toBeLessThanOrEqual(1200);
    expect(Math.min(...values)).toBeLessThan(820);
    expect(Math.max(...values)).toBeGreaterThan(1180);
    const mean = values.reduce((a, b) => a + b) / values.length;
    expect(Math.abs(mean - 1000)).toBeLessThan(10);
    expect(jitteredTtl(1, 100, rng)).toBeGreaterThanOrEqual(1);
    expect(jitteredTtl(null, 50, rng)).toBeNull();
    expect(jitteredTtl(1000, 0, rng)).toBe(1000);
  });
});
