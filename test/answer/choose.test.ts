/**
 * The answer's rules on hand-made rows (pure logic): each constraint binding
 * on its own, none, all, the "no expiry only with invalidation" rule, and
 * which figures are measured and which predicted.
 */
import { describe, expect, it } from 'vitest';
import { candidates } from '../../src/answer/candidates.ts';
import { type AnswerInput, type AnswerModel, computeAnswer } from '../../src/answer/choose.ts';
import { answerLines } from '../../src/answer/text.ts';
import type { Binding, Recommendation } from '../../src/answer/types.ts';
import type { Invalidation, TtlMs } from '../../src/config/types.ts';
import type { FreshnessRow } from '../../src/suites/freshness.ts';
import type { StampedeRow } from '../../src/suites/stampede.ts';
import type { TtlSweepRow } from '../../src/suites/ttlSweep.ts';
import { predictStaleReadRatio } from '../../src/workload/model.ts';

const sweep = (ttlMs: TtlMs, hitRatio: number, sourceReadsPerSec: number, p99Ms: number) =>
  ({ ttlMs, productionTtlMs: ttlMs, hitRatio, sourceReadsPerSec, p99Ms, loadMs: 1, readsPerSec: 2000 }) as TtlSweepRow;

const fresh = (
  invalidation: Invalidation,
  ttlMs: TtlMs,
  f: { hit: number; src: number; stale: number; age: number; p99: number },
) =>
  ({
    invalidation,
    ttlMs,
    hitRatio: f.hit,
    sourceReadsPerSec: f.src,
    staleReadRatio: f.stale,
    staleReads: f.stale > 0 ? 50 : 0,
    maxStaleAgeMs: f.age,
    p99Ms: f.p99,
    loadMs: 1,
    raceMs: 0.5,
  }) as FreshnessRow;

/** Two TTLs, every strategy measured; only write-through at 2 s has the lowest source load. */
const SWEEP = [sweep(500, 0.5, 1000, 2), sweep(2000, 0.7, 600, 1.5)];
const FRESH = [
  fresh('ttl', 500, { hit: 0.5, src: 1000, stale: 0.004, age: 400, p99: 2 }),
  fresh('delete', 500, { hit: 0.48, src: 1040, stale: 0.0002, age: 300, p99: 2.1 }),
  fresh('write-through', 500, { hit: 0.5, src: 1000, stale: 0.0001, age: 200, p99: 2 }),
  fresh('ttl', 2000, { hit: 0.7, src: 600, stale: 0.03, age: 1900, p99: 1.5 }),
  fresh('delete', 2000, { hit: 0.65, src: 700, stale: 0.0005, age: 1500, p99: 1.6 }),
  fresh('write-through', 2000, { hit: 0.69, src: 620, stale: 0.0003, age: 1200, p99: 1.55 }),
];

type Limits = Partial<Record<'maxStalePct' | 'maxStaleAgeMs' | 'maxSourceRate' | 'maxP99Ms', number>>;

function input(limits: Limits = {}, extra: Partial<AnswerInput> = {}): AnswerInput {
  const limit = (v: number | undefined, fallback: number | null = null) => ({
    value: v ?? fallback,
    given: v !== undefined,
  });
  return {
    speedup: 1,
    sweepRows: SWEEP,
    freshnessRows: FRESH,
    stampedeRows: [],
    model: null,
    constraints: {
      maxStalePct: limit(limits.maxStalePct, 1),
      maxStaleAgeMs: limit(limits.maxStaleAgeMs),
      maxSourceRate: limit(limits.maxSourceRate),
      maxP99Ms: limit(limits.maxP99Ms),
    },
    ...extra,
  };
}

function recommended(limits: Limits = {}, extra: Partial<AnswerInput> = {}): Recommendation {
  const answer = computeAnswer(input(limits, extra));
  if (!answer.recommended) throw new Error(`expected a recommendation, got: ${answer.reason}`);
  return answer;
}

function bindingOf(limits: Limits): Binding[] {
  const answer = computeAnswer(input(limits));
  if (answer.recommended) throw new Error(`expected no recommendation, got TTL ${answer.ttlMs}`);
  expect(answer.reason).toContain('no TTL meets every constraint');
  return answer.binding;
}

