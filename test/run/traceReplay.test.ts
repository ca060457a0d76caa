/**
 * The simulator against a real replay of the same trace: the CLI replays a
 * short trace through the cache-aside service on a throwaway redis-server
 * (started by the run itself; never the machine's 6379) and SQLite, and each
 * row's measured hit ratio must sit within 0.01 of the simulator's on the
 * same requests.
 *
 * The trace sends one request every 40 ms and the TTL ends 20 ms off that
 * grid, so an expiry lands about 20 ms (less the load time Δ) from any
 * request: a read flips between hit and miss only if the machine delays it
 * that much more than the load that stored its key. One flip is 1/380 of the
 * reads, so the 0.01 tolerance allows three on a busy machine.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, savedSnapshot, tempDir } from '../helpers/cli.ts';

const REQUESTS = 400;

/** 400 requests, one every 40 ms, on 25 keys (key k with weight falling as k grows), every 20th a write. */
function gridTrace(): string {
  const lines = ['timestamp,key,op,value_size'];
  let x = 11;
  for (let i = 0; i < REQUESTS; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const key = 1 + Math.floor(25 * (x / 2 ** 31) ** 2);
    lines.push(`${(100 + i * 0.04).toFixed(2)},user:${key},${i % 20 === 19 ? 'set' : 'get'},${200 + key * 10}`);
  }
  const path = join(tempDir('cab-replay-'), 'grid.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

interface Row {
  ttlMs: number;
  invalidation?: string;
  reads: number;
  hitRatio: number;
  predictedHitRatio: number;
  staleReadRatio?: number;
  predictedStaleReadRatio?: number;
}

describe('trace replay through Redis against the simulator', () => {
  it('measures the hit ratio the simulator predicts, within 0.01, in ttl-sweep and freshness', async () => {
    const out = tempDir('cab-replay-out-');
    const args = ['ttl-sweep', 'freshness', '--trace', gridTrace(), '--ttl', '1020ms'];
    const r = await runCli([...args, '--invalidation', 'delete', '--out', out], { killAfterMs: 240_000 });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    const snapshot = savedSnapshot(out) as unknown as {
      suites: Record<string, { rows: Row[]; trace: { requests: number; writes: number } }>;
    };
    const sweep = snapshot.suites['ttl-sweep'];
    const fresh = snapshot.suites.freshness;
    expect(sweep?.trace).toMatchObject({ requests: REQUESTS, writes: REQUESTS / 20 });
    const rows = [...(sweep?.rows ?? []), ...(fresh?.rows ?? [])];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      // Every read of the trace is measured (warm-up 0), each row from an empty cache.
      expect(row.reads).toBe(REQUESTS - REQUESTS / 20);
      expect(row.hitRatio).toBeGreaterThan(0.2);
      expect(Math.abs(row.hitRatio - row.predictedHitRatio)).toBeLessThanOrEqual(0.01);
    }
    // Delete-on-write: no stale reads predicted, and none measured at this spacing.
    for (const row of fresh?.rows ?? []) {
      expect(row.predictedStaleReadRatio).toBe(0);
      expect(row.staleReadRatio).toBe(0);
    }
  }, 300_000);
});
