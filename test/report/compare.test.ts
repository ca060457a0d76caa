import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/types.ts';
import { compareSnapshots } from '../../src/report/compare.ts';
import { renderComparison, renderComparisonMarkdown } from '../../src/report/compareRender.ts';
import type { Snapshot } from '../../src/report/snapshotFormat.ts';
import { validateSnapshot } from '../../src/report/snapshotFormat.ts';
import { summarizeRepeats } from '../../src/suites/repeats.ts';
import type { TtlSweepRow } from '../../src/suites/ttlSweep.ts';
import { buildSnapshot } from '../helpers/snapshots.ts';

function sweepRow(s: Snapshot, ttlMs: number | null): TtlSweepRow {
  const row = (s.suites['ttl-sweep']?.rows as TtlSweepRow[] | undefined)?.find((r) => r.ttlMs === ttlMs);
  if (!row) throw new Error(`no ttl-sweep row for ${ttlMs}`);
  return row;
}

const find = (c: ReturnType<typeof compareSnapshots>, rowKey: string, metric: string) =>
  c.rows.find((r) => r.rowKey === rowKey && r.metric === metric);

/** A row as `--repeat` leaves it: every pass of `metric`, its summary, the median as the figure. */
function withPasses(row: object, metric: string, values: number[]): void {
  const r = row as Record<string, unknown> & { repeats?: object; summary?: object };
  const summary = summarizeRepeats(values);
  r.repeats = { ...r.repeats, [metric]: values };
  r.summary = { ...r.summary, [metric]: summary };
  r[metric] = summary?.median ?? null;
}

const P99 = [1.81, 1.9, 1.78, 1.95, 1.85];
const options = { threshold: 5 };

describe('compareSnapshots, single runs', () => {
  it('finds nothing between identical snapshots: counts are ~ with p = 1, latencies are not judged', () => {
    const c = compareSnapshots(buildSnapshot(), buildSnapshot(), options);
    expect(c.regressions).toBe(0);
    expect(c.improvements).toBe(0);
    expect(c.notes).toEqual([]);
    expect(find(c, 'ttl=2s', 'hitRatio')).toMatchObject({ verdict: '~', pValue: 1, delta: 0 });
    expect(find(c, 'ttl=2s', 'p99Ms')).toMatchObject({ verdict: null, reason: 'single run: not judged' });
    expect(c.rows.map((r) => r.rowKey)).toEqual(
      expect.arrayContaining([
        'cache-hit',
        'ttl=0 (no cache)',
        'ttl=2s',
        'ttl=none',
        'delete ttl=2s',
        'lock ttl=500ms',
      ]),
    );
    expect(renderComparison(c)).toMatch(/\n0 regressed, 0 improved, \d+ unchanged \(~\); \d+ not judged — /);
  });

  it('judges a 6-point hit-ratio drop over 10,000 reads from the counts, and says ~ to 4 points', () => {
    const at = (hitRatio: number) =>
      compareSnapshots(
        buildSnapshot(),
        buildSnapshot((s) => {
          Object.assign(sweepRow(s, 2000), { hitRatio, hits: Math.round(hitRatio * 10_000) });
        }),
        options,
      );
    const six = find(at(0.84), 'ttl=2s', 'hitRatio');
    expect(six).toMatchObject({ verdict: 'regressed', unit: 'points', method: 'two-proportion' });
    expect(six?.delta).toBeCloseTo(-6, 9);
    expect(six?.pValue).toBeLessThan(1e-6);
    // Four points on 10,000 reads is significant, but not beyond the 5-point threshold.
    const four = find(at(0.86), 'ttl=2s', 'hitRatio');
    expect(four?.pValue).toBeLessThan(0.05);
    expect(four?.verdict).toBe('~');
    expect(at(0.86).regressions).toBe(0);
  });

  it('says ~ to a significant 0.1-point wobble (a million reads a side)', () => {
    const big = (hits: number) =>
      buildSnapshot((s) => {
        Object.assign(sweepRow(s, 2000), { hits, cacheReads: 1_000_000, reads: 1_000_000, hitRatio: hits / 1e6 });
      });
    const c = compareSnapshots(big(900_000), big(899_000), { threshold: 0.5 });
    const r = find(c, 'ttl=2s', 'hitRatio');
    expect(r?.pValue).toBeLessThan(0.05);
    expect(r?.delta).toBeCloseTo(-0.1, 9);
    expect(r?.verdict).toBe('~');
  });

  it("gives a single run's counts their exact binomial interval (hand-computed Clopper–Pearson)", () => {
    // 1 hit in 10: lower 1 − 0.975^(1/10) = 0.002529; upper solves P(X ≤ 1 | 10, p) = 0.025, p = 0.4450.
    // 0 hits in 10: upper 1 − 0.025^(1/10) = 0.3085.
    const tiny = (hits: number) =>
      buildSnapshot((s) => {
        Object.assign(sweepRow(s, 2000), { hits, cacheReads: 10, reads: 10, hitRatio: hits / 10 });
      });
    const c = compareSnapshots(tiny(1), tiny(0), options);
    const r = find(c, 'ttl=2s', 'hitRatio');
    expect(r?.old.interval?.lower).toBeCloseTo(1 - 0.975 ** 0.1, 6);
    expect(r?.old.interval?.upper).toBeCloseTo(0.445, 4);
    expect(r?.new.interval?.lower).toBe(0);
    expect(r?.new.interval?.upper).toBeCloseTo(1 - 0.025 ** 0.1, 6);
    expect(renderComparison(c)).toContain('10.0% [0.253%, 44.5%]');
    // One hit against none is no evidence of anything.
    expect(r?.verdict).toBe('~');
  });

  it('judges single-run latency by the threshold alone only with --judge-single', () => {
    const slower = buildSnapshot((s) => {
      sweepRow(s, 2000).p99Ms = 1.1;
    });
    expect(find(compareSnapshots(buildSnapshot(), slower, options), 'ttl=2s', 'p99Ms')?.verdict).toBeNull();
    const judged = compareSnapshots(buildSnapshot(), slower, { ...options, judgeSingle: true });
    expect(find(judged, 'ttl=2s', 'p99Ms')).toMatchObject({
      verdict: 'regressed',
      method: 'threshold only (--judge-single)',
    });
    expect(judged.regressions).toBe(1);
  });

  it('shows a row present only in NEW without judging it, and never judges null figures', () => {
    const c = compareSnapshots(
      buildSnapshot(),
      buildSnapshot((s) => {
        s.suites['ttl-sweep']?.rows.push({ ...sweepRow(s, 2000), ttlMs: 300_000, hitRatio: 0.1, p99Ms: 99 });
        sweepRow(s, 2000).hitRatio = null;
      }),
      options,
    );
    expect(find(c, 'ttl=5m', 'hitRatio')).toMatchObject({ verdict: null, reason: 'new row' });
    expect(find(c, 'ttl=2s', 'hitRatio')).toMatchObject({ verdict: null, reason: 'n/a' });
    expect(c.regressions).toBe(0);
  });
});

