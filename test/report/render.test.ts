import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/types.ts';
import { renderMarkdown, renderTerminal } from '../../src/report/render.ts';
import { snapshotTables } from '../../src/report/tables.ts';
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

describe('the answer in latest.md', () => {
  it('opens the report, above the header and the tables', () => {
    const answer: Answer = {
      recommended: false,
      binding: [],
      reason: 'nothing meets every constraint (stale reads ≤ 1% (default))',
    };
    const markdown = renderMarkdown(
      buildSnapshot((s) => {
        s.answer = answer;
      }),
      snapshotTables(buildSnapshot()),
      '',
    );
    const at = markdown.indexOf('The answer: no recommendation — nothing meets every constraint');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(markdown.indexOf('- date:'));
    expect(at).toBeLessThan(markdown.indexOf('## ttl-sweep'));
  });
});
