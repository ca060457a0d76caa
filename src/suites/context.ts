/**
 * What a suite gets from the run: its resolved settings, randomness, time,
 * and the lab — the capabilities that touch Redis and the source. The lab is
 * built by the run (src/run/), so suites import only types from the layers
 * below and a suite's record loads without loading node-redis.
 */
import type { CacheAsideOptions, CacheAsideService } from '../cache/cacheAside.ts';
import type { Settings } from '../config/options.ts';
import type { KeyDistribution, LatencySpec, TtlMs } from '../config/types.ts';
import type { LoadWindow } from '../load/drivers.ts';
import type { MemoryStats } from '../redis/serverStats.ts';
import type { Source } from '../source/source.ts';
import type { Rng } from '../workload/rng.ts';
import type { LoadShape, ReadRunResult, ReadRunSettings } from './readRun.ts';
import type { LoadedTrace } from './traceInput.ts';

export interface Progress {
  /** Starts a bar for one measured row. */
  start(label: string): void;
  /** Fraction done of the current row, 0..1. */
  update(fraction: number): void;
  stop(): void;
}

export type ServiceSpec = Omit<CacheAsideOptions, 'store' | 'counters'>;

export interface Lab {
  /** The run's key prefix: every key a suite writes starts with it. */
  prefix: string;
  /**
   * The run's seeded rows behind this suite's `sourceLatency` and
   * `sourcePool`: a fresh pool, delay and counts on the same database.
   */
  source(settings: Settings, rng: Rng): Source;
  /** A cache-aside service on the run's Redis; its errors count toward the run's status. */
  newService(spec: ServiceSpec): CacheAsideService;
  /** One measured row, under a progress bar, stopping when the run is. */
  measureRow(
    label: string,
    settings: Omit<ReadRunSettings, 'signal' | 'onProgress' | 'serverCounts' | 'serverMemory' | 'countKeys'>,
  ): Promise<ReadRunResult>;
  /** Load worker threads of the run (`--workers`); 1 means the row runs in this thread. */
  workers: number;
  /**
   * One read-only row offered from `workers` threads: each builds the row's
   * service on its own connection from this description, draws its own keys
   * (the row's stream forked per worker, the same key popularity) and offers
   * its share of the load; histograms are merged and counts summed.
   */
  measureInWorkers(label: string, spec: WorkerRowSpec): Promise<ReadRunResult>;
  /** A bare GET on the read connection, with no timeout machinery: the floor of a hit. */
  rawGet(key: string): Promise<string | null>;
  /** The throwaway redis-server's memory settings as started; undefined on a Redis the user named. */
  throwaway: { maxmemoryBytes: number; maxmemoryPolicy: string; maxmemorySamples: number } | undefined;
  /** INFO memory and stats now; null when INFO failed. */
  memoryStats(): Promise<MemoryStats | null>;
  /** MEMORY USAGE in bytes of up to `sample` keys under `prefix` (a SCAN sample). */
  memoryUsage(prefix: string, sample: number): Promise<number[]>;
  /** Removes the keys under `prefix`, which must be under the run prefix. */
  deleteKeys(prefix: string): Promise<number>;
  /** CONFIG SET maxmemory (0: no limit); throws unless the server is the run's throwaway one. */
  setMaxmemory(bytes: number): Promise<void>;
}

/** A measured row as plain data, so a worker thread can build it: what rowService and the sampler take. */
export interface WorkerRowSpec {
  /** The row draws from the run seed fork `suite:index`, as it does in this thread. */
  suite: string;
  index: number;
  keyPrefix: string;
  ttlMs: TtlMs;
  slidingTtl?: boolean;
  ttlJitterPct?: number;
  dist: KeyDistribution;
  keys: number;
  load: LoadShape;
  window: LoadWindow;
  sourceLatency: LatencySpec;
  sourcePool: number;
}

export interface SuiteContext {
  /** In run units (after `--speedup`). */
  settings: Settings;
  /** As resolved in production units: what the snapshot records. */
  production: Settings;
  /** The run's `--speedup`: run units are production units K times faster. */
  speedup: number;
  rng: Rng;
  signal: AbortSignal;
  /** Results of the suites that ran before in this run, by name. */
  results: Readonly<Record<string, unknown>>;
  progress: Progress;
  lab: Lab;
  /** The trace these settings name (`--trace`), read before the run started; undefined without one. */
  trace(settings: Settings): LoadedTrace | undefined;
  log(line: string): void;
  /** Which pass of `--repeat N` this is (0-based): odd passes measure the rows in reverse order. */
  repeat?: { index: number; count: number };
}

/**
 * The rows of one pass in the order to measure them: as listed on even
 * passes, reversed on odd ones (A B C, C B A, A B C …), so that a drift of
 * the machine during the run lands on every row alike instead of on the
 * last rows only.
 */
export function inRunOrder<T>(ctx: Pick<SuiteContext, 'repeat'>, items: readonly T[]): T[] {
  return (ctx.repeat?.index ?? 0) % 2 === 1 ? [...items].reverse() : [...items];
}

/** A setting the suite's defaults guarantee; throws if a record lost its default (a bug, not input). */
export function required<K extends keyof Settings>(settings: Settings, key: K): NonNullable<Settings[K]> {
  const value = settings[key];
  if (value === undefined || value === null)
    throw new Error(`setting ${String(key)} has no value: a suite default is missing`);
  return value as NonNullable<Settings[K]>;
}

/** `--concurrency N` when given, else open-loop Poisson at the resolved `--rate`. */
export function loadShape(settings: Settings): { rate: number } | { concurrency: number } {
  if (settings.concurrency !== undefined) return { concurrency: settings.concurrency };
  return { rate: required(settings, 'rate') };
}
