/**
 * Redis Cluster targets: is the server a cluster (`cluster_enabled:1` in INFO
 * cluster), and a node-redis `createCluster` client configured like
 * connection.ts's single client — bounded timeouts, no offline queue, quick
 * reconnects once connected, every error counted through `onError` rather
 * than thrown into the event loop.
 */
import { createCluster, type RedisClusterType } from 'redis';
import type { RedisSeeds } from '../config/redisSeeds.ts';
import type { RedisUrlTarget } from '../config/redisTarget.ts';
import { RedisAuthError, UsageError } from '../errors.ts';
import {
  type ConnectOptions,
  classifyConnectError,
  connectRedis,
  DEFAULT_COMMAND_TIMEOUT_MS,
  infoField,
  type RedisClient,
  withDeadline,
} from './connection.ts';

export type RedisClusterClient = RedisClusterType;

export type RedisMode = 'standalone' | 'cluster';

/**
 * Asks the seeds in turn, on database 0 (a cluster refuses SELECT), whether
 * they run in cluster mode. Several seeds must be a cluster, and a cluster
 * has only database 0: both are the user's input, so UsageError.
 */
export async function detectRedisMode(seeds: RedisSeeds, options: ConnectOptions = {}): Promise<RedisMode> {
  let firstError: Error | undefined;
  for (const seed of seeds) {
    let probe: RedisClient;
    try {
      // Startup, not the measured path: a loaded machine's scheduling gap is no reason to fail.
      const patient = Math.max(options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS, 2000);
      const probeOptions = { ...options, commandTimeoutMs: patient, onError: () => {} };
      probe = await connectRedis({ ...seed, url: withoutDb(seed.url), db: 0 }, probeOptions);
    } catch (error) {
      // The seeds share their credentials: a refusal from one is a refusal from all.
      if (error instanceof RedisAuthError) throw error;
      firstError ??= error as Error;
      continue;
    }
    try {
      let info: string;
      try {
        info = String(await probe.info('cluster'));
      } catch (error) {
        throw classifyConnectError(error as Error, seed);
      }
      const cluster = infoField(info, 'cluster_enabled') === '1';
      if (!cluster && seeds.length > 1) {
        throw new UsageError(
          `${seed.from} lists ${seeds.length} seeds but ${seed.host}:${seed.port} is not a cluster (cluster_enabled:0): expected one URL for a single server`,
        );
      }
      if (cluster && seed.db !== 0) {
        throw new UsageError(
          `${seed.from} names database ${seed.db} but ${seed.host}:${seed.port} is a Redis Cluster, which has only database 0: drop the /${seed.db}`,
        );
      }
      return cluster ? 'cluster' : 'standalone';
    } finally {
      probe.destroy();
    }
  }
  throw firstError ?? new Error('no seeds given');
}

/**
 * A connected cluster client. `rootNodes` only discover the topology; the
 * clients node-redis opens to each node take everything from `defaults`
 * (node-redis docs, clustering.md), so credentials and TLS go there.
 */
export async function connectCluster(seeds: RedisSeeds, options: ConnectOptions = {}): Promise<RedisClusterClient> {
  const first = seeds[0];
  const connectTimeoutMs = options.connectTimeoutMs ?? 4000;
  const url = new URL(first.url);
  const cluster = createCluster({
    rootNodes: seeds.map((seed) => ({ url: withoutDb(seed.url) })),
    defaults: {
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      name: 'cache-aside-bench',
      disableOfflineQueue: true,
      commandsQueueMaxLength: 10_000,
      maintNotifications: 'disabled',
      socket: {
        connectTimeout: connectTimeoutMs,
        // A node client that gives up stays in the slot map closed for good
        // (cluster-slots.js keeps `node.client`), so node clients never give up;
        // the first connect is bounded by the deadline below instead.
        reconnectStrategy: (retries: number) => Math.min(20 * 2 ** retries, 500),
        ...(first.tls ? { tls: true as const, ...options.tls } : {}),
      },
    },
    // Covers commands not yet written; once written, a node that stalls is
    // bounded by the callers (clusterStore.ts), as on a single server.
    commandOptions: { timeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS },
  });
  let lastError: Error | undefined;
  const counted = (error: Error) => {
    lastError = error;
    options.onError?.(error);
  };
  cluster.on('error', counted);
  cluster.on('node-error', counted);
  try {
    await withDeadline(cluster.connect(), connectTimeoutMs + 1000);
    return cluster;
  } catch (error) {
    cluster.destroy();
    const cause = lastError ?? (error instanceof Error ? error : new Error(String(error)));
    throw classifyConnectError(cause, first);
  }
}

/** The masters as `host:port`, in slot order. */
export function masterAddresses(cluster: RedisClusterClient): string[] {
  return cluster.masters.map((master) => master.address);
}

/** A node client of the cluster, typed as the single-server client it is. */
export async function nodeClientOf(
  cluster: RedisClusterClient,
  node: RedisClusterClient['masters'][number],
): Promise<RedisClient> {
  return (await cluster.nodeClient(node)) as unknown as RedisClient;
}

/** The seed URL without its database path: cluster nodes only have database 0. */
export function withoutDb(raw: string): string {
  const url = new URL(raw);
  url.pathname = '';
  return url.toString();
}

/** The seed a node's address belongs to, with its host and port swapped in: for direct connections. */
export function nodeTarget(seed: RedisUrlTarget, address: string): RedisUrlTarget {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  const port = Number(address.slice(colon + 1));
  const url = new URL(withoutDb(seed.url));
  url.hostname = host.includes(':') ? `[${host}]` : host;
  url.port = String(port);
  return { ...seed, url: url.toString(), host, port, db: 0 };
}
