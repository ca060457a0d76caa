/**
 * The Redis a run talks to, whichever way it was configured: a URL the user
 * gave, or a throwaway `redis-server` started here and stopped on close.
 * Closing removes every key under the run prefix first.
 */
import { parseRedisUrl, type RedisTarget, type RedisUrlTarget } from '../config/redisTarget.ts';
import {
  type ConnectOptions,
  connectRedis,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type RedisClient,
  serverVersion,
} from './connection.ts';
import { GuardedConnection } from './guardedConnection.ts';
import { deleteByPrefix, newRunPrefix } from './keyspace.ts';
import { type RedisServerHandle, startRedisServer } from './redisServer.ts';

export interface RedisSession {
  client: RedisClient;
  /** Where Redis is, password redacted; "throwaway redis-server on :PORT" when started here. */
  display: string;
  throwaway: boolean;
  prefix: string;
  server: { version: string; mode: string };
  /** A connection of its own for the measured reads and writes, with the bounded wait (see guardedConnection.ts). */
  reads: GuardedConnection;
  /**
   * Removes the run's keys, closes the clients and stops a throwaway server.
   * Never throws: a cleanup that failed is reported in `error`. Safe to call twice.
   */
  close(): Promise<{ removedKeys: number; error?: string }>;
}

export async function openRedisSession(target: RedisTarget, options: ConnectOptions = {}): Promise<RedisSession> {
  let started: RedisServerHandle | undefined;
  let urlTarget: RedisUrlTarget;
  if (target.kind === 'throwaway') {
    started = await startRedisServer();
    urlTarget = parseRedisUrl(started.url, '--redis-url');
  } else {
    urlTarget = target;
  }
  const clients: RedisClient[] = [];
  let client: RedisClient;
  try {
    client = await connectRedis(urlTarget, options);
  } catch (error) {
    await started?.stop();
    throw error;
  }
  clients.push(client);
  let reads: GuardedConnection;
  try {
    reads = new GuardedConnection(
      await connectRedis(urlTarget, options),
      options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      options.onError,
    );
  } catch (error) {
    client.destroy();
    await started?.stop();
    throw error;
  }
  const prefix = newRunPrefix();
  const server = await serverVersion(client);
  let closing: Promise<{ removedKeys: number }> | undefined;
  return {
    client,
    display: started ? `throwaway redis-server on 127.0.0.1:${started.port}` : urlTarget.display,
    throwaway: started !== undefined,
    prefix,
    server,
    reads,
    close() {
      closing ??= (async () => {
        let removedKeys = 0;
        let error: string | undefined;
        try {
          // A throwaway server is stopped whole; a user's server keeps everything but our prefix.
          // After a restart mid-run the client may still be reconnecting: give it a moment.
          if (!started && (await ready(client, 3000))) removedKeys = await deleteByPrefix(client, prefix);
          else if (!started) error = 'Redis was not reachable at the end of the run';
        } catch (cause) {
          error = cause instanceof Error ? cause.message : String(cause);
        } finally {
          reads.close();
          for (const c of clients) c.destroy();
          await started?.stop();
        }
        return error === undefined ? { removedKeys } : { removedKeys, error };
      })();
      return closing;
    },
  };
}

async function ready(client: RedisClient, waitMs: number): Promise<boolean> {
  const deadline = performance.now() + waitMs;
  while (!client.isReady && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return client.isReady;
}
