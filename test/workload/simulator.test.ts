import { describe, expect, it } from 'vitest';
import {
  logSpacedTtls,
  type RequestArrays,
  type SimulationConfig,
  simulate,
  simulateTtls,
} from '../../src/workload/simulator.ts';
import { OP_READ, OP_WRITE } from '../../src/workload/trace/traceBuilder.ts';

/** `[t ms, key, 'r' | 'w']` → request arrays. */
function requests(list: [number, number, 'r' | 'w'][]): RequestArrays {
  return {
    timeMs: Float64Array.from(list.map(([t]) => t)),
    key: Int32Array.from(list.map(([, k]) => k)),
    op: Uint8Array.from(list.map(([, , o]) => (o === 'r' ? OP_READ : OP_WRITE))),
    uniqueKeys: Math.max(...list.map(([, k]) => k)),
  };
}

function reads(key: number, ...times: number[]): [number, number, 'r'][] {
  return times.map((t) => [t, key, 'r']);
}

function run(list: [number, number, 'r' | 'w'][], config: SimulationConfig) {
  return simulate(requests(list), config);
}

describe('simulator: TTL semantics (hand-worked)', () => {
  const everyStep = reads(1, 0, 600, 1200, 1800);

  it('a fixed TTL is set on store and not renewed by hits', () => {
    // 0 miss (expires 1000), 600 hit, 1200 miss (expires 2200), 1800 hit.
    const r = run(everyStep, { ttlMs: 1000 });
    expect([r.reads, r.hits, r.loads]).toEqual([4, 2, 2]);
    expect(r.hitRatio).toBe(0.5);
  });

  it('a sliding TTL is renewed by every hit', () => {
    // 0 miss (expires 1000), 600 hit (→ 1600), 1200 hit (→ 2200), 1800 hit.
    const r = run(everyStep, { ttlMs: 1000, sliding: true });
    expect([r.hits, r.loads]).toEqual([3, 1]);
  });

  it('an entry is gone at exactly its expiry, as with SET PX', () => {
    expect(run(reads(1, 0, 999, 1000), { ttlMs: 1000 }).hits).toBe(1);
  });

  it('TTL 0 caches nothing and no expiry keeps everything', () => {
    const list = [...reads(1, 0, 10, 20), ...reads(2, 30, 40)];
    expect(run(list, { ttlMs: 0 })).toMatchObject({ hits: 0, loads: 5 });
    expect(run(list, { ttlMs: null })).toMatchObject({ hits: 3, loads: 2 });
  });

  it('source reads per second are loads over the measured span', () => {
    // 5 loads over 2 s (the span from the first request to the last).
    const r = run(reads(1, 0, 500, 1000, 1500, 2000), { ttlMs: 100 });
    expect(r.loads).toBe(5);
    expect(r.sourceReadsPerSec).toBe(2.5);
    expect(run(reads(1, 0, 500), { ttlMs: 100, durationMs: 10_000 }).sourceReadsPerSec).toBe(0.2);
  });

  it('counts only requests from the warmup on, but replays the warmup', () => {
    // The 0 ms miss fills the cache unmeasured; 2 measured reads, both hits.
    const r = run(reads(1, 0, 1000, 2000), { ttlMs: null, warmupMs: 500 });
    expect([r.reads, r.hits, r.loads]).toEqual([2, 2, 0]);
  });
});

