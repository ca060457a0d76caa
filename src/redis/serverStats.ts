/**
 * Redis's own count of hits and misses (`INFO stats`), read before and after
 * a measured window to cross-check the client's hit ratio. On a shared server
 * other clients' reads land in the same counters; the table says when the two
 * disagree.
 */
import { infoField, type RedisClient } from './connection.ts';

export interface KeyspaceCounts {
  hits: number;
  misses: number;
}

export async function readKeyspaceCounts(client: RedisClient): Promise<KeyspaceCounts | null> {
  try {
    const info = String(await client.info('stats'));
    const hits = Number(infoField(info, 'keyspace_hits'));
    const misses = Number(infoField(info, 'keyspace_misses'));
    return Number.isFinite(hits) && Number.isFinite(misses) ? { hits, misses } : null;
  } catch {
    return null;
  }
}

/** Hit ratio over the window between two readings; null when either failed or nothing was read. */
export function windowHitRatio(before: KeyspaceCounts | null, after: KeyspaceCounts | null): number | null {
  if (!before || !after) return null;
  const hits = after.hits - before.hits;
  const misses = after.misses - before.misses;
  // A restart mid-window resets the counters: the difference then means nothing.
  if (hits < 0 || misses < 0) return null;
  return hits + misses > 0 ? hits / (hits + misses) : null;
}
