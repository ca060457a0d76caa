import { describe, expect, it } from 'vitest';
import { adviseMaxStale, recommendTtl } from '../../src/report/advice.ts';
import { renderMarkdown, renderTerminal } from '../../src/report/render.ts';
import { snapshotTables } from '../../src/report/tables.ts';
import type { FreshnessRow } from '../../src/suites/freshness.ts';
import type { TtlSweepRow } from '../../src/suites/ttlSweep.ts';
import { buildSnapshot } from '../helpers/snapshots.ts';

describe('renderMarkdown', () => {
  const snapshot = buildSnapshot((s) => {
    s.env.gitCommit = 'abc123def456';
  });
  const markdown = renderMarkdown(snapshot, snapshotTables(snapshot), '');

  it('opens with when, on what and from which commit it was measured', () => {
    const header = markdown.split('\n## ')[0] as string;
    expect(header).toContain('# cache-aside-bench: default');
    expect(header).toContain('2026-11-25T19:06:41.123Z');
    expect(header).toContain('Node v20.0.0, Redis 7.2.0 (standalone), source SQLite 3.45.0, timer thread');
    expect(header).toContain('CPU: test cpu × 2');
    expect(header).toContain('git commit: abc123def456');
  });

  it('has one well-formed table per suite, every row as wide as its header', () => {
    const sections = markdown.split('\n## ').slice(1);
    expect(sections.map((s) => s.split(' ')[0])).toEqual(['ttl-sweep', 'read-path', 'freshness', 'stampede']);
    for (const section of sections) {
      const lines = section.split('\n').filter((l) => l.startsWith('|'));
      const width = (line: string) => line.split(/(?<!\\)\|/).length;
      expect(lines[1]).toMatch(/^\|( --- \|)+$/);
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) expect(width(line)).toBe(width(lines[0] as string));
    }
  });

  it('shows a figure that does not apply as a dash, never as a zero', () => {
    const sweep = markdown.slice(markdown.indexOf('## ttl-sweep'));
    const uncached = sweep.split('\n').find((l) => l.startsWith('| 0 (no cache)')) as string;
    expect(uncached.split('|')[2]?.trim()).toBe('—');
  });

  it('renders the same tables on a terminal', () => {
    const text = renderTerminal(snapshotTables(snapshot), false);
    for (const head of ['hit ratio', 'Redis INFO', 'stale reads', 'loads/expiry', 'ops/s'])
      expect(text).toContain(head);
  });
});

const sweep = (ttlMs: number | null, hitRatio: number | null, p99Ms = 1): TtlSweepRow =>
  ({ ttlMs, hitRatio, p99Ms, sourceReadsPerSec: 1000 * (1 - (hitRatio ?? 0)) }) as TtlSweepRow;

describe('recommendTtl', () => {
  it('picks the shortest TTL within 90% of the best hit ratio, with its p99 and source load', () => {
    const line = recommendTtl([
      sweep(0, null, 3),
      sweep(100, 0.5),
      sweep(1000, 0.85, 2),
      sweep(10_000, 0.93),
      sweep(null, 0.94),
    ]);
    expect(line).toContain('TTL 1s is the shortest');
    expect(line).toContain('0.850 vs 0.940 at none');
    expect(line).toContain('p99 2.00 ms');
    expect(line).toContain('150 source reads/s');
    expect(line).toContain('uncached: 1,000/s');
  });

  it('says nothing when no row used the cache', () => {
    expect(recommendTtl([sweep(0, null)])).toBeUndefined();
  });
});

describe('adviseMaxStale', () => {
  const row = (invalidation: FreshnessRow['invalidation'], ttlMs: number, hitRatio: number, staleReadRatio: number) =>
    ({ invalidation, ttlMs, hitRatio, staleReadRatio }) as FreshnessRow;
  const rows = [row('ttl', 500, 0.5, 0.004), row('ttl', 2000, 0.66, 0.03), row('delete', 2000, 0.64, 0.001)];

  it('advises the best hit ratio within the budget and names what breaks it', () => {
    const line = adviseMaxStale(rows, 1);
    expect(line).toContain('use TTL 2s with delete invalidation');
    expect(line).toContain('ttl 2s: 3.00% stale');
  });

  it('says when nothing fits the budget, and which row came closest', () => {
    expect(adviseMaxStale(rows, 0.05)).toContain('no measured TTL stays within budget; the freshest was delete at 2s');
  });
});
