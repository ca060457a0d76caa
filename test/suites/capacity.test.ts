/**
 * Issue 17 on real servers: a throwaway redis-server with a small maxmemory
 * evicts, and the row says so; Che's approximation at the row's resident
 * keys predicts Redis's sampled LRU within 0.04 (Zipf 0.9, 10% of the keys
 * fit); the capacity suite and the memory flags refuse a server the user
 * named; and on such a server nothing is reconfigured (INFO commandstats).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../src/config/args.ts';
import { infoField } from '../../src/redis/connection.ts';
import { type BenchOutcome, runBench } from '../../src/run/runBench.ts';
import type { CapacityResult } from '../../src/suites/capacity.ts';
import { SUITES } from '../../src/suites/registry.ts';
import type { TtlSweepRow } from '../../src/suites/ttlSweep.ts';
import { errorLines, runCli, STACK_LINE } from '../helpers/cli.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';

const out = mkdtempSync(join(tmpdir(), 'cab-capacity-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A run in this process; no --redis-url and an empty environment start a throwaway redis-server. */
async function bench(args: string[], env: NodeJS.ProcessEnv = {}): Promise<BenchOutcome & { stdout: string }> {
  const parsed = parseBenchArgs([...args, '--out', out, '--quiet', '--no-save'], env, SUITES, false);
  if (parsed.kind !== 'run') throw new Error('expected a run');
  let stdout = '';
  const outcome = await runBench(parsed.request, {
    out: (text) => {
      stdout += `${text}\n`;
    },
    err: () => {},
    color: false,
    signal: new AbortController().signal,
    env,
  });
  return { ...outcome, stdout };
}

describe('a throwaway server with a small maxmemory', () => {
  it('counts the evictions, prints the capacity-bound line and predicts LRU at the resident keys', async () => {
    const outcome = await bench([
      'ttl-sweep',
      ...['--ttl', 'none', '--keys', '20000', '--dist', 'uniform', '--rate', '1500'],
      ...['--warmup', '3s', '--duration', '2s', '--maxmemory', '1300kb'],
    ]);
    const [row] = (outcome.snapshot.suites['ttl-sweep']?.rows ?? []) as TtlSweepRow[];
    if (!row) throw new Error('no row');
    expect(outcome.snapshot.config.redisServer).toEqual({
      maxmemoryBytes: 1_331_200,
      maxmemoryPolicy: 'allkeys-lru',
      maxmemorySamples: 10,
    });
    expect(row).toMatchObject({ capacityBound: true, maxmemoryBytes: 1_331_200, maxmemoryPolicy: 'allkeys-lru' });
    expect(row.evictedKeys).toBeGreaterThan(1000);
    // 1300 kB less Redis's own ~0.9 MB leaves room for a few thousand ~200-byte entries of 20,000.
    expect(row.residentKeys).toBeGreaterThan(300);
    expect(row.residentKeys).toBeLessThan(5000);
    expect(row.usedMemoryBytes).toBeLessThanOrEqual(1_331_200 * 1.05);
    // Uniform popularity: LRU holds a random C of N keys, h = C/N.
    expect(row.predictionBasis).toBe('che');
    expect(row.predictedHitRatio).toBeCloseTo((row.residentKeys as number) / 20_000, 6);
    expect(Math.abs((row.hitRatio as number) - (row.predictedHitRatio as number))).toBeLessThan(0.04);
    const evicted = (row.evictedKeys as number).toLocaleString('en-US');
    expect(outcome.stdout).toContain(`capacity-bound: ${evicted} evictions; hit ratio limited by memory, not TTL`);
    expect(outcome.stdout).toContain("predicted = Che's approximation for LRU");
  }, 120_000);
});

