/**
 * How each option is parsed, written once for both ways of setting it: a
 * flag (`--write-rate 20`) and a scenario field (`"writeRate": 20`). Keeping
 * one rule per option means a bound (say, `--keys` up to 10,000,000) cannot
 * differ between the command line and a scenario file.
 */
import type { BenchOptions } from './types.ts';
import {
  MAX_RUN_MS,
  parseDistribution,
  parseDuration,
  parseInteger,
  parseInvalidations,
  parseLatency,
  parsePercent,
  parseRate,
  parseSpeedup,
  parseStampede,
  parseTtlList,
} from './values.ts';

export interface OptionRule {
  /** The BenchOptions field it sets. */
  option: keyof BenchOptions;
  /** Flag name without `--`; undefined when only a scenario can set it. */
  flag: string | undefined;
  /** Scenario field; undefined when only a flag can set it. */
  field: string | undefined;
  /** Parses the flag's text (a scenario's number is passed as its text); throws UsageError naming `label`. */
  parse(label: string, raw: string): BenchOptions[keyof BenchOptions];
}

const rule = <K extends keyof BenchOptions>(
  option: K,
  flag: string | undefined,
  field: string | undefined,
  parse: (label: string, raw: string) => NonNullable<BenchOptions[K]>,
): OptionRule => ({ option, flag, field, parse });

const MAX_REDIS_TIMEOUT_MS = 60_000;

export const OPTION_RULES: readonly OptionRule[] = [
  rule('keys', 'keys', 'keys', (l, r) => parseInteger(l, r, 1, 10_000_000)),
  rule('dist', 'dist', 'dist', parseDistribution),
  rule('writeDist', undefined, 'writeDist', parseDistribution),
  rule('ttl', 'ttl', 'ttl', parseTtlList),
  rule('rate', 'rate', 'rate', parseRate),
  rule('concurrency', 'concurrency', 'concurrency', (l, r) => parseInteger(l, r, 1, 4096)),
  rule('durationMs', 'duration', 'duration', (l, r) => parseDuration(l, r, 1, MAX_RUN_MS)),
  rule('warmupMs', 'warmup', 'warmup', (l, r) => parseDuration(l, r, 0, MAX_RUN_MS)),
  rule('sourceLatency', 'source-latency', 'sourceLatency', parseLatency),
  rule('writeRate', 'write-rate', 'writeRate', parseRate),
  rule('invalidation', 'invalidation', 'invalidation', parseInvalidations),
  rule('stampede', 'stampede', 'stampede', parseStampede),
  rule('ttlJitterPct', 'ttl-jitter', 'ttlJitter', parsePercent),
  rule('maxStalePct', 'max-stale', 'maxStale', parsePercent),
  rule('speedup', 'speedup', 'speedup', parseSpeedup),
  rule('seed', 'seed', 'seed', (l, r) => parseInteger(l, r, 0, 2 ** 32 - 1)),
  rule('redisTimeoutMs', 'redis-timeout', undefined, (l, r) => parseDuration(l, r, 1, MAX_REDIS_TIMEOUT_MS)),
];

/** Applies every rule whose source (`read(rule)`) has a value; `label(rule)` names it in errors. */
export function applyRules<T extends Partial<BenchOptions>>(
  target: T,
  read: (rule: OptionRule) => string | undefined,
  label: (rule: OptionRule) => string,
): T {
  for (const r of OPTION_RULES) {
    const raw = read(r);
    if (raw !== undefined) (target as Record<string, unknown>)[r.option] = r.parse(label(r), raw);
  }
  return target;
}
