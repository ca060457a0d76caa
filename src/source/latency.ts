/**
 * The delay added to every source query, standing for the network round trip
 * to MySQL and its own work. Fixed, uniform or exponential.
 */
import type { LatencySpec } from '../config/types.ts';
import type { Rng } from '../workload/rng.ts';

export type LatencySampler = () => number;

/** The source latency of every suite but stampede when `--source-latency` is not given. */
export const DEFAULT_SOURCE_LATENCY: LatencySpec = { kind: 'fixed', ms: 1 };

export function latencySampler(spec: LatencySpec, rng: Rng): LatencySampler {
  switch (spec.kind) {
    case 'fixed':
      return () => spec.ms;
    case 'uniform':
      return () => spec.minMs + (spec.maxMs - spec.minMs) * rng.next();
    case 'exp':
      return () => rng.exponential(spec.meanMs);
  }
}

export function meanLatencyMs(spec: LatencySpec): number {
  switch (spec.kind) {
    case 'fixed':
      return spec.ms;
    case 'uniform':
      return (spec.minMs + spec.maxMs) / 2;
    case 'exp':
      return spec.meanMs;
  }
}

export function describeLatency(spec: LatencySpec): string {
  switch (spec.kind) {
    case 'fixed':
      return `${spec.ms}ms`;
    case 'uniform':
      return `uniform:${spec.minMs}ms:${spec.maxMs}ms`;
    case 'exp':
      return `exp:${spec.meanMs}ms`;
  }
}

/** Sleeps for `ms` to within a fraction of a millisecond; zero costs a microtask, not a timer tick. */
export { preciseSleep as sleep } from '../load/preciseTimer.ts';
