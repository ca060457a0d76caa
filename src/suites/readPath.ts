/**
 * `read-path`: what one read costs on each path, measured with tinybench —
 * the source directly, a cache hit, a cache miss (GET, source, SET), and a raw
 * node-redis GET (the floor a hit cannot beat). One request at a time by
 * default; with `--concurrency N` each row keeps N in flight and ops/s is a
 * throughput. From the hit and miss costs it derives the break-even source
 * latency: above it, cache-aside beats reading the source directly.
 */
import { Bench } from 'tinybench';
import { DEFAULT_SOURCE_LATENCY, meanLatencyMs } from '../source/latency.ts';
import type { ReadPathResult, ReadPathRow } from '../types.ts';
import { createKeySampler } from '../workload/keySampler.ts';
import { predictHitRatio } from '../workload/model.ts';
import { newService, type SuiteContext } from './context.ts';
import { pairedThroughputRatio } from './throughputRatio.ts';

export const READ_PATH_DEFAULTS = {
  durationMs: 1000,
  warmupMs: 250,
  hotKeys: 1000,
  ratioRounds: 10,
  ratioSliceMs: 400,
};

export async function readPath(ctx: SuiteContext): Promise<ReadPathResult> {
  const { options, session, source } = ctx;
  const concurrency = options.concurrency ?? 1;
  const hotKeys = Math.min(options.keys, READ_PATH_DEFAULTS.hotKeys);
  const rng = ctx.rng.fork('read-path');
  const sampler = createKeySampler({ kind: 'uniform' }, hotKeys, rng.fork('keys'));
  const prefix = `${session.prefix}read-path:`;

  // The hit row reads keys stored without expiry, so every read is a hit.
  const hitService = newService(ctx, { keyPrefix: `${prefix}hit:`, ttlMs: null });
  for (let id = 1; id <= hotKeys && !ctx.signal.aborted; id++) await hitService.get(id);
  const hitKeys = Array.from({ length: hotKeys }, (_, i) => hitService.key(i + 1));

  // The miss row walks ids under a fresh key prefix each pass, so every read is a miss.
  let missPass = 0;
  let missNext = 0;
  let missService = newMissService(0);
  function newMissService(pass: number) {
    return newService(ctx, { keyPrefix: `${prefix}miss${pass}:`, ttlMs: 60_000 });
  }

  const cacheHit = () => hitService.get(sampler.next());
  // The floor: a bare GET with no timeout machinery at all, on the hit path's connection.
  const redisGet = () => session.reads.client.get(hitKeys[Math.floor(rng.next() * hotKeys)] as string);
  const rows: Array<[ReadPathRow['name'], () => Promise<unknown>]> = [
    ['source', () => source.read(sampler.next())],
    ['cache-hit', cacheHit],
    [
      'cache-miss',
      () => {
        if (missNext >= options.keys) {
          missNext = 0;
          missService = newMissService(++missPass);
        }
        return missService.get(++missNext);
      },
    ],
    ['redis-get', redisGet],
  ];

  const durationMs = options.durationMs ?? READ_PATH_DEFAULTS.durationMs;
  const bench = new Bench({
    time: durationMs,
    warmupTime: options.warmupMs ?? READ_PATH_DEFAULTS.warmupMs,
    signal: ctx.signal,
    ...(concurrency > 1 ? { concurrency: 'task' as const, threshold: concurrency, iterations: 0 } : {}),
  });
  const wall = new Map<string, { start: number; end: number }>();
  for (const [name, fn] of rows) {
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
  const warmingMisses = hitService.counters.misses;
  await bench.run();
  ctx.progress.start('read-path cache-hit vs redis-get');
  const paired = await pairedThroughputRatio(cacheHit, redisGet, {
    concurrency,
    rounds: READ_PATH_DEFAULTS.ratioRounds,
    sliceMs: READ_PATH_DEFAULTS.ratioSliceMs,
    signal: ctx.signal,
  });
  ctx.progress.stop();
  const notHit = hitService.counters.misses - warmingMisses + hitService.counters.fallbacks;
  if (notHit > 0) ctx.log(`read-path: ${notHit} cache-hit reads were not hits (Redis errors?); that row is not pure`);

  const results: ReadPathRow[] = [];
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed' && result.state !== 'aborted-with-statistics') continue;
    const span = wall.get(task.name);
    const seconds = span && span.end > span.start ? (span.end - span.start) / 1000 : result.totalTime / 1000;
    results.push({
      name: task.name as ReadPathRow['name'],
      meanMs: result.latency.mean,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      opsPerSec: result.latency.samplesCount / seconds,
      samples: result.latency.samplesCount,
    });
  }
  const hitRatio = breakEvenHitRatio(ctx);
  return {
    concurrency,
    rows: results,
    breakEvenSourceLatencyMs: breakEvenSourceLatency(
      results,
      meanLatencyMs(options.sourceLatency ?? DEFAULT_SOURCE_LATENCY),
      hitRatio.value,
    ),
    breakEvenHitRatio: hitRatio.value,
    breakEvenHitRatioFrom: hitRatio.from,
    hitPathVsRawGet: paired?.ratio ?? null,
    hitPathVsRawGetRounds: paired?.rounds ?? [],
  };
}

/**
 * The hit ratio the break-even figure assumes: the best finite-TTL hit ratio
 * this run's ttl-sweep measured, else the model's for the scenario at 2 s.
 */
function breakEvenHitRatio(ctx: SuiteContext): { value: number; from: 'measured' | 'predicted' } {
  const measured = ctx.results['ttl-sweep']?.rows
    .filter((row) => row.ttlMs !== null && row.ttlMs > 0 && row.hitRatio !== null)
    .map((row) => row.hitRatio as number);
  if (measured && measured.length > 0) return { value: Math.max(...measured), from: 'measured' };
  const sampler = createKeySampler(ctx.options.dist, ctx.options.keys, ctx.rng.fork('break-even'));
  const value = predictHitRatio({ probabilities: sampler.probabilities, rate: ctx.options.rate ?? 2000, ttlMs: 2000 });
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
