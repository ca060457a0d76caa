/** What every suite gets from the run: resolved options, the Redis session, the source, time and randomness. */
import { type CacheAsideOptions, CacheAsideService } from '../cache/cacheAside.ts';
import type { BenchOptions } from '../config/types.ts';
import type { RedisSession } from '../redis/redisSession.ts';
import type { Progress } from '../report/progress.ts';
import type { SqliteSource } from '../source/sqliteSource.ts';
import type { SuiteResults } from '../types.ts';
import type { Rng } from '../workload/rng.ts';
import { type LoadShape, type ReadRunResult, type ReadRunSettings, runReads } from './readRun.ts';

export interface SuiteContext {
  /** Options in run units (after `--speedup`). */
  options: BenchOptions;
  /** Options as the user wrote them, for tables that show production units. */
  production: BenchOptions;
  session: RedisSession;
  source: SqliteSource;
  rng: Rng;
  progress: Progress;
  signal: AbortSignal;
  /** Results of the suites that ran before, in this run. */
  results: SuiteResults;
  /** Run-wide error counts: Redis errors that reads survived by falling back, and reads the source failed. */
  errors: { redis: number; source: number };
  log(line: string): void;
}

/** A cache-aside service on the run's Redis whose Redis errors count toward the run's status. */
export function newService(
  ctx: SuiteContext,
  options: Omit<CacheAsideOptions, 'redis' | 'onRedisError' | 'source'> & { source?: SqliteSource },
): CacheAsideService {
  return new CacheAsideService({
    ...options,
    source: options.source ?? ctx.source,
    redis: ctx.session.client,
    connection: ctx.session.reads,
    onRedisError: () => {
      ctx.errors.redis++;
    },
  });
}

/** `--concurrency N` when given, else open-loop Poisson at `--rate` or the suite's own rate. */
export function loadShape(ctx: SuiteContext, defaultRate: number): LoadShape {
  const { concurrency, rate } = ctx.options;
  return concurrency !== undefined ? { concurrency } : { rate: rate ?? defaultRate };
}

/** One measured row on the run's Redis and source, under a progress bar, stopping when the run is. */
export async function measureRow(
  ctx: SuiteContext,
  label: string,
  settings: Omit<ReadRunSettings, 'source' | 'redis' | 'signal' | 'errors' | 'onProgress'> & { source?: SqliteSource },
): Promise<ReadRunResult> {
  ctx.progress.start(label);
  try {
    return await runReads({
      ...settings,
      source: settings.source ?? ctx.source,
      redis: ctx.session.client,
      signal: ctx.signal,
      errors: ctx.errors,
      onProgress: (fraction) => ctx.progress.update(fraction),
    });
  } finally {
    ctx.progress.stop();
  }
}
