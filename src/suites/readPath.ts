/**
 * `read-path`: what one read costs on each path, measured with tinybench —
 * the source directly, a cache hit, a cache miss (GET, source, SET), and a raw
 * node-redis GET (the floor a hit cannot beat). One request at a time by
 * default; with `--concurrency N` each row keeps N in flight and ops/s is a
 * throughput (the source's is bounded by `--source-pool`). From the hit and
 * miss costs it derives the break-even source latency: above it, cache-aside
 * beats reading the source directly.
 */
import { Bench } from 'tinybench';
import { z } from 'zod';
import { formatLatency } from '../config/values.ts';
import { fmtCount, fmtMs, fmtPct, fmtRate, fmtRatio } from '../metrics/format.ts';
import { meanLatencyMs } from '../source/latency.ts';
import { createKeySampler } from '../workload/keySampler.ts';
import { predictHitRatio } from '../workload/model.ts';
import { required, type SuiteContext } from './context.ts';
import { defineSuite, type TableData } from './suite.ts';
import { pairedThroughputRatio } from './throughputRatio.ts';
import type { TtlSweepResult } from './ttlSweep.ts';

export interface ReadPathRow {
  name: 'source' | 'cache-hit' | 'cache-miss' | 'redis-get';
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  opsPerSec: number;
  samples: number;
}

export interface ReadPathResult {
  /** In-flight requests per row; 1 means one at a time (latency), more means throughput. */
  concurrency: number;
  rows: ReadPathRow[];
  /** Source latency above which cache-aside beats a direct read at the measured hit ratio; null when the cache never wins. */
  breakEvenSourceLatencyMs: number | null;
  /** The hit ratio the break-even figure assumes: this run's best ttl-sweep row, else the model's at TTL 2 s. */
  breakEvenHitRatio: number;
  breakEvenHitRatioFrom: 'measured' | 'predicted';
  /** cache-hit ops/s over redis-get ops/s at the row concurrency: median of alternating slices in this run. */
  hitPathVsRawGet: number | null;
  /** The per-round ratios behind that median, to show how much the machine wandered. */
  hitPathVsRawGetRounds: number[];
}

const RATIO = { rounds: 10, sliceMs: 400 };

export const readPath = defineSuite<ReadPathResult>({
  name: 'read-path',
  summary: 'cached vs uncached read latency (one at a time, or N in flight with --concurrency)',
  uses: ['keys', 'dist', 'concurrency', 'durationMs', 'warmupMs', 'sourceLatency', 'sourcePool'],
  defaults: { durationMs: 1000, warmupMs: 250 },
  run: runReadPath,
  rowKey: (row) => row.name,
  metrics: [
    { metric: 'meanMs', unit: 'ms', worse: 'up', gates: false },
    { metric: 'p50Ms', unit: 'ms', worse: 'up', gates: false },
    { metric: 'p99Ms', unit: 'ms', worse: 'up' },
    { metric: 'opsPerSec', unit: 'perSec', worse: 'down' },
  ],
  tables: (section) => [readPathTable(section)],
  schema: z.looseObject({
    rows: z.array(
      z.looseObject({
        name: z.string(),
        meanMs: z.number(),
        p50Ms: z.number(),
        p99Ms: z.number(),
        opsPerSec: z.number(),
      }),
    ),
  }),
});

type Task = [ReadPathRow['name'], () => Promise<unknown>];

async function runReadPath(ctx: SuiteContext): Promise<ReadPathResult> {
  const { settings, lab } = ctx;
  const concurrency = settings.concurrency ?? 1;
  const keys = required(settings, 'keys');
  const rng = ctx.rng.fork('read-path');
  const sampler = createKeySampler(required(settings, 'dist'), keys, rng.fork('keys'));
  const source = lab.source(settings, rng.fork('source'));
  const prefix = `${lab.prefix}read-path:`;
  // The hit row reads keys stored without expiry, every one of them, so every read is a hit.
  const hitService = lab.newService({ source, keyPrefix: `${prefix}hit:`, ttlMs: null });
  ctx.progress.start('read-path filling the cache');
  await hitService.fill(Array.from({ length: keys }, (_, i) => i + 1));
  ctx.progress.stop();
  // The miss row walks ids under a fresh key prefix each pass, so every read is a miss.
  let missPass = 0;
  let missNext = 0;
  const newMissService = (pass: number) =>
    lab.newService({ source, keyPrefix: `${prefix}miss${pass}:`, ttlMs: 60_000 });
  let missService = newMissService(0);
  const cacheHit = () => hitService.get(sampler.next());
  // The floor: a bare GET with no timeout machinery at all, on the hit path's connection.
  const redisGet = () => lab.rawGet(hitService.key(sampler.next()));
  const tasks: Task[] = [
    ['source', () => source.read(sampler.next())],
    ['cache-hit', cacheHit],
    [
      'cache-miss',
      () => {
        if (missNext >= keys) {
          missNext = 0;
          missService = newMissService(++missPass);
        }
        return missService.get(++missNext);
      },
    ],
    ['redis-get', redisGet],
  ];
  const rows = await benchRows(ctx, tasks, concurrency);
  ctx.progress.start('read-path cache-hit vs redis-get');
  const paired = await pairedThroughputRatio(cacheHit, redisGet, { concurrency, ...RATIO, signal: ctx.signal });
  ctx.progress.stop();
  const hitRatio = breakEvenHitRatio(ctx);
  return {
    concurrency,
    rows,
    // The delay the source really added (the timer wakes a little late), not the one asked
    // for: the rest of a source read is its own cost, which a direct read pays too.
    breakEvenSourceLatencyMs: breakEvenSourceLatency(
      rows,
      source.timing.delay.totalCount > 0
        ? source.timing.delay.mean / 1000
        : meanLatencyMs(required(settings, 'sourceLatency')),
      hitRatio.value,
    ),
    breakEvenHitRatio: hitRatio.value,
    breakEvenHitRatioFrom: hitRatio.from,
    hitPathVsRawGet: paired?.ratio ?? null,
    hitPathVsRawGetRounds: paired?.rounds ?? [],
  };
}

