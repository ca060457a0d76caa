/**
 * The suite registry drives everything that lists suites: --help, settings,
 * compare, the tables and snapshot validation. Adding a suite is one file and
 * one line in the registry; this test adds a throwaway one the same way and
 * checks that each of those picks it up.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseBenchArgs } from '../../src/config/args.ts';
import { helpText } from '../../src/config/help.ts';
import { resolveSettings } from '../../src/config/resolve.ts';
import { compareSnapshots } from '../../src/report/compare.ts';
import { validateSnapshot } from '../../src/report/snapshotFormat.ts';
import { snapshotTables } from '../../src/report/tables.ts';
import { SUITES } from '../../src/suites/registry.ts';
import { defineSuite, type Suite } from '../../src/suites/suite.ts';
import { buildSnapshot } from '../helpers/snapshots.ts';

interface EchoRow {
  name: string;
  score: number;
}

const echo = defineSuite<{ rows: EchoRow[] }>({
  name: 'echo',
  summary: 'a throwaway suite for this test',
  uses: ['keys', 'rate'],
  defaults: { rate: 7 },
  async run() {
    return { rows: [{ name: 'a', score: 1 }] };
  },
  rowKey: (row) => row.name,
  metrics: [{ metric: 'score', unit: 'count', worse: 'up' }],
  tables: (section) => [
    {
      title: 'echo table',
      head: ['name', 'score'],
      rows: section.rows.map((r) => [r.name, String(r.score)]),
      notes: [],
    },
  ],
  schema: z.looseObject({ rows: z.array(z.looseObject({ name: z.string(), score: z.number() })) }),
});

// "One line in the registry": the same as adding it to the array in src/suites/registry.ts.
(SUITES as Suite[]).push(echo);
afterAll(() => {
  (SUITES as Suite[]).pop();
});

const withEcho = (score: unknown) =>
  buildSnapshot((s) => {
    s.suites.echo = { settings: { rate: 7 }, rows: [{ name: 'a', score }] };
    s.suitesRun.push('echo');
  });

describe('the suite registry', () => {
  it('drives --help, suite names and per-suite defaults', () => {
    expect(helpText(SUITES)).toMatch(/\n {2}echo +a throwaway suite for this test\n/);
    expect(helpText(SUITES)).toContain('echo 7');
    const parsed = parseBenchArgs(['echo', '--rate', '9'], {}, SUITES, false);
    if (parsed.kind !== 'run') throw new Error('expected a run');
    expect(parsed.request.suites).toEqual(['echo']);
    expect(resolveSettings(echo, parsed.request).rate).toBe(9);
  });

  it('drives the tables, compare and snapshot validation', () => {
    // Every table's title ends naming the source (snapshotTables adds it).
    expect(snapshotTables(withEcho(1)).map((t) => t.title)).toContain('echo table — source: SQLite 3.45.0');
    const c = compareSnapshots(withEcho(1), withEcho(2), { thresholdPct: 5 });
    expect(c.rows.find((r) => r.suite === 'echo')).toMatchObject({ rowKey: 'a', metric: 'score', old: 1, new: 2 });
    expect(() => validateSnapshot(withEcho('high'))).toThrow();
    expect(validateSnapshot(withEcho(3)).suites.echo?.rows).toEqual([{ name: 'a', score: 3 }]);
  });
});
