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

const started: { server: RedisServerHandle; clients: RedisClient[] }[] = [];

// Registered once, when a test file imports this helper: vitest 4 silently
// drops an afterAll registered inside beforeAll or a test, which leaked servers.
afterAll(async () => {
  for (const { server, clients } of started.splice(0)) {
    for (const client of clients) client.destroy();
    await server.stop();
  }
});

/** Starts a server for the calling test file; it is stopped after the file's tests. */
export async function useRedisServer(options: RedisServerOptions = {}): Promise<TestRedis> {
  const server = await startRedisServer(options);
  const clients: RedisClient[] = [];
  started.push({ server, clients });
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