describe('simulator: invalidation (hand-worked)', () => {
  // Read at 0 (miss), write at 100, reads at 200 and 300; TTL 10 s.
  const list: [number, number, 'r' | 'w'][] = [[0, 1, 'r'], [100, 1, 'w'], ...reads(1, 200, 300)];

  it('ttl: the write leaves the old row cached, and both later hits are stale', () => {
    const r = run(list, { ttlMs: 10_000 });
    expect([r.hits, r.staleHits, r.loads]).toEqual([2, 2, 1]);
    expect(r.staleReadRatio).toBeCloseTo(2 / 3, 15);
  });

  it('delete: the write removes the entry, the next read reloads the new row', () => {
    const r = run(list, { ttlMs: 10_000, invalidation: 'delete' });
    expect([r.hits, r.staleHits, r.loads]).toEqual([1, 0, 2]);
  });

  it('write-through: the write stores the new row, so both later reads hit fresh', () => {
    const r = run(list, { ttlMs: 10_000, invalidation: 'write-through' });
    expect([r.hits, r.staleHits, r.loads]).toEqual([2, 0, 1]);
    // A write fills a key nobody read yet.
    expect(run([[0, 1, 'w'], ...reads(1, 50)], { ttlMs: 1000, invalidation: 'write-through' }).hits).toBe(1);
  });

  it('write-through starts a fresh TTL at the write', () => {
    // Stored at 0 (expires 1000), written at 800 (expires 1800): the read at 1500 hits.
    const wt: [number, number, 'r' | 'w'][] = [[0, 1, 'r'], [800, 1, 'w'], ...reads(1, 1500)];
    expect(run(wt, { ttlMs: 1000, invalidation: 'write-through' }).hits).toBe(1);
    expect(run(wt, { ttlMs: 1000, invalidation: 'ttl' }).hits).toBe(0);
  });
});

describe('simulator: load time Δ (hand-worked)', () => {
  it('reads during a load miss and load too; each store restarts the TTL', () => {
    // Δ = 100, TTL 1000. Misses at 0, 30, 60 store at 100, 130, 160 (the last
    // expires at 1160). 150 and 1140 hit; 1170 misses.
    const r = run(reads(1, 0, 30, 60, 150, 1140, 1170), { ttlMs: 1000, loadMs: 100 });
    expect([r.reads, r.hits, r.loads]).toEqual([6, 2, 4]);
  });

  it('a store due at t happens before a request at t', () => {
    expect(run(reads(1, 0, 100), { ttlMs: 1000, loadMs: 100 }).hits).toBe(1);
    expect(run(reads(1, 0, 99), { ttlMs: 1000, loadMs: 100 }).hits).toBe(0);
  });

  it('a write between the source read and the store leaves a stale value after a delete', () => {
    // Δ = 100, δ = 50: the miss at 0 reads the row at 50 and stores at 100.
    const raced = (writeAt: number) =>
      run([[0, 1, 'r'], [writeAt, 1, 'w'], ...reads(1, 200)], {
        ttlMs: 10_000,
        loadMs: 100,
        readToStoreMs: 50,
        invalidation: 'delete',
      });
    // Written at 70, after the source read: the store at 100 puts the old row back.
    expect(raced(70)).toMatchObject({ hits: 1, staleHits: 1 });
    // Written at 40, before the source read: the store carries the new row.
    expect(raced(40)).toMatchObject({ hits: 1, staleHits: 0 });
    // At exactly 50 the source read comes first (events due at t precede requests at t).
    expect(raced(50)).toMatchObject({ hits: 1, staleHits: 1 });
  });

  it('δ defaults to Δ/2 and must lie within [0, Δ]', () => {
    const at = (writeAt: number) =>
      run([[0, 1, 'r'], [writeAt, 1, 'w'], ...reads(1, 200)], { ttlMs: 10_000, loadMs: 100, invalidation: 'delete' });
    expect(at(49).staleHits).toBe(0);
    expect(at(51).staleHits).toBe(1);
    expect(() => run(reads(1, 0), { ttlMs: 1000, loadMs: 10, readToStoreMs: 11 })).toThrow(RangeError);
  });
});

