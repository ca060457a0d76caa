/**
 * Short real runs of the harness against a throwaway Redis and real SQLite:
 * the measured figures agree with the model, the snapshot is whole, and the
 * server is left as it was found.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchRequest, parseBenchArgs } from '../../src/config/args.ts';
import { type BenchOutcome, runBench } from '../../src/run/runBench.ts';
import type { FreshnessRow } from '../../src/suites/freshness.ts';
import { SUITES } from '../../src/suites/registry.ts';
import type { StampedeRow } from '../../src/suites/stampede.ts';
import type { TtlSweepRow } from '../../src/suites/ttlSweep.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';

let redis: TestRedis;
const out = mkdtempSync(join(tmpdir(), 'cab-run-'));

beforeAll(async () => {
  redis = await useRedisServer();
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

function request(args: string[]): BenchRequest {
  const parsed = parseBenchArgs([...args, '--redis-url', redis.url, '--out', out, '--quiet'], {}, SUITES, false);
  if (parsed.kind !== 'run') throw new Error('expected a run');
  return parsed.request;
}

const rowsOf = <T>(outcome: BenchOutcome, suite: string) => (outcome.snapshot.suites[suite]?.rows ?? []) as T[];

async function bench(args: string[]): Promise<BenchOutcome & { stdout: string }> {
  let stdout = '';
  const outcome = await runBench(request(args), {
    out: (text) => {
      stdout += `${text}\n`;
    },
    err: () => {},
    color: false,
    signal: new AbortController().signal,
    env: {},
  });
  return { ...outcome, stdout };
}

describe('ttl-sweep', () => {
  /*
   * Settings where scheduling noise cannot matter: a TTL (2 s) far longer
   * than any stall a busy machine causes, whole-TTL windows, and about 6,000
   * reads a row, so the binomial spread of a hit ratio (≤ 0.0065) is under a
   * third of the 0.02 tolerance.
   */
  it('measures hit ratios within 0.02 of the model for zipf, uniform and hotspot', async () => {
    for (const [dist, ttl] of [
      ['zipf:0.99', '0,2s,none'],
      ['uniform', '2s,none'],
      ['hotspot:0.1:0.9', '2s'],
    ] as const) {
      const outcome = await bench([
        'ttl-sweep',
        '--dist',
        dist,
        '--keys',
        '2000',
        '--ttl',
        ttl,
        '--rate',
        '1500',
        '--duration',
        '4s',
        '--no-save',
      ]);
      const rows = rowsOf<TtlSweepRow>(outcome, 'ttl-sweep');
      const cached = rows.filter((r) => r.ttlMs !== 0);
      const uncached = rows.find((r) => r.ttlMs === 0);
      if (uncached) {
        expect(uncached.hitRatio).toBeNull();
        expect(uncached.sourceReadsPerSec).toBeGreaterThan(1200);
      }
      for (const row of cached) {
        expect(row.hitRatio, `${dist} ttl=${row.ttlMs}`).not.toBeNull();
        expect(
          Math.abs((row.hitRatio as number) - (row.predictedHitRatio as number)),
          `${dist} ttl=${row.ttlMs}`,
        ).toBeLessThan(0.02);
        expect(Math.abs((row.hitRatio as number) - (row.serverHitRatio as number))).toBeLessThan(0.01);
        expect(row.histogram.length).toBeGreaterThan(20);
        expect(Math.abs(row.readsPerSec - 1500) / 1500).toBeLessThan(0.08);
        // The harness measured itself: its CPU, how late it sent, what the source delay really was.
        expect(row.harness.cpuCores).toBeGreaterThan(0);
        expect(row.harness.lateness?.p50Ms).toBeGreaterThanOrEqual(0);
        expect(row.harness.pool.size).toBe(10);
        expect(row.service.p99Ms).toBeGreaterThan(0);
      }
    }
  }, 180_000);
});

