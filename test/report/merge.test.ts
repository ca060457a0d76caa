/**
 * Merging snapshots of one configuration from several load machines: sums
 * and recomputed ratios on hand-made rows (pure), and the command's exit 2
 * naming the setting two snapshots differ in.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { decodeHistogram, encodeHistogram, newLatencyHistogram, recordMs } from '../../src/metrics/latencyHistogram.ts';
import { mergeSnapshots } from '../../src/report/merge.ts';
import type { Snapshot } from '../../src/report/snapshotFormat.ts';
import type { TtlSweepRow } from '../../src/suites/ttlSweep.ts';
import { runCli, tempDir } from '../helpers/cli.ts';
import { buildSnapshot } from '../helpers/snapshots.ts';

/** A one-row ttl-sweep snapshot whose histograms hold `latenciesMs` and whose counts are `hits` and `misses`. */
function machine(
  seed: number,
  hits: number,
  misses: number,
  latenciesMs: number[],
  edit: (s: Snapshot) => void = () => {},
) {
  return buildSnapshot((s) => {
    const all = newLatencyHistogram();
    for (const ms of latenciesMs) recordMs(all, ms);
    const base = (s.suites['ttl-sweep']?.rows[1] ?? {}) as TtlSweepRow;
    const row: TtlSweepRow = {
      ...base,
      reads: hits + misses,
      counts: { hit: hits, miss: misses, uncached: 0, fallback: 0 },
      hitRatio: hits / (hits + misses),
      serverHitRatio: hits / (hits + misses),
      predictedHitRatio: hits / (hits + misses),
      readsPerSec: (hits + misses) / 2,
      load: { ...base.load, targetRate: 500, achievedRate: (hits + misses) / 2, lateSends: 1 },
      histogram: encodeHistogram(all),
      serviceHistogram: encodeHistogram(all),
    };
    s.config.seed = seed;
    s.config.redis = `redis://10.0.0.${seed}:7000`;
    s.suitesRun = ['ttl-sweep'];
    s.suites = {
      'ttl-sweep': {
        settings: { keys: 1000, dist: { kind: 'uniform' }, ttl: [2000], rate: 500, warmupMs: 2000, durationMs: 2000 },
        rows: [row],
      },
    };
    edit(s);
  });
}

describe('merge', () => {
  it('adds histograms, sums counts and rates, and recomputes the hit ratio from the counts', () => {
    const a = machine(1, 700, 300, [1, 2, 3, 4]);
    const b = machine(2, 900, 100, [5, 6, 7]);
    const { snapshot, skipped } = mergeSnapshots([
      { file: 'a.json', snapshot: a },
      { file: 'b.json', snapshot: b },
    ]);
    expect(skipped).toEqual([]);
    const row = snapshot.suites['ttl-sweep']?.rows[0] as TtlSweepRow;
    expect(row.reads).toBe(2000);
    expect(row.counts).toEqual({ hit: 1600, miss: 400, uncached: 0, fallback: 0 });
    expect(row.hitRatio).toBeCloseTo(0.8, 12);
    expect(decodeHistogram(row.histogram).totalCount).toBe(7);
    expect(row.maxMs).toBeCloseTo(7, 1);
    expect(row.p50Ms).toBeCloseTo(4, 1);
    expect(row.readsPerSec).toBe(1000);
    expect(row.load.targetRate).toBe(1000);
    expect(row.load.lateSends).toBe(2);
    expect(row.load.workers).toBe(2);
    // Server ratios: every machine saw the whole server, so a reads-weighted mean.
    expect(row.serverHitRatio).toBeCloseTo(0.8, 12);
    // Each machine kept its own cache: the prediction is each one's, weighted like the hit ratio.
    expect(row.predictedHitRatio).toBeCloseTo(0.8, 12);
    expect(row.predictedSourceReadsPerSec).toBe(200);
    expect(snapshot.config.mergedFrom).toHaveLength(2);
  });

  it('refuses snapshots whose configurations differ beyond seed and host, naming the setting', () => {
    const a = machine(1, 700, 300, [1]);
    const b = machine(2, 700, 300, [1], (s) => {
      (s.suites['ttl-sweep'] as { settings: Record<string, unknown> }).settings.keys = 2000;
    });
    const merge = () =>
      mergeSnapshots([
        { file: 'a.json', snapshot: a },
        { file: 'b.json', snapshot: b },
      ]);
    expect(merge).toThrow(UsageError);
    expect(merge).toThrow(/a\.json and b\.json differ in ttl-sweep\.keys: 1000 vs 2000/);
  });

  it('exits 2 from the command for a mismatched pair and writes the merged file for a matched one', async () => {
    const dir = tempDir('cab-merge-');
    const file = (name: string, s: Snapshot) => {
      writeFileSync(join(dir, name), JSON.stringify(s));
      return join(dir, name);
    };
    const a = file('a.json', machine(1, 700, 300, [1, 2]));
    const b = file('b.json', machine(2, 900, 100, [3]));
    const c = file(
      'c.json',
      machine(3, 900, 100, [3], (s) => {
        s.config.speedup = 60;
      }),
    );
    const out = join(dir, 'merged.json');
    const ok = await runMerge([a, b, '--out', out]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/merged 2 snapshots/);
    const bad = await runMerge([a, c, '--out', join(dir, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/differ in config\.speedup: 1 vs 60/);
  }, 60_000);
});

function runMerge(args: string[]) {
  return runCli(args, { script: 'bench/merge.ts' });
}
