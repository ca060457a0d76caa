/**
 * Opens whichever Redis a run was given: a throwaway server, a throwaway
 * cluster (`--throwaway-cluster N`), or the user's URL(s) — and for those the
 * server decides: `cluster_enabled:1` gets a cluster session, anything else a
 * single-server session. Both kinds share `mode`, `display`, `throwaway`,
 * `prefix`, `server`, `store`, `keyspaceCounts()` and `close()`.
 */
import type { RedisSeeds } from '../config/redisSeeds.ts';
import { parseRedisUrl, type RedisUrlTarget } from '../config/redisTarget.ts';
import { detectRedisMode } from './clusterConnection.ts';
import { type ClusterSession, openClusterSession } from './clusterSession.ts';
import type { ConnectOptions } from './connection.ts';
import { openRedisSession, type RedisSession, type ThrowawayMemory } from './redisSession.ts';
import { startThrowawayCluster } from './throwawayCluster.ts';

export type SessionTarget =
  | { kind: 'throwaway' }
  | { kind: 'throwaway-cluster'; masters: number }
  | RedisUrlTarget
  | { kind: 'seeds'; seeds: RedisSeeds };

export type BenchRedis = RedisSession | ClusterSession;

export async function openSession(
  target: SessionTarget,
  options: ConnectOptions = {},
  memory?: ThrowawayMemory,
): Promise<BenchRedis> {
  switch (target.kind) {
    case 'throwaway':
      return openRedisSession(target, options, memory);
    case 'throwaway-cluster': {
      const cluster = await startThrowawayCluster(target.masters);
      const seeds = cluster.urls.map((url) => parseRedisUrl(url, '--redis-url')) as RedisSeeds;
      return openClusterSession(seeds, options, cluster);
    }
    default: {
      const seeds: RedisSeeds = target.kind === 'url' ? [target] : target.seeds;
      if ((await detectRedisMode(seeds, options)) === 'cluster') return openClusterSession(seeds, options);
      return openRedisSession(seeds[0], options);
    }
  }
}