describe('freshness', () => {
  it('measures TTL-only stale reads within 0.02 of the model, next to none with delete-on-write, and write-through hits as predicted', async () => {
    const outcome = await bench([
      'freshness',
      '--ttl',
      '1s',
      '--invalidation',
      'ttl,delete,write-through',
      '--write-rate',
      '50',
      '--duration',
      '8s',
      '--no-save',
    ]);
    const [ttlOnly, deleted, through] = rowsOf<FreshnessRow>(outcome, 'freshness');
    expect(ttlOnly?.staleReadRatio).toBeGreaterThan(0.02);
    expect(Math.abs((ttlOnly?.staleReadRatio as number) - (ttlOnly?.predictedStaleReadRatio as number))).toBeLessThan(
      0.02,
    );
    expect(ttlOnly?.maxStaleAgeMs).toBeLessThanOrEqual(1100);
    expect(deleted?.staleReadRatio).toBeLessThan(0.005);
    expect(deleted?.racedStaleReads).toBe(Math.round((deleted?.staleReadRatio as number) * (deleted?.reads as number)));
    // Write-through renews the entry on every write: more hits than TTL only, as its own form predicts.
    expect(through?.hitRatio).toBeGreaterThan(ttlOnly?.hitRatio as number);
    expect(Math.abs((through?.hitRatio as number) - (through?.predictedHitRatio as number))).toBeLessThan(0.02);
    expect(through?.predictedHitRatio).toBeGreaterThan(ttlOnly?.predictedHitRatio as number);
  }, 90_000);
});

describe('a whole run', () => {
  let outcome: BenchOutcome & { stdout: string };
  beforeAll(async () => {
    await (await redis.connect()).set('products:1', 'a user key');
    // Every suite at 1,000 reads/s: the default 4,000/s stampede overloads a
    // 2-core machine that two busy loops share, and its Redis calls then time
    // out (an honest "degraded", but not what this test is about).
    outcome = await bench([
      '--keys',
      '2000',
      '--rate',
      '1000',
      '--hot-keys',
      '2',
      '--duration',
      '1s',
      '--warmup',
      '300ms',
      '--json',
      join(out, 'copy.json'),
    ]);
  }, 120_000);

  it('saves a complete snapshot with every suite, a Markdown twin and a copy', () => {
    const { snapshot, written } = outcome;
    expect(snapshot.status).toBe('complete');
    expect(snapshot.suitesRun).toEqual(['ttl-sweep', 'read-path', 'freshness', 'stampede']);
    // Each suite records the settings it ran with, defaults included, in production units.
    expect(snapshot.suites['ttl-sweep']?.settings).toMatchObject({
      ttl: [0, 100, 500, 2000, null],
      rate: 1000,
      keys: 2000,
    });
    expect(snapshot.suites.stampede?.settings).toMatchObject({ hotKeys: 2, ttl: [250], rate: 1000 });
    // The JSON, latest.md, five SVG charts and latest.html beside it, and the --json copy.
    expect(written.map((f) => f.split('/').pop())).toEqual(
      expect.arrayContaining([
        'latest.md',
        'hit-ratio.svg',
        'source-reads.svg',
        'latency-percentiles.svg',
        'stale-reads.svg',
        'loads-per-expiry.svg',
        'latest.html',
        'copy.json',
      ]),
    );
    expect(written).toHaveLength(9);
    expect(readFileSync(join(out, 'default', 'latest.md'), 'utf8')).toContain('![Hit ratio vs TTL](hit-ratio.svg)');
    const saved = JSON.parse(readFileSync(written[0] as string, 'utf8'));
    expect(saved).toEqual(JSON.parse(JSON.stringify(snapshot)));
    expect(readdirSync(join(out, 'default'))).toContain('latest.md');
    expect(readFileSync(join(out, 'default', 'latest.md'), 'utf8')).toContain('## ttl-sweep');
  });

  it('prints every suite table, and the answer last', () => {
    for (const title of ['read-path', 'ttl-sweep', 'freshness', 'stampede']) {
      expect(outcome.stdout).toContain(title);
    }
    expect(outcome.snapshot.answer).toBeDefined();
    expect(outcome.stdout.lastIndexOf('The answer:')).toBeGreaterThan(outcome.stdout.lastIndexOf('total time'));
  });

  it('coordinated stampede strategies load about once per expiry', () => {
    const rows = rowsOf<StampedeRow>(outcome, 'stampede');
    for (const strategy of ['single-flight', 'lock']) {
      const row = rows.find((r) => r.strategy === strategy);
      expect(row?.loadsPerExpiry).toBeLessThanOrEqual(1.1);
    }
    const none = rows.find((r) => r.strategy === 'none');
    expect(none?.loadsPerExpiry).toBeGreaterThan(1.3);
    // Without coordination: within 25% of 1 + λΔ.
    const predicted = none?.predictedLoadsPerExpiry as number;
    expect(Math.abs((none?.loadsPerExpiry as number) - predicted) / predicted).toBeLessThan(0.25);
  });

  it('leaves the user key and none of its own', async () => {
    const client = await redis.connect();
    expect(await client.get('products:1')).toBe('a user key');
    const { keys } = await client.scan('0', { MATCH: 'cab:*', COUNT: 10_000 });
    expect(keys).toEqual([]);
  });
});
