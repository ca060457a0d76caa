import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE_TRACE_PATH, sampleTraceGzip } from '../../../bench/traceSample.ts';
import type { KeyDistribution } from '../../../src/config/types.ts';
import { createKeySampler } from '../../../src/workload/keySampler.ts';
import { createRng } from '../../../src/workload/rng.ts';
import { profileTrace } from '../../../src/workload/trace/profile.ts';
import { readTrace } from '../../../src/workload/trace/readTrace.ts';
import { OP_READ, OP_WRITE } from '../../../src/workload/trace/traceBuilder.ts';
import { fitZipf } from '../../../src/workload/trace/zipfFit.ts';
import { traceFile } from './traceFiles.ts';

/** Read counts per key id of `draws` draws from a distribution. */
function drawCounts(dist: KeyDistribution, keys: number, draws: number, seed: number): Float64Array {
  const sampler = createKeySampler(dist, keys, createRng(seed));
  const counts = new Float64Array(keys + 1);
  for (let i = 0; i < draws; i++) {
    const k = sampler.next();
    counts[k] = (counts[k] as number) + 1;
  }
  return counts;
}

describe('Zipf fit (maximum likelihood over the reads ranks)', () => {
  it('recovers the exponent of Zipf draws within 0.03', () => {
    for (const s of [0.8, 1.0, 1.2]) {
      for (const [keys, draws] of [
        [1000, 200_000],
        [20_000, 500_000],
      ] as const) {
        const fit = fitZipf(drawCounts({ kind: 'zipf', s }, keys, draws, 7));
        expect(Math.abs((fit?.exponent as number) - s)).toBeLessThan(0.03);
        expect(fit?.r2).toBeGreaterThan(0.9);
      }
    }
  });

  it('finds no skew in uniform draws, and a poor fit for a two-level hot spot', () => {
    // Sorting noisy counts by rank alone gives a slight slope (about 0.06 here).
    expect(fitZipf(drawCounts({ kind: 'uniform' }, 1000, 200_000, 3))?.exponent).toBeLessThan(0.1);
    const hotspot = fitZipf(drawCounts({ kind: 'hotspot', hotFraction: 0.1, hotOpsFraction: 0.9 }, 1000, 200_000, 3));
    expect(hotspot?.r2).toBeLessThan(0.8);
  });

  it('needs two keys read', () => {
    expect(fitZipf([0, 5, 0])).toBeUndefined();
    expect(fitZipf([])).toBeUndefined();
  });
});

describe('profileTrace', () => {
  it('profiles a trace file and gives the equivalent synthetic flags', async () => {
    // Zipf 1.0 over 2,000 keys: 20,000 requests over 100 s, every tenth a write.
    const sampler = createKeySampler({ kind: 'zipf', s: 1 }, 2000, createRng(11));
    const lines = ['timestamp_ms,key,op'];
    for (let i = 0; i < 20_000; i++) lines.push(`${i * 5},user:${sampler.next()},${i % 10 === 9 ? 'set' : 'get'}`);
    const file = traceFile('zipf.csv.gz', lines);
    const profile = profileTrace(await readTrace(file));
    expect(profile).toMatchObject({ file, format: 'csv', requests: 20_000, reads: 18_000, writes: 2000 });
    expect(profile.durationSec).toBeCloseTo(99.995, 9);
    expect(Math.abs((profile.zipfExponent as number) - 1)).toBeLessThan(0.03);
    const s = (profile.zipfExponent as number).toFixed(2).replace(/0$/, '').replace(/\.$/, '');
    expect(profile.synthetic).toBe(`--keys ${profile.uniqueKeys} --dist zipf:${s} --rate 180 --write-rate 20`);
  });

  it('says uniform and leaves out rates it cannot state', () => {
    const trace = {
      file: 'f',
      format: 'csv' as const,
      requests: 2,
      reads: 2,
      writes: 0,
      uniqueKeys: 1,
      durationMs: 0,
      key: Int32Array.of(1, 1),
      op: Uint8Array.of(OP_READ, OP_READ),
    };
    expect(profileTrace(trace)).toMatchObject({
      zipfExponent: null,
      zipfFitR2: null,
      synthetic: '--keys 1 --dist uniform',
    });
    const writes = { ...trace, reads: 0, writes: 2, durationMs: 1000, op: Uint8Array.of(OP_WRITE, OP_WRITE) };
    expect(profileTrace(writes).synthetic).toBe('--keys 1 --dist uniform --write-rate 2');
  });
});

describe('the sample trace', () => {
  it('is what bench/traceSample.ts generates, byte for byte, and at most 2 MB', () => {
    const committed = readFileSync(SAMPLE_TRACE_PATH);
    expect(committed.length).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(sampleTraceGzip().equals(committed)).toBe(true);
  });

  it('profiles as a day of Zipf-like traffic with writes', async () => {
    const profile = profileTrace(await readTrace(SAMPLE_TRACE_PATH));
    expect(profile.format).toBe('csv');
    expect(profile.durationSec).toBeGreaterThan(599);
    expect(profile.durationSec).toBeLessThan(600);
    expect(profile.writes / profile.requests).toBeGreaterThan(0.04);
    expect(profile.writes / profile.requests).toBeLessThan(0.06);
    // Zipf 0.9 drawn, flattened a little by the drift (each item's rank moves over the day).
    expect(profile.zipfExponent).toBeGreaterThan(0.6);
    expect(profile.zipfExponent).toBeLessThan(1);
  });
});
