/**
 * Redis's own counters over a cluster: each master counts only the reads of
 * its own slots, so the server-side hit ratio needs `INFO stats` summed over
 * every master. A reading with a master missing would mix windows, so it is
 * null as a whole (as a single server's failed reading is).
 */
import { nodeClientOf, type RedisClusterClient } from './clusterConnection.ts';
import { infoField, withDeadline } from './connection.ts';
import type { KeyspaceCounts } from './serverStats.ts';

export interface ClusterKeyspaceCounts extends KeyspaceCounts {
  evictedKeys: number;
  /** Masters read, as `host:port`. */
  masters: string[];
}

export interface ClusterDescription {
  mode: 'cluster';
  /** The masters as `host:port`, in slot order. */
  masters: string[];
  /** `redis_version` of the first master (a mixed-version cluster shows as its first). */
  version: string;
}

const INFO_TIMEOUT_MS = 2000;

/** keyspace_hits, keyspace_misses and evicted_keys summed over the masters; null if any could not be read. */
export async function readClusterKeyspaceCounts(cluster: RedisClusterClient): Promise<ClusterKeyspaceCounts | null> {
  try {
    const masters = [...cluster.masters];
    const infos = await Promise.all(masters.map((master) => masterInfo(cluster, master, 'stats')));
    const sum = { hits: 0, misses: 0, evictedKeys: 0, masters: masters.map((master) => master.address) };
    for (const info of infos) {
      const hits = Number(infoField(info, 'keyspace_hits'));
      const misses = Number(infoField(info, 'keyspace_misses'));
      const evicted = Number(infoField(info, 'evicted_keys'));
      if (![hits, misses, evicted].every(Number.isFinite)) return null;
      sum.hits += hits;
      sum.misses += misses;
      sum.evictedKeys += evicted;
    }
    return masters.length > 0 ? sum : null;
  } catch {
    return null;
  }
}

/** What `env.redis` records for a cluster. */
export async function describeCluster(cluster: RedisClusterClient): Promise<ClusterDescription> {
  const masters = [...cluster.masters];
  let version = 'unknown';
  const first = masters[0];
  if (first) {
    try {
      version = infoField(await masterInfo(cluster, first, 'server'), 'redis_version') ?? 'unknown';
    } catch {
      // Described without a version rather than not at all.
    }
  }
  return { mode: 'cluster', masters: masters.map((master) => master.address), version };
}

async function masterInfo(
  cluster: RedisClusterClient,
  master: RedisClusterClient['masters'][number],
  section: string,
): Promise<string> {
  const read = nodeClientOf(cluster, master).then(async (client) => String(await client.info(section)));
  return withDeadline(read, INFO_TIMEOUT_MS, `INFO ${section} from ${master.address} timed out`);
}