describe('simulator: LRU capacity (hand-worked)', () => {
  it('evicts the least recently used entry; a hit is a use', () => {
    // Capacity 2. 1 m, 2 m, 1 h, 3 m (evicts 2), 1 h, 2 m (evicts 3), 3 m (evicts 1), 2 h.
    const list: [number, number, 'r' | 'w'][] = [
      [0, 1, 'r'],
      [1, 2, 'r'],
      [2, 1, 'r'],
      [3, 3, 'r'],
      [4, 1, 'r'],
      [5, 2, 'r'],
      [6, 3, 'r'],
      [7, 2, 'r'],
    ];
    const r = run(list, { ttlMs: null, capacity: 2 });
    expect([r.hits, r.loads, r.evictions]).toEqual([3, 5, 3]);
    expect(run(list, { ttlMs: null }).hits).toBe(5);
  });

  it('a store is a use: a write-through refreshes the entry', () => {
    // 1 m, 2 m, write 1 (a store: 2 is now least recent), 3 m evicts 2, 1 hits, 2 misses (evicts 3).
    const list: [number, number, 'r' | 'w'][] = [
      [0, 1, 'r'],
      [1, 2, 'r'],
      [2, 1, 'w'],
      ...reads(3, 3),
      [4, 1, 'r'],
      [5, 2, 'r'],
    ];
    const r = run(list, { ttlMs: null, capacity: 2, invalidation: 'write-through' });
    expect([r.hits, r.evictions]).toEqual([1, 2]);
    // Without the write, 1 would be least recent and evicted instead of 2.
    const noWrite = list.filter(([, , o]) => o === 'r');
    expect(run(noWrite, { ttlMs: null, capacity: 2 }).hits).toBe(0);
  });
});

describe('simulator: LRU capacity with expiry and deletes (hand-worked)', () => {
  it('expired entries give up their room before a live entry is evicted', () => {
    // Capacity 2, TTL 100: 1 (expires 100), 2 (expires 150), 1 hits at 60, so 2
    // is least recently used; at 120 entry 1 has expired and makes room for 3.
    const list: [number, number, 'r' | 'w'][] = [
      [0, 1, 'r'],
      [50, 2, 'r'],
      [60, 1, 'r'],
      [120, 3, 'r'],
      [130, 2, 'r'],
    ];
    const r = run(list, { ttlMs: 100, capacity: 2 });
    expect([r.hits, r.evictions]).toEqual([2, 0]);
    // Sliding: the hit at 60 renews 1 to 160; at 155 only 2 has expired, and it makes room.
    const sliding: [number, number, 'r' | 'w'][] = [
      [0, 1, 'r'],
      [50, 2, 'r'],
      [60, 1, 'r'],
      [155, 3, 'r'],
      [158, 1, 'r'],
    ];
    const s = run(sliding, { ttlMs: 100, sliding: true, capacity: 2 });
    expect([s.hits, s.evictions]).toEqual([2, 0]);
  });

  it('a delete frees room', () => {
    const list: [number, number, 'r' | 'w'][] = [
      [0, 1, 'r'],
      [1, 2, 'r'],
      [2, 1, 'w'],
      [3, 3, 'r'],
      [4, 2, 'r'],
    ];
    const r = run(list, { ttlMs: null, capacity: 2, invalidation: 'delete' });
    expect([r.hits, r.evictions]).toEqual([1, 0]);
  });

  it('refuses a capacity below one entry', () => {
    expect(() => run(reads(1, 0), { ttlMs: null, capacity: 0 })).toThrow(RangeError);
  });
});

describe('simulator: TTL lists', () => {
  it('simulates each TTL with the shared configuration', () => {
    const results = simulateTtls(requests(reads(1, 0, 600, 1200, 1800)), [0, 1000, null], { sliding: true });
    expect(results.map((r) => [r.ttlMs, r.hits])).toEqual([
      [0, 0],
      [1000, 3],
      [null, 3],
    ]);
  });

  it('logSpacedTtls spans 100 ms to the trace length in about 20 rounded steps', () => {
    const ttls = logSpacedTtls(600_000);
    expect(ttls.length).toBeGreaterThanOrEqual(18);
    expect(ttls.length).toBeLessThanOrEqual(20);
    expect(ttls[0]).toBe(100);
    expect(ttls[ttls.length - 1]).toBe(600_000);
    for (let i = 1; i < ttls.length; i++) {
      const ratio = (ttls[i] as number) / (ttls[i - 1] as number);
      // 600000/100 over 19 steps is ×1.58 a step; rounding to 2 digits moves it a little.
      expect(ratio).toBeGreaterThan(1.4);
      expect(ratio).toBeLessThan(1.8);
    }
    expect(logSpacedTtls(50)).toEqual([100]);
  });
});
