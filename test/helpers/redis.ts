/**
 * Throwaway redis-server processes for tests: each on a free port, keeping
 * nothing on disk, stopped after the file's tests. Never the machine's own
 * Redis on 6379.
 */
import { afterAll } from 'vitest';
import { parseRedisUrl } from '../../src/config/redisTarget.ts';
import { type ConnectOptions, connectRedis, type RedisClient } from '../../src/redis/connection.ts';
import { type RedisServerHandle, type RedisServerOptions, startRedisServer } from '../../src/redis/redisServer.ts';

export interface TestRedis {
  server: RedisServerHandle;
  url: string;
  /** A connected client; closed after the file's tests. */
  connect(options?: ConnectOptions & { url?: string }): Promise<RedisClient>;
}

/** Starts a server for the calling test file and registers its teardown. */
export async function useRedisServer(options: RedisServerOptions = {}): Promise<TestRedis> {
  const server = await startRedisServer(options);
  const clients: RedisClient[] = [];
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server.stop();
  });
  return {
    server,
    url: server.url,
    async connect(connectOptions = {}) {
      const client = await connectRedis(parseRedisUrl(connectOptions.url ?? server.url, '--redis-url'), connectOptions);
      clients.push(client);
      return client;
    },
  };
}
