/**
 * A run's Redis when it is a cluster — the user's (seed URLs) or a throwaway
 * one started here — the counterpart of redisSession.ts: a cluster client for
 * topology, stats and cleanup, a ClusterStore for the measured commands, and
 * a close() that removes the run's keys from every master and stops a
 * throwaway cluster, on every exit path the caller has.
 */
import type { RedisSeeds } from '../config/redisSeeds.ts';
import { seedsDisplay } from '../config/redisSeeds.ts';
import { connectCluster, type RedisClusterClient } from './clusterConnection.ts';
import { deleteByPrefixOnCluster } from './clusterKeyspace.ts';
import { type ClusterDescription, describeCluster, readClusterKeyspaceCounts } from './clusterStats.ts';
import { ClusterStore } from './clusterStore.ts';
import type { ConnectOptions } from './connection.ts';
import { newRunPrefix } from './keyspace.ts';
import type { KeyspaceCounts } from './serverStats.ts';
import type { ThrowawayCluster } from './throwawayCluster.ts';

export interface ClusterSession {
  mode: 'cluster';
  cluster: RedisClusterClient;
  seeds: RedisSeeds;
  /** The seeds, passwords redacted; "throwaway cluster of N masters on :P1,:P2,…" when started here. */
  display: string;
  throwaway: boolean;
  prefix: string;
  /** `env.redis`: mode, masters, version. */
  server: ClusterDescription;
  /** The measured reads and writes, routed per slot with the bounded wait (see clusterStore.ts). */
  store: ClusterStore;
  /** INFO stats summed over the masters. */
  keyspaceCounts(): Promise<KeyspaceCounts | null>;
  /** Removes the run's keys from every master, closes the clients, stops a throwaway cluster. Never throws; safe twice. */
  close(): Promise<{ removedKeys: number; error?: string }>;
}

export async function openClusterSession(
  seeds: RedisSeeds,
  options: ConnectOptions = {},
  throwaway?: ThrowawayCluster,
): Promise<ClusterSession> {
  let cluster: RedisClusterClient | undefined;
  let store: ClusterStore;
  try {
    cluster = await connectCluster(seeds, options);
    store = await ClusterStore.open(cluster, seeds[0], options);
  } catch (error) {
    cluster?.destroy();
    await throwaway?.stop();
    throw error;
  }
  const connected = cluster;
  const prefix = newRunPrefix();
  const server = await describeCluster(connected);
  let closing: Promise<{ removedKeys: number; error?: string }> | undefined;
  return {
    mode: 'cluster',
    cluster: connected,
    seeds,
    display: throwaway
      ? `throwaway cluster of ${throwaway.ports.length} masters on 127.0.0.1:${throwaway.ports.join(',')}`
      : seedsDisplay(seeds),
    throwaway: throwaway !== undefined,
    prefix,
    server,
    store,
    keyspaceCounts: () => readClusterKeyspaceCounts(connected),
    close() {
      closing ??= (async () => {
        let removedKeys = 0;
        let error: string | undefined;
        try {
          // A throwaway cluster is stopped whole; a user's keeps everything but our prefix.
          if (!throwaway) {
            const cleanup = await deleteByPrefixOnCluster(connected, prefix);
            removedKeys = cleanup.removed;
            if (cleanup.failures.length > 0) error = `keys left on: ${cleanup.failures.join('; ')}`;
          }
        } catch (cause) {
          error = cause instanceof Error ? cause.message : String(cause);
        } finally {
          store.close();
          connected.destroy();
          await throwaway?.stop();
        }
        return error === undefined ? { removedKeys } : { removedKeys, error };
      })();
      return closing;
    },
  };
}
