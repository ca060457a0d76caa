/**
 * Issue 18 end to end: real runs with `--repeat 5`, compared by the real
 * compare CLI. Runs are kept short (two TTL rows, 1 s windows at 1,000
 * reads/s; 400 ms windows let one stall of a busy machine swing a whole pass).
 * The two runs of the same configuration run at the same time, so that
 * whatever else the shared machine does lands on both sides alike, as the
 * alternating order does for rows within a run; the baseline, the slowdown
 * and the wider key space run alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Interval } from '../../src/metrics/sample.ts';
import type { Snapshot } from '../../src/report/snapshotFormat.ts';
import { ROOT, runCli, tempDir } from '../helpers/cli.ts';

const BASE = ['ttl-sweep', '--ttl', '0,500ms', '--duration', '1s', '--rate', '1000'];
const dir = tempDir('cab-repeat-');
const file = (name: string) => join(dir, `${name}.json`);

async function bench(name: string, extra: string[]) {
  const args = [...BASE, ...extra, '--repeat', '5', '--no-save', '--json', file(name), '--quiet'];
  const r = await runCli(args, { killAfterMs: 240_000 });
  if (r.code !== 0) throw new Error(`bench ${name} exited ${r.code}: ${r.stderr}`);
  return r;
}

async function compare(...args: string[]) {
  const { execFile } = await import('node:child_process');
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bench/compare.ts', ...args],
      { cwd: ROOT },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
    );
  });
}

/** Max − min of the ttl=0 row's p99 over the passes of a snapshot, in ms. */
function p99Range(name: string): number {
  const snap = JSON.parse(readFileSync(file(name), 'utf8')) as Snapshot;
  const rows = snap.suites['ttl-sweep']?.rows as { ttlMs: number | null; summary: Record<string, Interval> }[];
  const s = rows.find((r) => r.ttlMs === 0)?.summary.p99Ms;
  return s ? s.upper - s.lower : Number.POSITIVE_INFINITY;
}

/** The compare line of one figure of one row. */
const line = (out: string, row: string, metric: string) =>
  out.split('\n').find((l) => l.includes(` ${row} `) && l.includes(` ${metric} `)) ?? '';

let baseTable = '';

beforeAll(async () => {
  // One at a time: on a busy 2-core machine a run beside another stalls both, up to Redis timeouts.
  baseTable = (await bench('base', [])).stdout;
  await bench('slow', ['--source-latency', '3ms']);
  await bench('wide', ['--keys', '40000']);
  // The same configuration twice, side by side, so the machine's moods land on both alike.
  await Promise.all([bench('same', []), bench('again', [])]);
}, 600_000);

describe('--repeat 5 and compare, on real runs', () => {
  it('keeps every pass and a median with its interval, and prints median ± half', () => {
    const snap = JSON.parse(readFileSync(file('base'), 'utf8')) as Snapshot;
    expect(snap.config.repeat).toBe(5);
    const section = snap.suites['ttl-sweep'] as unknown as { passes: number; rows: Record<string, unknown>[] };
    expect(section.passes).toBe(5);
    const row = section.rows.find((r) => r.ttlMs === 500) as {
      repeats: Record<string, unknown[]>;
      summary: Record<string, { median: number; lower: number; upper: number; coverage: number }>;
      p99Ms: number;
    };
    expect(row.repeats.p99Ms).toHaveLength(5);
    expect(row.repeats.hitRatio).toHaveLength(5);
    expect(row.summary.p99Ms?.median).toBe(row.p99Ms);
    // For the median of 5 the exact order-statistic interval is min to max: 1 − 2/32 = 93.75% coverage.
    expect(row.summary.p99Ms?.coverage).toBeCloseTo(0.9375, 12);
    expect(row.summary.p99Ms?.lower).toBe(Math.min(...(row.repeats.p99Ms as number[])));
    expect(baseTable).toMatch(/│ 500ms +│ 0\.\d{3} ± 0\.\d{3}/);
    expect(baseTable).toContain('--repeat 5: each measured figure is the median of 5 passes');
  });

  it('finds no regression between two runs of the same configuration and code', async () => {
    const r = await compare(file('same'), file('again'));
    expect(r.stdout).toMatch(/\n0 regressed, \d+ improved, \d+ unchanged \(~\)/);
    expect(r.code).toBe(0);
  });

  it("judges a slower source (1 ms → 3 ms) a regression on p99 and on the source's time (p50 of the reads it served)", async () => {
    const refused = await compare(file('base'), file('slow'));
    expect(refused.code).toBe(2);
    const r = await compare(file('base'), file('slow'), '--allow-config-diff');
    expect(r.code).toBe(1);
    // The source's time (every read at TTL 0 is the source's) moves by the whole 2 ms.
    expect(line(r.stdout, 'ttl=0 (no cache)', 'sourceP50Ms')).toMatch(/^│ regressed /);
    // The p99 is judged a regression too, unless the machine's stalls made its passes spread wider
    // than the 2 ms injected (then no test on 5 passes could see it, and '~' is the honest answer),
    // or made the row harness-bound (then it is not judged, and says so).
    const p99 = line(r.stdout, 'ttl=0 (no cache)', 'p99Ms');
    const spread = Math.max(...['base', 'slow'].map((name) => p99Range(name)));
    if (spread < 2) expect(p99).toMatch(/^│ regressed |harness-bound: not judged/);
    else expect(p99).toMatch(/^│ (regressed|~) |harness-bound: not judged/);
    expect(r.stdout).toContain('setting ttl-sweep --source-latency: 1ms → 3ms');
  });

  it('judges the hit-ratio drop of 40,000 keys against 10,000', async () => {
    // The model says 7 points (45.0% → 38.0%); short windows on a busy machine measured 3.5 to 4,
    // so the gate is set at 2 points here. The unit tests show a 0.1-point wobble is not judged.
    const r = await compare(file('base'), file('wide'), '--allow-config-diff', '--threshold', '2');
    expect(line(r.stdout, 'ttl=500ms', 'hitRatio')).toMatch(/^│ regressed .* -\d+\.\d pts \[/);
    expect(r.code).toBe(1);
  });
});
