/**
 * Run options for scaling out: a throwaway Redis Cluster and load worker
 * threads. Part of the one option table (`options.ts`), beside the run's
 * other options (`runOptions.ts`).
 */
import { option } from './option.ts';
import { parseInteger } from './values.ts';

export const SCALE_OPTIONS = [
  option({
    key: 'throwawayCluster',
    flag: 'throwaway-cluster',
    type: 'number',
    metavar: 'N',
    parse: (l, r) => parseInteger(l, r, 3, 32),
    format: String,
    default: undefined as number | undefined,
    scope: 'run',
    help: 'start a throwaway Redis Cluster of N local masters (redis-server --cluster-enabled yes) for the run, stopped at its end',
    example: '3',
  }),
  option({
    key: 'workers',
    flag: 'workers',
    type: 'number',
    metavar: 'N',
    parse: (l, r) => parseInteger(l, r, 1, 64),
    format: String,
    default: 1,
    scope: 'run',
    help: 'offer ttl-sweep load from N worker threads, each with its own Redis connection and sampler stream (forked from --seed), the rate split between them; histograms merged, counts summed',
    example: '2',
  }),
] as const;