describe('none binding', () => {
  it('recommends the lowest source load among the candidates within the stale budget, and names the runner-up', () => {
    const a = recommended();
    expect([a.ttlMs, a.invalidation]).toEqual([2000, 'write-through']);
    expect(a.sourceReadsPerSec).toBe(620);
    // TTL-only at 2 s has the least source load of all (600/s) but 3% stale reads: never recommended.
    expect(a.runnerUp).toMatchObject({ ttlMs: 2000, invalidation: 'delete' });
    expect(a.runnerUp?.lostBecause).toContain('700 reads/s vs 620');
    expect(a.constraints.maxStalePct).toEqual({ value: 1, given: false });
    expect(a.constraints.maxSourceRate).toMatchObject({ value: null, given: false });
    const [paragraph] = answerLines(a);
    expect(paragraph).toContain('use TTL 2s with write-through');
    expect(paragraph).toContain('stale reads ≤ 1% (default)');
    expect(paragraph).toContain('Runner-up: TTL 2s with delete-on-write');
  });

  it('breaks a tie in source load on p99', () => {
    const rows = FRESH.map((r) =>
      r.invalidation === 'delete' && r.ttlMs === 2000 ? { ...r, sourceReadsPerSec: 620 } : r,
    );
    const a = recommended({}, { freshnessRows: rows });
    expect(a.invalidation).toBe('write-through');
    expect(a.runnerUp?.lostBecause).toContain('higher p99: 1.60 ms vs 1.55');
  });
});

describe('each constraint binding on its own', () => {
  it('--max-source-rate: says what the database would need and which candidate needs it', () => {
    const [b, ...rest] = bindingOf({ maxSourceRate: 500 });
    expect(rest).toEqual([]);
    expect(b).toMatchObject({ constraint: 'maxSourceRate', limit: 500, needed: 620 });
    expect(b?.candidate).toEqual({ ttlMs: 2000, invalidation: 'write-through' });
    expect(b?.relax).toContain('TTL 2s with write-through needs 620 reads/s');
  });

  it('--max-p99', () => {
    const [b, ...rest] = bindingOf({ maxP99Ms: 1 });
    expect(rest).toEqual([]);
    expect(b).toMatchObject({ constraint: 'maxP99Ms', limit: 1, needed: 1.55 });
  });

  it('--max-stale-age', () => {
    const [b, ...rest] = bindingOf({ maxStaleAgeMs: 100 });
    expect(rest).toEqual([]);
    expect(b).toMatchObject({ constraint: 'maxStaleAgeMs', limit: 100, needed: 200 });
    expect(b?.candidate).toEqual({ ttlMs: 500, invalidation: 'write-through' });
  });

  it('--max-stale: in percent, like the flag', () => {
    const [b, ...rest] = bindingOf({ maxStalePct: 0.001 });
    expect(rest).toEqual([]);
    expect(b).toMatchObject({ constraint: 'maxStalePct', limit: 0.001 });
    expect(b?.needed).toBeCloseTo(0.01, 10);
    expect(b?.relax).toContain('--max-stale 0.01%');
  });

  it('--max-stale: a small sample is judged on its 95% upper bound, so 0 stale of a few reads proves nothing', () => {
    // A row whose cache failed (hit ratio 0) has no stale reads, yet 0 of ~2,000 reads bounds the ratio only by 0.18%.
    const broken = {
      ...fresh('ttl', 2000, { hit: 0, src: 1900, stale: 0, age: 0, p99: 2000 }),
      staleReadRatioInterval: { lower: 0, upper: 0.0018 },
    } as FreshnessRow;
    const rows = FRESH.map((r) => (r.invalidation === 'ttl' && r.ttlMs === 2000 ? broken : r));
    const answer = computeAnswer(input({ maxStalePct: 0.005 }, { freshnessRows: rows }));
    expect(answer.recommended).toBe(false);
    if (!answer.recommended) expect(answer.binding[0]?.needed).toBeCloseTo(0.01, 10);
    const a = recommended({ maxStalePct: 0.2 }, { freshnessRows: rows });
    expect(a.ttlMs === 2000 && a.invalidation === 'ttl').toBe(false);
  });

  it('a constraint that binds changes the answer before it empties it', () => {
    // Under 1.52 ms only TTL-only at 2 s (1.5 ms) is fast enough, and it is 3% stale: each binds alone.
    expect(bindingOf({ maxP99Ms: 1.52 }).map((b) => b.constraint)).toEqual(['maxStalePct', 'maxP99Ms']);
    const a = recommended({ maxP99Ms: 1.6 });
    expect([a.ttlMs, a.invalidation]).toEqual([2000, 'write-through']);
    const b = recommended({ maxSourceRate: 650, maxStaleAgeMs: 1300 });
    expect([b.ttlMs, b.invalidation]).toEqual([2000, 'write-through']);
  });
});

