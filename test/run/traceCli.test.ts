/**
 * `--trace` through the real process, with no Redis: `simulate` prints its
 * rows and saves them with the trace's profile, and never connects (REDIS_URL
 * points at a port nothing listens on, so a connection attempt would fail the
 * run); a bad trace is one line on stderr and exit 2, before anything starts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLines, runCli, STACK_LINE, savedSnapshot, tempDir } from '../helpers/cli.ts';

const dir = tempDir('cab-trace-cli-');
function traceFile(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  return path;
}

/** 1,000 requests over 10 s on 20 keys, every tenth a write; key k read with weight 1/k. */
function smallTrace(): string[] {
  const lines = ['timestamp,key,op,value_size'];
  let x = 7;
  for (let i = 0; i < 1000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const key = 1 + Math.floor(20 * (x / 2 ** 31) ** 2);
    lines.push(`${(i / 100).toFixed(2)},k${key},${i % 10 === 9 ? 'set' : 'get'},${100 + key}`);
  }
  return lines;
}

const NO_REDIS = { REDIS_URL: 'redis://127.0.0.1:1' };

describe('simulate from the command line', () => {
  it('prints a row per TTL and saves them with the profile, without Redis', async () => {
    const out = tempDir('cab-sim-out-');
    const file = traceFile('small.csv', smallTrace());
    const r = await runCli(['simulate', '--trace', file, '--ttl', '0,1s,5s,none', '--out', out], {
      env: NO_REDIS,
    });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('simulate (');
    expect(r.stdout).toMatch(/│ 1s +│ 0\.\d+/);
    // Not a TTY, so quiet: the table's notes carry the profile.
    expect(r.stdout).toContain('1,000 requests (900 reads, 100 writes), 20 keys, 10.0 s, format csv');
    const snapshot = savedSnapshot(out) as unknown as {
      suites: { simulate: { rows: { ttlMs: number | null; hitRatio: number }[]; trace: Record<string, unknown> } };
      env: { redis: { version: string } };
    };
    const section = snapshot.suites.simulate;
    expect(section.rows.map((row) => row.ttlMs)).toEqual([0, 1000, 5000, null]);
    expect(section.rows[0]?.hitRatio).toBe(0);
    // A longer TTL can only hit more often on the same requests (no capacity, invalidation ttl).
    const ratios = section.rows.map((row) => row.hitRatio);
    expect([...ratios].sort((a, b) => a - b)).toEqual(ratios);
    expect(section.trace).toMatchObject({ format: 'csv', requests: 1000, reads: 900, writes: 100, uniqueKeys: 20 });
    expect(section.trace.synthetic).toMatch(/^--keys 20 --dist zipf:[\d.]+ --rate 90.1 --write-rate 10$/);
    expect(snapshot.env.redis.version).toBe('none');
  }, 60_000);

  it('takes about 20 log-spaced TTLs when none are given', async () => {
    const file = traceFile('small2.csv', smallTrace());
    const r = await runCli(['simulate', '--trace', file, '--no-save'], { env: NO_REDIS });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('log-spaced from 100ms to the trace length');
    expect(r.stdout).toMatch(/│ 100ms +│/);
    expect(r.stdout).toMatch(/│ 10s +│/);
  }, 60_000);
});

describe('bad traces exit 2 with one line, before anything starts', () => {
  const cases: { name: string; args: () => string[]; says: RegExp }[] = [
    {
      name: 'over 1% malformed lines',
      args: () => {
        const lines = smallTrace();
        for (let i = 10; i < 30; i++) lines[i] = 'not,a,line';
        return ['simulate', '--trace', traceFile('malformed.csv', lines)];
      },
      says: /2\.00% of lines are malformed \(20 of 1000\).*first at line 11/,
    },
    {
      name: 'an empty trace',
      args: () => ['simulate', '--trace', traceFile('empty.csv', [])],
      says: /has no requests/,
    },
    {
      name: 'a header and no requests',
      args: () => ['ttl-sweep', '--trace', traceFile('header.csv', ['timestamp,key,op'])],
      says: /has no requests/,
    },
    {
      name: 'simulate without a trace',
      args: () => ['simulate'],
      says: /simulate needs a trace: expected --trace FILE/,
    },
    {
      name: 'a bad window',
      args: () => ['simulate', '--trace', 'x.csv', '--trace-window', '5:2'],
      says: /END is not above START/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCli([...c.args(), '--no-save']);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(errorLines(r.stderr).filter((line) => !line.startsWith('note:'))).toHaveLength(1);
      expect(r.stderr).toMatch(c.says);
      expect(r.stdout).toBe('');
    }, 60_000);
  }

  it('reads the trace before connecting: a Redis suite with a bad trace exits 2, not 1', async () => {
    // Nothing listens on port 1: connecting first would exit 1 with a connection error.
    const r = await runCli(['ttl-sweep', '--trace', join(dir, 'missing.csv'), '--no-save'], { env: NO_REDIS });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot be read \(no such file\)/);
  }, 60_000);
});
