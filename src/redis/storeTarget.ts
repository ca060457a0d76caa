/**
 * A cache store of its own on a session's Redis, for another thread of the
 * run (a load worker): the session says where its Redis is (`storeTarget`),
 * with credentials — handed between threads of this process, never printed —
 * and `openStore` connects a new store there with the same guard.
 */
import type { RedisSeeds } from '../config/redisSeeds.ts';
import type { RedisUrlTarget } from '../config/redisTarget.ts';
import { type CacheStore, SingleServerStore } from './cacheStore.ts';
import { connectCluster, type RedisClusterClient } from './clusterConnection.ts';
import { ClusterStore } from './clusterStore.ts';
import { type ConnectOptions, connectRedis, DEFAULT_COMMAND_TIMEOUT_MS } from './connection.ts';
import { GuardedConnection } from './guardedConnection.ts';
import type { BenchRedis } from './openSession.ts';

export type StoreTarget = { mode: 'standalone'; target: RedisUrlTarget } | { mode: 'cluster'; seeds: RedisSeeds };

export function storeTarget(session: BenchRedis): StoreTarget {
  return session.mode === 'cluster'
    ? { mode: 'cluster', seeds: session.seeds }
    : { mode: 'standalone', target: session.target };
}

export interface OwnStore {
  store: CacheStore;
  close(): void;
}

export async function openStore(where: StoreTarget, options: ConnectOptions = {}): Promise<OwnStore> {
  if (where.mode === 'standalone') {
    const timeout = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const conn = new GuardedConnection(await connectRedis(where.target, options), timeout, options.onError);
    return { store: new SingleServerStore(conn), close: () => conn.close() };
  }
  let cluster: RedisClusterClient | undefined;
  try {
    cluster = await connectCluster(where.seeds, options);
    const store = await ClusterStore.open(cluster, where.seeds[0], options);
    const connected = cluster;
    return {
      store,
      close() {
        store.close();
        connected.destroy();
      },
    };
  } catch (error) {
    cluster?.destroy();
    throw error;
  }
}