describe('the capacity suite', () => {
  /*
   * 30,000 keys read at 2,000/s, 10% of their bytes: about 3,000 entries,
   * ~550 kB. A cache that small beside Redis's own ~1 MB is what a test can
   * afford, and it must still dwarf the clients' buffers, which count toward
   * maxmemory: when a loaded machine delays Redis, the queued commands grow
   * them and Redis evicts entries to make room (3,000 keys, ~50 kB of cache:
   * 0.05 to 0.13 apart on this machine; 30,000: 0.01). The 4 s warm-up
   * fills the cache (about 3,000 distinct keys missed), after which LRU
   * holds the last C distinct keys read: its steady state. 8,000 measured
   * reads put the binomial spread of the hit ratio near 0.0055.
   */
  it("measures Redis's LRU within 0.04 of Che's approximation at Zipf 0.9 with 10% of the key space", async () => {
    const outcome = await bench([
      'capacity',
      ...['--keys', '30000', '--dist', 'zipf:0.9', '--rate', '2000', '--warmup', '4s', '--duration', '4s'],
      ...['--cache-sizes', '10%'],
    ]);
    const section = outcome.snapshot.suites.capacity as unknown as CapacityResult;
    const [unbounded, tenth] = section.rows;
    if (!unbounded || !tenth) throw new Error('expected two rows');
    expect(unbounded).toMatchObject({ size: 'unbounded', maxmemoryBytes: 0, capacityBound: false });
    expect(tenth).toMatchObject({ size: '10%', capacityBound: true, predictionBasis: 'che' });
    const [sizing] = section.sizing;
    if (!sizing) throw new Error('no sizing');
    // maxmemory was set for the row (CONFIG SET on the throwaway server): the baseline plus 10% of the key space.
    expect(tenth.maxmemoryBytes).toBe(sizing.baselineBytes + Math.round(0.1 * sizing.keySpaceBytes));
    // About a tenth of the keys fit: MEMORY USAGE per entry is not exactly what an entry adds to used_memory.
    expect(tenth.residentKeys).toBeGreaterThan(0.05 * 30_000);
    expect(tenth.residentKeys).toBeLessThan(0.2 * 30_000);
    const { hitRatio, predictedHitRatio, residentKeys, evictedKeys, redisErrors, harness } = tenth;
    const seen = JSON.stringify({ hitRatio, predictedHitRatio, residentKeys, evictedKeys, redisErrors, harness });
    expect(Math.abs((hitRatio as number) - (predictedHitRatio as number)), seen).toBeLessThan(0.04);
    expect(sizing.bytesPerEntry).toBeGreaterThan(50);
    expect(sizing.predictedBytes).toBeGreaterThan(0);
    expect(outcome.stdout).toMatch(/memory for 90% of the unbounded hit ratio/);
  }, 180_000);

  it('is left out of a run that names no suites', () => {
    const parsed = parseBenchArgs([], {}, SUITES, false);
    if (parsed.kind !== 'run') throw new Error('expected a run');
    expect(parsed.request.suites).not.toContain('capacity');
    expect(parsed.request.suites).toContain('ttl-sweep');
  });
});

describe('a Redis the user named (here a throwaway server this test started, passed as --redis-url)', () => {
  let user: TestRedis;
  beforeAll(async () => {
    user = await useRedisServer();
  });

  it('refuses the capacity suite with one exit-2 line', async () => {
    const result = await runCli(['capacity', '--redis-url', user.url, '--no-save'], { killAfterMs: 90_000 });
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual([
      expect.stringMatching(/^error: suite capacity runs only on a throwaway redis-server \(it sets maxmemory per row/),
    ]);
    expect(result.stderr).not.toMatch(STACK_LINE);
  }, 120_000);

  it('refuses the memory flags, by --redis-url and by REDIS_URL', async () => {
    for (const flags of [
      ['--maxmemory', '64mb'],
      ['--maxmemory-policy', 'allkeys-lfu'],
      ['--maxmemory-samples', '5'],
    ]) {
      await expect(bench(['ttl-sweep', '--redis-url', user.url, ...flags])).rejects.toThrow(
        /sets? the throwaway redis-server, but a Redis was named .*the harness never reconfigures your server/,
      );
    }
    await expect(bench(['ttl-sweep', '--maxmemory', '64mb'], { REDIS_URL: user.url })).rejects.toMatchObject({
      code: 'E_USAGE',
      exitCode: 2,
    });
  });

  it('is never reconfigured: INFO commandstats shows no CONFIG SET after a run and the refusals', async () => {
    const client = await user.connect();
    await client.configResetStat();
    const outcome = await bench([
      'ttl-sweep',
      ...['--redis-url', user.url, '--ttl', 'none', '--keys', '500', '--rate', '500'],
      ...['--warmup', '500ms', '--duration', '1s'],
    ]);
    await expect(bench(['capacity', '--redis-url', user.url])).rejects.toThrow(/runs only on a throwaway/);
    const [row] = (outcome.snapshot.suites['ttl-sweep']?.rows ?? []) as TtlSweepRow[];
    // Its memory figures come from INFO, which works where CONFIG GET is disabled.
    expect(row).toMatchObject({
      capacityBound: false,
      evictedKeys: 0,
      maxmemoryBytes: 0,
      maxmemoryPolicy: 'noeviction',
    });
    expect(row?.residentKeys).toBeGreaterThan(100);
    const stats = String(await client.info('commandstats'));
    expect(stats).toMatch(/cmdstat_scan:/); // the resident-key count, by SCAN
    expect(stats).not.toMatch(/cmdstat_config\|set|cmdstat_flushdb|cmdstat_flushall|cmdstat_keys:/);
    expect(infoField(String(await client.info('memory')), 'maxmemory')).toBe('0');
    // The check can fail: a CONFIG SET shows up under this name.
    await client.configSet('maxmemory-samples', '5');
    expect(String(await client.info('commandstats'))).toMatch(/cmdstat_config\|set:calls=1,/);
  }, 120_000);
});
