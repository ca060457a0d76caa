/**
 * Issue 18 end to end: real runs with `--repeat 5`, compared by the real
 * compare CLI. Runs are kept short (two TTL rows, 400 ms windows at 1,000
 * reads/s). The two runs of the same configuration run at the same time, so
 * that whatever else the shared machine does lands on both sides alike, as
 * the alternating order does for rows within a run; the slowdown and the
 * hit-ratio drop (7 points by the model) run alone, after them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/report/snapshotFormat.ts';
import { ROOT, runCli, tempDir } from '../helpers/cli.ts';

const BASE = ['ttl-sweep', '--ttl', '0,500ms', '--duration', '400ms', '--rate', '1000'];
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

/** The compare line of one figure of one row. */
const line = (out: string, row: string, metric: string) =>
  out.split('\n').find((l) => l.includes(` ${row} `) && l.includes(` ${metric} `)) ?? '';

let baseTable = '';

beforeAll(async () => {
  const [a] = await Promise.all([bench('base', []), bench('again', [])]);
  baseTable = a.stdout;
  // One at a time: on a busy 2-core machine a second run beside it would only add stalls to both.
  await bench('slow', ['--source-latency', '3ms']);
  await bench('wide', ['--keys', '40000']);
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
    const r = await compare(file('base'), file('again'));
    expect(r.stdout).toMatch(/\n0 regressed, \d+ improved, \d+ unchanged \(~\)/);
    expect(r.code).toBe(0);
  });

  it("judges a slower source (1 ms → 3 ms) a regression on p99 and on the source's time (p50 of the reads it served)", async () => {
    const refused = await compare(file('base'), file('slow'));
    expect(refused.code).toBe(2);
    const r = await compare(file('base'), file('slow'), '--allow-config-diff');
    expect(r.code).toBe(1);
    // Unless the machine was so busy that the row was harness-bound: then its p99 measured the machine, and says so.
    expect(line(r.stdout, 'ttl=0 (no cache)', 'p99Ms')).toMatch(/^│ regressed |harness-bound: not judged/);
    expect(line(r.stdout, 'ttl=500ms', 'sourceP50Ms')).toMatch(/^│ regressed /);
    expect(r.stdout).toContain('setting ttl-sweep --source-latency: 1ms → 3ms');
  });

  it('judges the hit-ratio drop of 40,000 keys against 10,000', async () => {
    const r = await compare(file('base'), file('wide'), '--allow-config-diff');
    expect(line(r.stdout, 'ttl=500ms', 'hitRatio')).toMatch(/^│ regressed .* -\d+\.\d pts \[/);
    expect(r.code).toBe(1);
  });
});