describe('all binding', () => {
  it('gives no answer, each constraint with the best any candidate does on it', () => {
    const binding = bindingOf({ maxStalePct: 0.001, maxStaleAgeMs: 10, maxSourceRate: 100, maxP99Ms: 0.5 });
    expect(binding.map((b) => b.constraint).sort()).toEqual(
      ['maxP99Ms', 'maxSourceRate', 'maxStaleAgeMs', 'maxStalePct'].sort(),
    );
    const source = binding.find((b) => b.constraint === 'maxSourceRate');
    expect(source?.needed).toBe(600);
    expect(source?.relax).toContain('breaks another constraint too');
  });

  it('counts the stampede peak against --max-source-rate', () => {
    const stampede = [
      { strategy: 'none', loads: 3000, windowMs: 1000, loadsPerExpiry: 6, p99Ms: 12 },
      { strategy: 'single-flight', loads: 500, windowMs: 1000, loadsPerExpiry: 1, p99Ms: 11 },
    ] as StampedeRow[];
    const a = recommended({ maxSourceRate: 700 }, { stampedeRows: stampede });
    expect(a.constraints.maxSourceRate.stampede).toMatchObject({ strategy: 'single-flight', sourceReadsPerSec: 500 });
    const none = computeAnswer(input({ maxSourceRate: 700 }, { stampedeRows: stampede.slice(0, 1) }));
    expect(none.recommended).toBe(false);
    if (!none.recommended) expect(none.binding[0]).toMatchObject({ constraint: 'maxSourceRate', needed: 3000 });
  });
});

/** 50 keys, zipf-like reads and writes on the same keys. */
function model(writeRate: number): AnswerModel {
  const p = Float64Array.from({ length: 50 }, (_, i) => 1 / (i + 1));
  const sum = p.reduce((a, b) => a + b, 0);
  const probabilities = p.map((v) => v / sum);
  return {
    probabilities,
    writeProbabilities: probabilities,
    rate: 2000,
    writeRate,
    sliding: false,
    raceMs: 0.5,
    writeRateFrom: `at ${writeRate} writes/s`,
  };
}

describe('no expiry only with invalidation', () => {
  it('never recommends no expiry with nothing done on write, though its source load is the lowest', () => {
    const rows = [...SWEEP, sweep(null, 0.6, 800, 1.8)];
    const all = candidates(input({ maxStalePct: 100 }, { sweepRows: rows, model: model(0) }));
    const forever = all.find((c) => c.ttlMs === null && c.invalidation === 'ttl');
    // At steady state, with no writes, every key is resident: no source reads at all.
    expect(forever?.sourceReadsPerSec.value).toBeCloseTo(0, 9);
    const a = recommended({ maxStalePct: 100 }, { sweepRows: rows, model: model(0) });
    expect(a.ttlMs).toBeNull();
    expect(a.invalidation).not.toBe('ttl');
    expect(answerLines(a)[0]).toContain('every write goes through the cache');
  });

  it('gives the rule as why no expiry with nothing done on write lost, when nothing else kept it out', () => {
    // No writes: nothing is ever stale, and no expiry is the fastest; only the rule keeps TTL-only no expiry out,
    // while no expiry with delete or write-through is too slow (measured p99 5 ms over 2 ms): no cache wins.
    const a = recommended(
      { maxStalePct: 100, maxP99Ms: 2 },
      {
        sweepRows: [sweep(0, 0, 2000, 1.2), sweep(null, 0.6, 800, 1)],
        freshnessRows: [
          fresh('delete', null, { hit: 0.9, src: 100, stale: 0, age: 0, p99: 5 }),
          fresh('write-through', null, { hit: 0.9, src: 100, stale: 0, age: 0, p99: 5 }),
        ],
        model: model(0),
      },
    );
    expect([a.ttlMs, a.invalidation]).toEqual([0, 'ttl']);
    expect(a.runnerUp).toMatchObject({ ttlMs: null, invalidation: 'ttl' });
    expect(a.runnerUp?.lostBecause).toBe('it is ruled out: no expiry needs an invalidation strategy');
  });
});

