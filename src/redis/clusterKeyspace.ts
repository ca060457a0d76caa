/**
 * Removing a run's keys from every master of a cluster. SCAN is per node, so
 * each master is scanned on its own node client; UNLINK of several keys
 * must name keys of one slot (else CROSSSLOT), so the keys found are
 * unlinked one slot group at a time. A key whose slot moved meanwhile (MOVED,
 * ASK, TRYAGAIN) is unlinked on its own through the cluster client, which
 * follows the redirect. Never KEYS, never FLUSH: the cluster may be shared.
 */
import { nodeClientOf, type RedisClusterClient } from './clusterConnection.ts';
import { type RedisClient, withDeadline } from './connection.ts';
import { keySlot } from './keySlot.ts';
import { globEscape } from './keyspace.ts';

export interface ClusterCleanup {
  /** Keys removed, over all masters. */
  removed: number;
  /** One line per master that could not be scanned to the end (unreachable, stalled). */
  failures: string[];
}

/** How long one SCAN or UNLINK may take before that master counts as failed. */
const STEP_TIMEOUT_MS = 5000;

export async function deleteByPrefixOnCluster(cluster: RedisClusterClient, prefix: string): Promise<ClusterCleanup> {
  const result: ClusterCleanup = { removed: 0, failures: [] };
  const match = `${globEscape(prefix)}*`;
  for (const master of [...cluster.masters]) {
    try {
      const client = await withDeadline(nodeClientOf(cluster, master), STEP_TIMEOUT_MS);
      // After a restart mid-run the node's client may still be reconnecting: give it a moment.
      for (const until = performance.now() + 3000; !client.isReady && performance.now() < until; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      result.removed += await cleanNode(cluster, client, match);
    } catch (error) {
      result.failures.push(`${master.address}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}

async function cleanNode(cluster: RedisClusterClient, client: RedisClient, match: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const reply = await step(client.scan(cursor, { MATCH: match, COUNT: 1000 }));
    cursor = String(reply.cursor);
    for (const keys of bySlot(reply.keys)) removed += await unlinkSlotGroup(cluster, client, keys);
  } while (cursor !== '0');
  return removed;
}

function bySlot(keys: string[]): string[][] {
  const groups = new Map<number, string[]>();
  for (const key of keys) {
    const slot = keySlot(key);
    const group = groups.get(slot);
    if (group) group.push(key);
    else groups.set(slot, [key]);
  }
  return [...groups.values()];
}

async function unlinkSlotGroup(cluster: RedisClusterClient, client: RedisClient, keys: string[]): Promise<number> {
  try {
    return await step(client.unlink(keys));
  } catch (error) {
    if (!(error instanceof Error && /^(MOVED|ASK|TRYAGAIN) /.test(error.message))) throw error;
    let removed = 0;
    for (const key of keys) removed += await step(cluster.unlink(key));
    return removed;
  }
}

function step<T>(promise: Promise<T>): Promise<T> {
  return withDeadline(promise, STEP_TIMEOUT_MS, `no reply within ${STEP_TIMEOUT_MS} ms`);
}
