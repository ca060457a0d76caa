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

/**
 * What memory limits the server and what it evicted: `INFO memory` and
 * `INFO stats`, which answer where `CONFIG GET` is disabled (managed
 * services rename or block it).
 */
export interface MemoryStats {
  usedMemoryBytes: number;
  /** 0: no limit. */
  maxmemoryBytes: number;
  maxmemoryPolicy: string;
  /** Since the server started: a row takes the difference over its window. */
  evictedKeys: number;
}

export async function readMemoryStats(client: RedisClient): Promise<MemoryStats | null> {
  try {
    const memory = String(await client.info('memory'));
    const stats = String(await client.info('stats'));
    const read = (info: string, field: string) => Number(infoField(info, field) ?? Number.NaN);
    const result = {
      usedMemoryBytes: read(memory, 'used_memory'),
      maxmemoryBytes: read(memory, 'maxmemory'),
      maxmemoryPolicy: infoField(memory, 'maxmemory_policy') ?? 'unknown',
      evictedKeys: read(stats, 'evicted_keys'),
    };
    const numbers = [result.usedMemoryBytes, result.maxmemoryBytes, result.evictedKeys];
    return numbers.every(Number.isFinite) ? result : null;
  } catch {
    return null;
  }
}
