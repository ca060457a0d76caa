/**
 * The Redis a run talks to, whichever way it was configured: a URL the user
 * gave, or a throwaway `redis-server` started here and stopped on close.
 * Closing removes every key under the run prefix first.
 */
import { parseRedisUrl, type RedisTarget, type RedisUrlTarget } from '../config/redisTarget.ts';
import { type CacheStore, SingleServerStore } from './cacheStore.ts';
import {
  type ConnectOptions,
  connectRedis,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type RedisClient,
  serverVersion,
} from './connection.ts';
import { GuardedConnection } from './guardedConnection.ts';
import { countByPrefix, deleteByPrefix, newRunPrefix, sampleByPrefix } from './keyspace.ts';
import { type RedisServerHandle, startRedisServer } from './redisServer.ts';
import { type KeyspaceCounts, type MemoryStats, readKeyspaceCounts, readMemoryStats } from './serverStats.ts';

export interface RedisSession {
  mode: 'standalone';
  client: RedisClient;
  /** Where Redis is, with credentials: for another process of the run (the lock example's contenders). */
  target: RedisUrlTarget;
  /** Where Redis is, password redacted; "throwaway redis-server on :PORT" when started here. */
  display: string;
  throwaway: boolean;
  /** The throwaway server's memory settings as started (CONFIG SET may change maxmemory later); undefined for a user's Redis. */
  throwawayMemory: ThrowawayMemory | undefined;
  prefix: string;
  server: { version: string; mode: string };
  /** A connection of its own for the measured reads and writes, with the bounded wait (see guardedConnection.ts). */
  reads: GuardedConnection;
  /** The cache store over `reads`: the same commands a ClusterSession's store offers. */
  store: CacheStore;
  /** INFO stats hits and misses (readKeyspaceCounts on `client`). */
  keyspaceCounts(): Promise<KeyspaceCounts | null>;
  /** INFO memory and stats: used memory, the limit, the policy, evictions so far; null when INFO failed. */
  memoryStats(): Promise<MemoryStats | null>;
  /** Keys under `prefix` (SCAN MATCH); null when the count failed. */
  countKeys(prefix: string): Promise<number | null>;
  /** MEMORY USAGE of up to `sample` keys under `prefix` (bytes each, keys gone meanwhile left out). */
  memoryUsage(prefix: string, sample: number): Promise<number[]>;
  /** Removes the keys under `prefix` (which must be under the run prefix). */
  deleteKeys(prefix: string): Promise<number>;
  /**
   * CONFIG SET maxmemory on the throwaway server; throws on a server the user
   * named: the harness never reconfigures a user's Redis.
   */
  setMaxmemory(bytes: number): Promise<void>;
  /** Opens another client to the same server (the stream example's consumers); closed with the session. */
  connectAnother(options?: ConnectOptions): Promise<RedisClient>;
  /**
   * Removes the run's keys, closes the clients and stops a throwaway server.
   * Never throws: a cleanup that failed is reported in `error`. Safe to call twice.
   */
  close(): Promise<{ removedKeys: number; error?: string }>;
}

/** How a throwaway server is started: its memory limit, eviction policy and LRU/LFU sample size. */
export interface ThrowawayMemory {
  /** 0: no limit (Redis's default). */
  maxmemoryBytes: number;
  maxmemoryPolicy: string;
  /** Redis's default is 5. */
  maxmemorySamples: number;
}

const REDIS_DEFAULTS: ThrowawayMemory = { maxmemoryBytes: 0, maxmemoryPolicy: 'noeviction', maxmemorySamples: 5 };

/** `memory`: how to start a throwaway server (Redis's defaults when omitted); ignored for a user's URL. */
export async function openRedisSession(
  target: RedisTarget,
  options: ConnectOptions = {},
  memory: ThrowawayMemory = REDIS_DEFAULTS,
): Promise<RedisSession> {
  const args = [
    ...['--maxmemory', String(memory.maxmemoryBytes), '--maxmemory-policy', memory.maxmemoryPolicy],
    ...['--maxmemory-samples', String(memory.maxmemorySamples)],
  ];
  const started = target.kind === 'throwaway' ? await startRedisServer({ args }) : undefined;
  const urlTarget = started ? parseRedisUrl(started.url, '--redis-url') : (target as RedisUrlTarget);
  const { client, reads } = await connectBoth(urlTarget, options, started);
  const clients: RedisClient[] = [client];
  const prefix = newRunPrefix();
  const server = await serverVersion(client);
  let closing: Promise<{ removedKeys: number; error?: string }> | undefined;
  return {
    mode: 'standalone',
    client,
    display: started ? `throwaway redis-server on 127.0.0.1:${started.port}` : urlTarget.display,
    throwaway: started !== undefined,
    throwawayMemory: started ? memory : undefined,
    prefix,
    server,
    reads,
    store: new SingleServerStore(reads),
    keyspaceCounts: () => readKeyspaceCounts(client),
    memoryStats: () => readMemoryStats(client),
    countKeys: (under) => countByPrefix(client, under).catch(() => null),
    memoryUsage: (under, sample) => memoryUsage(client, under, sample),
    deleteKeys(under) {
      if (!under.startsWith(prefix)) throw new Error(`refusing to delete keys outside the run prefix: ${under}`);
      return deleteByPrefix(client, under);
    },
    async setMaxmemory(bytes) {
      if (!started)
        throw new Error('refusing CONFIG SET on a Redis the user named: only a throwaway server is reconfigured');
      await client.configSet('maxmemory', String(bytes));
    },
    target: urlTarget,
    async connectAnother(more = {}) {
      const extra = await connectRedis(urlTarget, { ...options, ...more });
      clients.push(extra);
      return extra;
    },
    close() {
      closing ??= closeSession(client, prefix, started, () => {
        reads.close();
        for (const c of clients) c.destroy();
      });
      return closing;
    },
  };
}

async function memoryUsage(client: RedisClient, prefix: string, sample: number): Promise<number[]> {
  const keys = await sampleByPrefix(client, prefix, sample);
  const sizes = await Promise.all(keys.map((key) => client.memoryUsage(key)));
  return sizes.filter((size): size is number => typeof size === 'number');
}

/** The general client and the guarded read connection; a throwaway server is stopped if either fails. */
async function connectBoth(target: RedisUrlTarget, options: ConnectOptions, started: RedisServerHandle | undefined) {
  let client: RedisClient | undefined;
  try {
    client = await connectRedis(target, options);
    const timeout = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const reads = new GuardedConnection(await connectRedis(target, options), timeout, options.onError);
    return { client, reads };
  } catch (error) {
    client?.destroy();
    await started?.stop();
    throw error;
  }
}

/** Removes the run's keys (a throwaway server is stopped whole instead), closes the clients. Never throws. */
async function closeSession(
  client: RedisClient,
  prefix: string,
  started: RedisServerHandle | undefined,
  disconnect: () => void,
): Promise<{ removedKeys: number; error?: string }> {
  let removedKeys = 0;
  let error: string | undefined;
  try {
    // After a restart mid-run the client may still be reconnecting: give it a moment.
    if (!started && (await ready(client, 3000))) removedKeys = await deleteByPrefix(client, prefix);
    else if (!started) error = 'Redis was not reachable at the end of the run';
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  } finally {
    disconnect();
    await started?.stop();
  }
  return error === undefined ? { removedKeys } : { removedKeys, error };
}

async function ready(client: RedisClient, waitMs: number): Promise<boolean> {
  const deadline = performance.now() + waitMs;
  while (!client.isReady && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return client.isReady;
}
