import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/types.ts';
import { compareSnapshots, renderComparison } from '../../src/report/compare.ts';
import type { Snapshot } from '../../src/report/snapshotFormat.ts';
import { validateSnapshot } from '../../src/report/snapshotFormat.ts';
import type { TtlSweepRow } from '../../src/suites/ttlSweep.ts';
import { buildSnapshot } from '../helpers/snapshots.ts';

function sweepRow(s: Snapshot, ttlMs: number | null): TtlSweepRow {
  const row = (s.suites['ttl-sweep']?.rows as TtlSweepRow[] | undefined)?.find((r) => r.ttlMs === ttlMs);
  if (!row) throw new Error(`no ttl-sweep row for ${ttlMs}`);
  return row;
}

const find = (c: ReturnType<typeof compareSnapshots>, rowKey: string, metric: string) =>
  c.rows.find((r) => r.rowKey === rowKey && r.metric === metric);

describe('compareSnapshots', () => {
  it('finds no regression between identical snapshots', () => {
    const c = compareSnapshots(buildSnapshot(), buildSnapshot(), { thresholdPct: 5 });
    expect(c.regressions).toBe(0);
    expect(c.rows.some((r) => r.improved)).toBe(false);
    expect(c.notes).toEqual([]);
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
    expect(renderComparison(c)).toMatch(/no regressions past 5%$/);
  });

  it('counts a hit ratio down 6 points as a regression at threshold 5, and 4 or exactly 5 points as none', () => {
    const at = (hitRatio: number) =>
      compareSnapshots(
        buildSnapshot(),
        buildSnapshot((s) => {
          sweepRow(s, 2000).hitRatio = hitRatio;
        }),
        { thresholdPct: 5 },
      );
    const six = at(0.84);
    expect(find(six, 'ttl=2s', 'hitRatio')).toMatchObject({ regressed: true, delta: '-6.0 pts' });
    expect(six.regressions).toBe(1);
    expect(at(0.86).regressions).toBe(0);
    expect(at(0.85).regressions).toBe(0);
  });

  it('counts p99 up 10% as a regression and marks an improvement', () => {
    const c = compareSnapshots(
      buildSnapshot(),
      buildSnapshot((s) => {
        sweepRow(s, 2000).p99Ms = 1.1;
        sweepRow(s, null).sourceReadsPerSec = 50;
      }),
      { thresholdPct: 5 },
    );
    expect(find(c, 'ttl=2s', 'p99Ms')).toMatchObject({ old: 1, new: 1.1, delta: '+10.0%', regressed: true });
    expect(find(c, 'ttl=none', 'sourceReadsPerSec')).toMatchObject({ regressed: false, improved: true });
    expect(c.regressions).toBe(1);
    const text = renderComparison(c);
    expect(text).toContain('REGRESSED');
    expect(text).toContain('improved');
    expect(text).toMatch(/1 regression past 5%$/);
  });

  it('gates read-path on p99 and opsPerSec only', () => {
    const c = compareSnapshots(
      buildSnapshot(),
      buildSnapshot((s) => {
        const row = s.suites['read-path']?.rows[0] as Record<string, unknown> | undefined;
        if (row) Object.assign(row, { meanMs: 1, p50Ms: 1, opsPerSec: 4000 });
      }),
      { thresholdPct: 5 },
    );
    expect(find(c, 'cache-hit', 'p50Ms')?.regressed).toBe(false);
    expect(find(c, 'cache-hit', 'opsPerSec')?.regressed).toBe(true);
    expect(c.regressions).toBe(1);
  });

  it('shows a row present only in NEW without counting it', () => {
    const c = compareSnapshots(
      buildSnapshot(),
      buildSnapshot((s) => {
        s.suites['ttl-sweep']?.rows.push({ ...sweepRow(s, 2000), ttlMs: 300_000, hitRatio: 0.1, p99Ms: 99 });
      }),
      { thresholdPct: 5 },
    );
    expect(find(c, 'ttl=5m', 'hitRatio')).toMatchObject({ old: null, new: 0.1, delta: 'new row', regressed: false });
    expect(c.regressions).toBe(0);
  });

  it('never regresses on null figures', () => {
    const c = compareSnapshots(
      buildSnapshot(),
      buildSnapshot((s) => {
        sweepRow(s, 2000).hitRatio = null;
      }),
      { thresholdPct: 5 },
    );
    expect(find(c, 'ttl=2s', 'hitRatio')).toMatchObject({ new: null, delta: 'n/a', regressed: false });
    expect(find(c, 'ttl=0 (no cache)', 'hitRatio')?.regressed).toBe(false);
  });

  it('refuses a different scenario', () => {
    const other = buildSnapshot((s) => {
      s.config.scenario = 'session-store';
    });
    expect(() => compareSnapshots(buildSnapshot(), other, { thresholdPct: 5 })).toThrow(
      /scenario "default" with scenario "session-store"/,
    );
  });

  it('notes a degraded run, lists differing settings, and refuses a changed workload unless allowed', () => {
    const changed = buildSnapshot((s) => {
      s.status = 'degraded';
      (s.suites['ttl-sweep'] as { settings: Record<string, unknown> }).settings.keys = 20_000;
      s.config.seed = 2;
    });
    expect(() => compareSnapshots(buildSnapshot(), changed, { thresholdPct: 5 })).toThrow(
      /different workloads \(ttl-sweep --keys: 10000 → 20000\).*--allow-config-diff/,
    );
    const c = compareSnapshots(buildSnapshot(), changed, { thresholdPct: 5, allowConfigDiff: true });
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
    const c = compareSnapshots(buildSnapshot(), mariadb, { thresholdPct: 5 });
    expect(c.notes).toEqual([
      'the runs had different sources (OLD SQLite 3.45.0, NEW MariaDB 10.11.19, pool 10): source costs differ by design',
    ]);
    const pool3 = buildSnapshot((s) => {
      s.env.source = { kind: 'mysql', version: '10.11.19-MariaDB', pool: 3 };
    });
    expect(compareSnapshots(mariadb, pool3, { thresholdPct: 5 }).notes).toEqual([]);
  });

  it('still reads a schemaVersion 1 snapshot, and says its settings cannot be compared', () => {
    const v1 = buildSnapshot((s) => {
      (s as { schemaVersion: number }).schemaVersion = 1;
    });
    const c = compareSnapshots(validateSnapshot(v1), buildSnapshot(), { thresholdPct: 5 });
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
    const c = compareSnapshots(old, next, { thresholdPct: 5 });
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
    expect(compareSnapshots(same, structuredClone(same), { thresholdPct: 5 }).answerChanged).toBeNull();
    expect(compareSnapshots(buildSnapshot(), same, { thresholdPct: 5 }).answerChanged?.old).toBe(
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
      sweepRow(s, 2000).p99Ms = 2;
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
    expect(r.stdout).toContain('no regressions past 5%');
  });

  it('exits 1 when NEW regressed', async () => {
    const r = await run(file('old.json'), file('slower.json'), '--threshold=10%');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 regression past 10%');
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
