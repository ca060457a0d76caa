/**
 * The delay added to every source query, standing for the network round trip
 * to MySQL and its own work. Fixed, uniform or exponential.
 */
import type { LatencySpec } from '../config/types.ts';
import type { Rng } from '../workload/rng.ts';

export type LatencySampler = () => number;

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