describe('measured vs predicted', () => {
  const rows = [...SWEEP, sweep(10_000, 0.85, 300, 1.2)];
  const all = candidates(input({}, { sweepRows: rows, model: model(100) }));
  const at = (ttl: TtlMs, inv: Invalidation) => all.find((c) => c.ttlMs === ttl && c.invalidation === inv);

  it('marks staleness measured where freshness ran that TTL and strategy', () => {
    const c = at(2000, 'ttl');
    expect(c?.staleReadRatio).toMatchObject({ value: 0.03, mark: 'measured', from: 'freshness ttl TTL 2s' });
    expect(c?.maxStaleAgeMs).toMatchObject({ value: 1900, mark: 'measured' });
  });

  it('predicts staleness where freshness did not run, at the run’s write rate and popularity', () => {
    const c = at(10_000, 'ttl');
    const m = model(100);
    const expected = predictStaleReadRatio({ ...m, ttlMs: 10_000, invalidation: 'ttl', loadMs: 1 });
    expect(c?.staleReadRatio.mark).toBe('predicted');
    expect(c?.staleReadRatio.value).toBeCloseTo(expected, 12);
    expect(c?.staleReadRatio.from).toContain('at 100 writes/s');
    expect(c?.maxStaleAgeMs).toMatchObject({ value: 10_000, mark: 'predicted' });
    // The hit ratio and p99 of that TTL were measured by ttl-sweep.
    expect(c?.hitRatio).toMatchObject({ value: 0.85, mark: 'measured' });
    expect(c?.p99Ms).toMatchObject({ value: 1.2, mark: 'measured' });
  });

  it('predicts the hit ratio of a strategy nobody measured at that TTL, and says whose p99 stands in', () => {
    const c = at(10_000, 'delete');
    expect(c?.hitRatio.mark).toBe('predicted');
    expect(c?.sourceReadsPerSec.mark).toBe('predicted');
    expect(c?.p99Ms.from).toBe('ttl-sweep TTL 10s, TTL only');
  });

  it('calls a no-expiry stale age unbounded, whatever a short window saw', () => {
    const forever = candidates(
      input(
        {},
        {
          sweepRows: [...SWEEP, sweep(null, 0.6, 800, 1.8)],
          freshnessRows: [fresh('write-through', null, { hit: 0.75, src: 500, stale: 0.006, age: 9, p99: 2 })],
          model: model(100),
        },
      ),
    ).find((c) => c.ttlMs === null && c.invalidation === 'write-through');
    expect(forever?.staleReadRatio).toMatchObject({ value: 0.006, mark: 'measured' });
    expect(forever?.maxStaleAgeMs).toMatchObject({ value: null, mark: 'predicted' });
    expect(forever?.maxStaleAgeMs.from).toContain('the window saw 9 ms');
  });

  it('weighs no expiry at its measured row when memory bounded it, not at the unbounded steady state', () => {
    const pick = (bound: boolean) =>
      candidates(
        input(
          {},
          {
            sweepRows: [...SWEEP, { ...sweep(null, 0.6, 800, 1.8), capacityBound: bound } as TtlSweepRow],
            model: model(100),
          },
        ),
      ).find((c) => c.ttlMs === null && c.invalidation === 'write-through');
    expect(pick(true)?.hitRatio).toMatchObject({ value: 0.6, mark: 'measured' });
    expect(pick(true)?.hitRatio.from).toContain('capacity-bound');
    expect(pick(false)?.hitRatio.mark).toBe('predicted');
  });

  it('carries the marks into the recommendation’s basis', () => {
    const a = computeAnswer(input({}, { sweepRows: rows, model: model(100) }));
    if (!a.recommended) throw new Error(a.reason);
    for (const f of ['hitRatio', 'sourceReadsPerSec', 'p99Ms', 'staleReadRatio', 'maxStaleAgeMs'] as const) {
      expect(['measured', 'predicted']).toContain(a.basis[f].mark);
    }
    expect(answerLines(a)[0]).toMatch(/\((measured|predicted)\)/);
  });
});
