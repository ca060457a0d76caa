/**
 * The throwaway redis-server's memory: its limit, eviction policy and
 * sample size, for any suite. Run-wide options, part of the one option table
 * (`options.ts`); a run given a user's Redis refuses them (runBench), since
 * the harness never reconfigures a server it did not start.
 */
import { formatBytes, type MaxmemoryPolicy, parseBytes, parsePolicy } from './memory.ts';
import { option } from './option.ts';
import { parseInteger } from './values.ts';

export const MEMORY_OPTIONS = [
  option({
    key: 'maxmemoryBytes',
    flag: 'maxmemory',
    type: 'string',
    metavar: 'SIZE',
    parse: parseBytes,
    format: formatBytes,
    default: undefined as number | undefined,
    scope: 'run',
    workload: true,
    help: "the throwaway redis-server's maxmemory (never set on a server you name: that is refused)",
    defaultText: 'no limit (the capacity suite sets its own per row)',
    example: '64mb',
  }),
  option({
    key: 'maxmemoryPolicy',
    flag: 'maxmemory-policy',
    type: 'string',
    metavar: 'P',
    parse: parsePolicy,
    format: (policy: MaxmemoryPolicy) => policy,
    default: undefined as MaxmemoryPolicy | undefined,
    scope: 'run',
    workload: true,
    help: "the throwaway redis-server's eviction policy: allkeys-lru, allkeys-lfu, allkeys-random, volatile-*, noeviction",
    defaultText: "allkeys-lru (Redis's own default, noeviction, would fail the cache's writes)",
    example: 'allkeys-lfu',
  }),
  option({
    key: 'maxmemorySamples',
    flag: 'maxmemory-samples',
    type: 'number',
    metavar: 'N',
    parse: (l, r) => parseInteger(l, r, 1, 64),
    format: String,
    default: undefined as number | undefined,
    scope: 'run',
    workload: true,
    help: 'keys the throwaway redis-server samples per eviction (1 to 64): more is closer to true LRU/LFU',
    defaultText: "10 on the throwaway server (Redis's own default is 5)",
    example: '5',
  }),
] as const;