describe('compareSnapshots, repeated runs', () => {
  const repeated = (factor: number, passes = P99) =>
    buildSnapshot((s) => {
      withPasses(
        sweepRow(s, 2000),
        'p99Ms',
        passes.map((v) => v * factor),
      );
    });

  it('calls p99 up 20% over 5 passes a side a regression, lists it first, and exits the summary with it', () => {
    const c = compareSnapshots(repeated(1), repeated(1.2), options);
    const r = find(c, 'ttl=2s', 'p99Ms');
    expect(r).toMatchObject({ verdict: 'regressed', method: 'Mann-Whitney U (exact)' });
    expect(r?.pValue).toBeCloseTo(2 / 252, 12);
    expect(r?.old.passes).toBe(5);
    expect(c.rows[0]).toBe(r);
    expect(c.regressions).toBe(1);
    const text = renderComparison(c);
    expect(text.split('\n').find((l) => l.includes('regressed'))).toMatch(/ttl=2s.*p99Ms.*± .*\+20\.0% \[/);
    expect(text).toMatch(/\n1 regressed, 0 improved, \d+ unchanged \(~\)/);
  });

  it('does not judge the p99 of a row whose harness set the pace on either side, unless asked', () => {
    const bound = buildSnapshot((s) => {
      withPasses(
        sweepRow(s, 2000),
        'p99Ms',
        P99.map((v) => v * 3),
      );
      Object.assign(sweepRow(s, 2000), { harnessBoundPasses: 2 });
    });
    const c = compareSnapshots(repeated(1), bound, options);
    expect(find(c, 'ttl=2s', 'p99Ms')).toMatchObject({ verdict: null, reason: 'harness-bound: not judged' });
    expect(c.regressions).toBe(0);
    expect(c.notes).toEqual([
      'NEW: 1 of 6 rows were harness-bound (the machine, not Redis, set the pace): their latencies measure this machine',
    ]);
    const judged = compareSnapshots(repeated(1), bound, { ...options, judgeHarnessBound: true });
    expect(find(judged, 'ttl=2s', 'p99Ms')?.verdict).toBe('regressed');
    // A single run says so in its harness report.
    const single = buildSnapshot((s) => {
      sweepRow(s, 2000).harness = {
        ...sweepRow(s, 2000).harness,
        bottleneck: 'harness-bound: 3% of sends left over 5 ms late',
      };
    });
    const one = compareSnapshots(buildSnapshot(), single, { ...options, judgeSingle: true });
    expect(find(one, 'ttl=2s', 'p99Ms')?.reason).toBe('harness-bound: not judged');
    expect(one.notes).toEqual([
      'NEW: 1 of 6 rows were harness-bound (the machine, not Redis, set the pace): their latencies measure this machine',
    ]);
  });

  it('says ~ when the same configuration ran twice (passes interleaved), and when 3 passes cannot reach p < 0.05', () => {
    const other = [1.84, 1.79, 1.93, 1.88, 1.8];
    expect(compareSnapshots(repeated(1), repeated(1, other), options).regressions).toBe(0);
    const three = compareSnapshots(repeated(1, P99.slice(0, 3)), repeated(2, P99.slice(0, 3)), options);
    expect(find(three, 'ttl=2s', 'p99Ms')).toMatchObject({ verdict: '~' });
    expect(find(three, 'ttl=2s', 'p99Ms')?.pValue).toBeCloseTo(0.1, 12);
  });

  it('says ~ to a consistent 0.1-point hit-ratio wobble over 5 passes', () => {
    const ratios = [0.9, 0.901, 0.899, 0.9005, 0.8995];
    const shifted = ratios.map((v) => v - 0.001 * 3);
    const snap = (values: number[]) => buildSnapshot((s) => withPasses(sweepRow(s, 2000), 'hitRatio', values));
    const r = find(compareSnapshots(snap(ratios), snap(shifted), options), 'ttl=2s', 'hitRatio');
    expect(r?.unit).toBe('points');
    expect(r?.verdict).toBe('~');
  });

  it('judges a count figure from summed counts when only one side has passes', () => {
    const passes = buildSnapshot((s) => {
      const row = sweepRow(s, 2000) as unknown as Record<string, unknown>;
      row.repeats = { hits: [8000, 8010, 7990], cacheReads: [10_000, 10_000, 10_000], hitRatio: [0.8, 0.801, 0.799] };
      row.summary = { hitRatio: summarizeRepeats([0.8, 0.801, 0.799]) };
      row.hitRatio = 0.8;
    });
    const r = find(compareSnapshots(buildSnapshot(), passes, options), 'ttl=2s', 'hitRatio');
    expect(r).toMatchObject({ verdict: 'regressed', method: 'two-proportion' });
    expect(r?.delta).toBeCloseTo(-10, 6);
  });

  it('prints Markdown for a CI job summary', () => {
    const md = renderComparisonMarkdown(compareSnapshots(repeated(1), repeated(1.2), options));
    expect(md).toMatch(/^\*\*1 regressed, 0 improved, \d+ unchanged \(~\)/);
    expect(md).toContain('| verdict | suite | row | figure | old | new | change [95% interval] | p |');
    expect(md).toMatch(/\n\| regressed \| ttl-sweep \| ttl=2s \| p99Ms \|/);
  });
});

describe('compareSnapshots, what it refuses', () => {
  it('refuses a different scenario', () => {
    const other = buildSnapshot((s) => {
      s.config.scenario = 'session-store';
    });
    expect(() => compareSnapshots(buildSnapshot(), other, options)).toThrow(
      /scenario "default" with scenario "session-store"/,
    );
  });

  it('notes a degraded run, lists differing settings, and refuses a changed workload unless allowed', () => {
    const changed = buildSnapshot((s) => {
      s.status = 'degraded';
      (s.suites['ttl-sweep'] as { settings: Record<string, unknown> }).settings.keys = 20_000;
      s.config.seed = 2;
    });
    expect(() => compareSnapshots(buildSnapshot(), changed, options)).toThrow(
      /different workloads \(ttl-sweep --keys: 10000 → 20000\).*--allow-config-diff/,
    );
    const c = compareSnapshots(buildSnapshot(), changed, { ...options, allowConfigDiff: true });
    expect(c.notes).toEqual(['NEW run is degraded; its figures may not be representative']);
    expect(c.settings.map((d) => `${d.where} ${d.name}: ${d.old} → ${d.new}`)).toEqual([
      'config --seed: 1 → 2',
      'ttl-sweep --keys: 10000 → 20000',
    ]);
    expect(renderComparison(c)).toMatch(/^setting config --seed: 1 → 2 \(does not change the workload\)\n/);
  });

  it('notes runs against different sources, not a change of pool', () => {
    const mariadb = buildSnapshot((s) => {
      s.env.source = { kind: 'mysql', version: '10.11.19-MariaDB', pool: 10 };
    });
    const c = compareSnapshots(buildSnapshot(), mariadb, { threshold: 5 });
    expect(c.notes).toEqual([
      'the runs had different sources (OLD SQLite 3.45.0, NEW MariaDB 10.11.19, pool 10): source costs differ by design',
    ]);
    const pool3 = buildSnapshot((s) => {
      s.env.source = { kind: 'mysql', version: '10.11.19-MariaDB', pool: 3 };
    });
    expect(compareSnapshots(mariadb, pool3, { threshold: 5 }).notes).toEqual([]);
  });

  it('still reads a schemaVersion 1 snapshot, and says its settings cannot be compared', () => {
    const v1 = buildSnapshot((s) => {
      (s as { schemaVersion: number }).schemaVersion = 1;
    });
    const c = compareSnapshots(validateSnapshot(v1), buildSnapshot(), options);
    expect(c.regressions).toBe(0);
    expect(c.notes).toEqual([
      'OLD is a schemaVersion 1 snapshot: it recorded no per-suite settings, so they are not compared',
    ]);
  });
});

describe('compare and the answer', () => {
  const answer = (ttlMs: number | null, invalidation: 'ttl' | 'delete' | 'write-through') =>
    ({
      recommended: true,
      ttlMs,
      invalidation,
      hitRatio: 0.7,
      sourceReadsPerSec: 600,
      p99Ms: 1.5,
      staleReadRatio: 0.001,
      maxStaleAgeMs: 2000,
      basis: {},
      constraints: {},
      runnerUp: null,
      reason: 'r',
    }) as unknown as Answer;

  it('says when two snapshots give different answers, without calling it a regression', () => {
    const old = buildSnapshot((s) => {
      s.answer = answer(2000, 'delete');
    });
    const next = buildSnapshot((s) => {
      s.answer = answer(null, 'write-through');
    });
    const c = compareSnapshots(old, next, { threshold: 5 });
    expect(c.answerChanged).toEqual({
      old: 'TTL 2s with delete-on-write',
      new: 'TTL none with write-through',
    });
    expect(c.regressions).toBe(0);
    expect(renderComparison(c)).toContain(
      'the answer changed: OLD TTL 2s with delete-on-write → NEW TTL none with write-through',
    );
  });

  it('says nothing when the answers agree, and names a snapshot older than the answer', () => {
    const same = buildSnapshot((s) => {
      s.answer = answer(2000, 'delete');
    });
    expect(compareSnapshots(same, structuredClone(same), { threshold: 5 }).answerChanged).toBeNull();
    expect(compareSnapshots(buildSnapshot(), same, { threshold: 5 }).answerChanged?.old).toBe(
      'no answer (snapshot older than the answer)',
    );
  });
});

describe('compare CLI', () => {
  const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compare-cli-'));
    const slower = buildSnapshot((s) => {
      Object.assign(sweepRow(s, 2000), { hitRatio: 0.8, hits: 8000 });
    });
    await writeFile(file('old.json'), JSON.stringify(buildSnapshot()));
    await writeFile(file('same.json'), JSON.stringify(buildSnapshot()));
    await writeFile(file('slower.json'), JSON.stringify(slower));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function run(...args: string[]) {
    const env = { ...process.env };
    delete env.DEBUG;
    try {
      const { stdout, stderr } = await promisify(execFile)('npx', ['tsx', 'bench/compare.ts', ...args], {
        cwd: repoRoot,
        env,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('exits 0 without regressions', async () => {
    const r = await run(file('old.json'), file('same.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n0 regressed, 0 improved, \d+ unchanged \(~\)/);
    const md = await run(file('old.json'), file('same.json'), '--md');
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^\*\*0 regressed/);
  });

  it('exits 1 when NEW regressed', async () => {
    const r = await run(file('old.json'), file('slower.json'), '--threshold=8%');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\n1 regressed, 0 improved, .*beyond 8%/);
  });

  it.each([
    [
      ['a.json', 'b.json', '--threshold', 'abc'],
      /^error: --threshold "abc" is not valid; expected a percentage from 0 to 1000/,
    ],
    [['only-one.json'], /^error: expected two snapshot files/],
    [['missing.json', 'missing.json'], /^error: cannot read snapshot missing.json: file not found$/],
  ])('exits 2 with one line on stderr for %j', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });
});
