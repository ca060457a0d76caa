/**
 * The harness's own corner of a Redis database. Every key it writes starts
 * with the run prefix, and cleanup removes exactly those keys with SCAN +
 * UNLINK — never a whole-database flush nor a KEYS listing, because the server
 * may be shared.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from './connection.ts';

/** `cab:<8 hex>:` — unique per run, so two runs on one server never meet. */
export function newRunPrefix(): string {
  return `cab:${randomBytes(4).toString('hex')}:`;
}

/** `entity:id:field`, the seed's naming convention, under a prefix. */
export function keyName(prefix: string, entity: string, id: string | number, field?: string): string {
  return field === undefined ? `${prefix}${entity}:${id}` : `${prefix}${entity}:${id}:${field}`;
}

/**
 * The stampede lock of a data key. The data key in braces is a hash tag, so
 * on a Redis Cluster the lock lives in its key's slot (and on the same node).
 */
export function lockKeyFor(dataKey: string): string {
  return `{${dataKey}}:lock`;
}

/** Escape SCAN MATCH glob characters so a prefix matches only itself. */
export function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** Removes every key under `prefix`; returns how many were removed. */
export async function deleteByPrefix(client: RedisClient, prefix: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  const match = `${globEscape(prefix)}*`;
  do {
    const reply = await client.scan(cursor, { MATCH: match, COUNT: 1000 });
    cursor = String(reply.cursor);
    if (reply.keys.length > 0) removed += await client.unlink(reply.keys);
  } while (cursor !== '0');
  return removed;
}
