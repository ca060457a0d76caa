/**
 * A throwaway Redis Cluster for a test file: N masters on free ports,
 * stopped after the file's tests, with a plain client per master for
 * looking at what each node holds (SCAN, INFO, CLUSTER commands).
 */
import { afterAll } from 'vitest';
import { parseRedisSeeds, type RedisSeeds } from '../../src/config/redisSeeds.ts';
import { parseRedisUrl } from '../../src/config/redisTarget.ts';
import { connectRedis, type RedisClient } from '../../src/redis/connection.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../../src/redis/throwawayCluster.ts';
import { scanKeys } from './chaos.ts';

export interface TestCluster {
  cluster: ThrowawayCluster;
  seeds: RedisSeeds;
  /** One client per master, in the cluster's order; each may be reconnecting after a kill. */
  nodes: RedisClient[];
  /** Every key matching `pattern` on every master, per master. */
  keysPerNode(pattern?: string): Promise<string[][]>;
  /** The master (index into `nodes`) holding `slot`, from CLUSTER SLOTS of the first answering node. */
  ownerOf(slot: number): Promise<number>;
}

const started: { cluster: ThrowawayCluster; clients: RedisClient[] }[] = [];

// Registered at import, as in redis.ts: vitest drops an afterAll registered inside a hook or test.
afterAll(async () => {
  for (const { cluster, clients } of started.splice(0)) {
    for (const client of clients) client.destroy();
    await cluster.stop();
  }
});

export async function useThrowawayCluster(masters = 3): Promise<TestCluster> {
  const cluster = await startThrowawayCluster(masters);
  const clients: RedisClient[] = [];
  started.push({ cluster, clients });
  // Test tooling, not the thing measured: patient enough for a loaded machine.
  const options = { commandTimeoutMs: 5000, onError() {} };
  for (const url of cluster.urls) clients.push(await connectRedis(parseRedisUrl(url, '--redis-url'), options));
  return {
    cluster,
    seeds: parseRedisSeeds(cluster.seeds, '--redis-url'),
    nodes: clients,
    keysPerNode: (pattern = '*') => Promise.all(clients.map((client) => scanKeys(client, pattern))),
    async ownerOf(slot) {
      const ranges = (await clients[0]?.sendCommand(['CLUSTER', 'SLOTS'])) as [number, number, [string, number]][];
      const range = ranges.find(([from, to]) => from <= slot && slot <= to);
      return cluster.ports.indexOf(Number(range?.[2][1]));
    },
  };
}