/** Each task under tinybench; ops/s over each task's own wall time. */
async function benchRows(ctx: SuiteContext, tasks: Task[], concurrency: number): Promise<ReadPathRow[]> {
  const bench = new Bench({
    time: required(ctx.settings, 'durationMs'),
    warmupTime: required(ctx.settings, 'warmupMs'),
    signal: ctx.signal,
    ...(concurrency > 1 ? { concurrency: 'task' as const, threshold: concurrency, iterations: 0 } : {}),
  });
  const wall = new Map<string, { start: number; end: number }>();
  for (const [name, fn] of tasks) {
    bench.add(name, fn, {
      beforeAll(mode) {
        if (mode === 'run') wall.set(name, { start: performance.now(), end: 0 });
        ctx.progress.start(`read-path ${name}${mode === 'warmup' ? ' (warm-up)' : ''}`);
      },
      afterAll(mode) {
        const span = wall.get(name);
        if (mode === 'run' && span) span.end = performance.now();
        ctx.progress.stop();
      },
    });
  }
  await bench.run();
  const rows: ReadPathRow[] = [];
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed' && result.state !== 'aborted-with-statistics') continue;
    const span = wall.get(task.name);
    const seconds = span && span.end > span.start ? (span.end - span.start) / 1000 : result.totalTime / 1000;
    rows.push({
      name: task.name as ReadPathRow['name'],
      meanMs: result.latency.mean,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      opsPerSec: result.latency.samplesCount / seconds,
      samples: result.latency.samplesCount,
    });
  }
  return rows;
}

/**
 * The hit ratio the break-even figure assumes: the best finite-TTL hit ratio
 * this run's ttl-sweep measured, else the model's for the workload at 2 s.
 */
function breakEvenHitRatio(ctx: SuiteContext): { value: number; from: 'measured' | 'predicted' } {
  const sweep = ctx.results['ttl-sweep'] as TtlSweepResult | undefined;
  const measured = sweep?.rows
    .filter((row) => row.ttlMs !== null && row.ttlMs > 0 && row.hitRatio !== null)
    .map((row) => row.hitRatio as number);
  if (measured && measured.length > 0) return { value: Math.max(...measured), from: 'measured' };
  const { settings } = ctx;
  const sampler = createKeySampler(required(settings, 'dist'), required(settings, 'keys'), ctx.rng.fork('break-even'));
  const value = predictHitRatio({ probabilities: sampler.probabilities, rate: settings.rate ?? 2000, ttlMs: 2000 });
  return { value, from: 'predicted' };
}

/**
 * Direct read: S0 + L. Cache-aside at hit ratio h: h·H + (1 − h)·(M0 + L),
 * where S0 and M0 are the measured source and miss costs less the configured
 * latency L. Equal at L* = H + ((1 − h)·M0 − S0) / h.
 */
export function breakEvenSourceLatency(rows: ReadPathRow[], configuredMs: number, hitRatio: number): number | null {
  const mean = (name: ReadPathRow['name']) => rows.find((row) => row.name === name)?.meanMs;
  const source = mean('source');
  const hit = mean('cache-hit');
  const miss = mean('cache-miss');
  if (source === undefined || hit === undefined || miss === undefined || hitRatio <= 0) return null;
  const s0 = source - configuredMs;
  const m0 = miss - configuredMs;
  return Math.max(0, hit + ((1 - hitRatio) * m0 - s0) / hitRatio);
}

function readPathTable(section: ReadPathResult & { settings: { sourceLatency?: unknown } }): TableData {
  const notes: string[] = [];
  const be = section.breakEvenSourceLatencyMs;
  const latency = section.settings?.sourceLatency;
  const configured =
    latency === undefined ? 'as configured' : formatLatency(latency as Parameters<typeof formatLatency>[0]);
  notes.push(
    be === null
      ? 'break-even source latency: none (at this hit ratio cache-aside never beats the direct read)'
      : `break-even source latency: ${fmtMs(be)} ms — above it cache-aside beats a direct read, at hit ratio ${fmtRatio(section.breakEvenHitRatio)} (${section.breakEvenHitRatioFrom === 'measured' ? 'measured by ttl-sweep' : 'predicted at TTL 2s'}); this run's source latency: ${configured}`,
  );
  if (section.hitPathVsRawGet !== null) {
    const rounds = section.hitPathVsRawGetRounds;
    const spread =
      rounds.length > 1 ? `, rounds ${fmtPct(Math.min(...rounds), 0)}–${fmtPct(Math.max(...rounds), 0)}` : '';
    notes.push(
      `cache-hit path keeps ${fmtPct(section.hitPathVsRawGet, 1)} of the throughput of a bare node-redis GET at ${section.concurrency} in flight ` +
        `(median of ${rounds.length} alternating rounds${spread}; the rows above ran one after another)`,
    );
  }
  return {
    title: `read-path (${section.concurrency === 1 ? 'one request at a time' : `${section.concurrency} in flight: ops/s is throughput`})`,
    head: ['path', 'mean ms', 'p50 ms', 'p99 ms', 'ops/s', 'samples'],
    rows: section.rows.map((r) => [
      r.name,
      fmtMs(r.meanMs),
      fmtMs(r.p50Ms),
      fmtMs(r.p99Ms),
      fmtRate(r.opsPerSec),
      fmtCount(r.samples),
    ]),
    notes,
  };
}
