/**
 * The harness's own corner of a Redis database. Every key it writes starts
 * with the run prefix, and cleanup removes exactly those keys with SCAN +
 * UNLINK — never a whole-database flush nor a KEYS listing, because the server
 * may be shared.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from './connection.ts';
import { hashTagBounds } from './keySlot.ts';

/** `cab:<8 hex>:` — unique per run, so two runs on one server never meet. */
export function newRunPrefix(): string {
  return `cab:${randomBytes(4).toString('hex')}:`;
}

/** `entity:id:field`, the seed's naming convention, under a prefix. */
export function keyName(prefix: string, entity: string, id: string | number, field?: string): string {
  return field === undefined ? `${prefix}${entity}:${id}` : `${prefix}${entity}:${id}:${field}`;
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

/**
 * The stampede lock key of `dataKey`, in the same hash slot, so that on a
 * cluster the lock and the value it guards live on one node (and the release
 * script may name both). A key without braces becomes `<key>:lock{<key>}`:
 * its hash tag is the whole data key, so it hashes exactly like the untagged
 * data key, and it still starts with the data key, so the run-prefix cleanup
 * (SCAN MATCH prefix*) finds it; `{<key>}:lock` hashes the same but starts
 * with `{`, outside the prefix, where cleanup and the tests' key checks never
 * look. A key with a hash tag keeps it (`<key>:lock`).
 */
export function lockKeyFor(dataKey: string): string {
  if (hashTagBounds(dataKey) !== undefined) return `${dataKey}:lock`;
  if (/[{}]/.test(dataKey)) {
    throw new Error(`no same-slot lock key for "${dataKey}": it has braces but no {hash tag}`);
  }
  return `${dataKey}:lock{${dataKey}}`;
}

/**
 * How many keys start with `prefix`, by SCAN (never KEYS, which blocks a
 * shared server). SCAN may return a key twice while the table rehashes, so
 * the keys are counted once each.
 */
export async function countByPrefix(client: RedisClient, prefix: string): Promise<number> {
  const seen = new Set<string>();
  let cursor = '0';
  const match = `${globEscape(prefix)}*`;
  do {
    const reply = await client.scan(cursor, { MATCH: match, COUNT: 1000 });
    cursor = String(reply.cursor);
    for (const key of reply.keys) seen.add(key);
  } while (cursor !== '0');
  return seen.size;
}

/** The first `limit` keys under `prefix` that SCAN returns (a sample, in hash order, not by popularity). */
export async function sampleByPrefix(client: RedisClient, prefix: string, limit: number): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  const match = `${globEscape(prefix)}*`;
  do {
    const reply = await client.scan(cursor, { MATCH: match, COUNT: 1000 });
    cursor = String(reply.cursor);
    keys.push(...reply.keys);
  } while (cursor !== '0' && keys.length < limit);
  return keys.slice(0, limit);
}
