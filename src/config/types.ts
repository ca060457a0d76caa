/**
 * The resolved options of one run, after flags, scenario and defaults are
 * merged and validated. Units are the *production* units the user wrote;
 * `toRunUnits` applies `--speedup`.
 */

/** `0` means no cache (reads go straight to the source), `null` means no expiry. */
export type TtlMs = number | null;

export type SuiteName = 'read-path' | 'ttl-sweep' | 'freshness' | 'stampede';
export const SUITE_NAMES: readonly SuiteName[] = ['read-path', 'ttl-sweep', 'freshness', 'stampede'];

export type KeyDistribution =
  | { kind: 'uniform' }
  | { kind: 'zipf'; s: number }
  | { kind: 'hotspot'; hotFraction: number; hotOpsFraction: number };

export type LatencySpec =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'exp'; meanMs: number };

export type Invalidation = 'ttl' | 'delete' | 'write-through';
export const INVALIDATIONS: readonly Invalidation[] = ['ttl', 'delete', 'write-through'];

export type StampedeStrategy =
  | { kind: 'none' }
  | { kind: 'single-flight' }
  | { kind: 'lock' }
  | { kind: 'xfetch'; beta: number };

export interface BenchOptions {
  suites: SuiteName[];
  /** Raw `--redis-url`; the target is resolved with the environment by `resolveRedisTarget`. */
  redisUrl: string | undefined;
  scenario: string;
  scenarioDescription: string | undefined;
  keys: number;
  dist: KeyDistribution;
  /** Distribution of written keys; the read distribution unless a scenario says otherwise. */
  writeDist: KeyDistribution | undefined;
  /** Each `undefined` below means "the suite's own default". */
  ttl: TtlMs[] | undefined;
  rate: number | undefined;
  concurrency: number | undefined;
  durationMs: number | undefined;
  warmupMs: number | undefined;
  /** Delay per source query; `undefined` means the suite's own (1 ms; 10 ms for stampede). */
  sourceLatency: LatencySpec | undefined;
  writeRate: number | undefined;
  invalidation: Invalidation[] | undefined;
  stampede: StampedeStrategy[] | undefined;
  /** Refresh the TTL on every hit (GETEX ... PX), as a session store does. */
  slidingTtl: boolean;
  ttlJitterPct: number;
  maxStalePct: number | undefined;
  speedup: number;
  seed: number;
  /** Per-command Redis timeout (`--redis-timeout`): how long a read waits on Redis before it falls back to the source. Not scaled by `--speedup`. */
  redisTimeoutMs: number;
  json: string | undefined;
  out: string;
  save: boolean;
  quiet: boolean;
}
