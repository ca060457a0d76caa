/**
 * Whole CLI runs against a 3-master throwaway cluster: the hit ratio agrees
 * with the model, the user's keys on every master survive and none of the
 * run's keys is left on any; `--workers 2` measures what `--workers 1` does,
 * its merged histogram holding every read. `--throwaway-cluster` starts and
 * stops its own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/metrics/latencyHistogram.ts';
import { keySlot } from '../../src/redis/keySlot.ts';
import type { TtlSweepRow } from '../../src/suites/ttlSweep.ts';
import { runCli, tempDir } from '../helpers/cli.ts';
import { type TestCluster, useThrowawayCluster } from '../helpers/cluster.ts';

let tc: TestCluster;

beforeAll(async () => {
  tc = await useThrowawayCluster(3);
}, 60_000);

/** One user key on each master, found by slot; a run must leave them as they were. */
async function plantUserKeys(): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; keys.length < 3 && i < 1000; i++) {
    const key = `user:keep:${i}`;
    const owner = await tc.ownerOf(keySlot(key));
    if (keys.some((k) => k.endsWith(`@${owner}`))) continue;
    await tc.nodes[owner]?.set(key, 'mine');
    keys.push(`${key}@${owner}`);
  }
  return keys;
}

/*
 * Uniform keys read 0.75 times a second each with a 3 s TTL: a key's hit
 * ratio λT/(1+λ(T+Δ)) moves by about 0.01 per 100 ms of load time Δ, so the
 * stalls of a machine shared with other work barely move it (a zipf's hot
 * keys lose Δ/T each). About 9,000 measured reads a row: the binomial spread
 * of a hit ratio (≤ 0.005, 0.007 for a difference of two) is under a third
 * of the 0.02 tolerance.
 */
const SWEEP = [
  'ttl-sweep',
  '--dist',
  'uniform',
  '--keys',
  '2000',
  '--ttl',
  '3s',
  '--rate',
  '1500',
  '--duration',
  '6s',
  '--no-save',
];

async function sweep(extra: string[]): Promise<{ row: TtlSweepRow; snapshot: Record<string, unknown> }> {
  const json = join(tempDir('cab-cluster-run-'), 'run.json');
  const result = await runCli([...SWEEP, '--redis-url', tc.cluster.seeds, '--json', json, ...extra], {
    killAfterMs: 120_000,
  });
  expect(result.stderr.replace(/^note: --workers.*\n/gm, ''), result.stderr).toBe('');
  expect(result.code).toBe(0);
  const snapshot = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
  const suites = snapshot.suites as Record<string, { rows: TtlSweepRow[] }>;
  return { row: suites['ttl-sweep']?.rows[0] as TtlSweepRow, snapshot };
}

describe('a run against a Redis Cluster', () => {
  it('measures the hit ratio the model predicts, keeps the user keys on every master and leaves none of its own', async () => {
    const userKeys = await plantUserKeys();
    expect(userKeys).toHaveLength(3);
    const { row, snapshot } = await sweep([]);
    expect(snapshot.status).toBe('complete');
    expect(snapshot.errors).toEqual({ redis: 0, source: 0, connection: 0 });
    const redis = (snapshot.env as { redis: { mode: string; masters: string[] } }).redis;
    expect(redis.mode).toBe('cluster');
    expect([...redis.masters].sort()).toEqual(tc.cluster.ports.map((port) => `127.0.0.1:${port}`).sort());
    expect(Math.abs((row.hitRatio as number) - (row.predictedHitRatio as number))).toBeLessThan(0.02);
    // INFO summed over the masters: on a single master's counts alone it would be far off.
    expect(Math.abs((row.hitRatio as number) - (row.serverHitRatio as number))).toBeLessThan(0.01);
    for (const entry of userKeys) {
      const [key, owner] = entry.split('@') as [string, string];
      expect(await tc.nodes[Number(owner)]?.get(key)).toBe('mine');
    }
    expect((await tc.keysPerNode('cab:*')).flat()).toEqual([]);
  }, 180_000);

  it('gives the same hit ratio with --workers 2 as with 1, and the merged histogram holds every read', async () => {
    const one = await sweep(['--workers', '1']);
    const two = await sweep(['--workers', '2']);
    const [a, b] = [one.row, two.row];
    expect(Math.abs((a.hitRatio as number) - (b.hitRatio as number))).toBeLessThan(0.02);
    expect(Math.abs((b.hitRatio as number) - (b.predictedHitRatio as number))).toBeLessThan(0.02);
    expect(b.load.workers).toBe(2);
    expect(b.load.perWorkerRates).toHaveLength(2);
    for (const rate of b.load.perWorkerRates) expect(rate).toBeGreaterThan(250);
    expect(b.load.perWorkerRates.reduce((sum, r) => sum + r, 0)).toBeCloseTo(b.load.achievedRate, 6);
    expect(decodeHistogram(b.histogram).totalCount).toBe(b.reads);
    expect(b.counts.hit + b.counts.miss + b.counts.uncached + b.counts.fallback).toBe(b.reads);
    expect(a.load.workers).toBe(1);
    expect((await tc.keysPerNode('cab:*')).flat()).toEqual([]);
  }, 240_000);

  it('removes its keys from every master when stopped mid-row with --workers 2, and keeps the user keys', async () => {
    const userKeys = await plantUserKeys();
    const result = await runCli([...SWEEP, '--redis-url', tc.cluster.seeds, '--workers', '2'], {
      // Stopped once the workers' keys are on the masters: mid-row, replies in flight.
      signalWhen: async () => (await tc.keysPerNode('cab:*')).flat().length > 100,
      killAfterMs: 120_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/interrupted/);
    expect((await tc.keysPerNode('cab:*')).flat()).toEqual([]);
    for (const entry of userKeys) {
      const [key, owner] = entry.split('@') as [string, string];
      expect(await tc.nodes[Number(owner)]?.get(key)).toBe('mine');
    }
  }, 180_000);
});
