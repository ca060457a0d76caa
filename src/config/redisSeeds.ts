/**
 * `--redis-url` (or `REDIS_URL`) naming several seed nodes of one Redis
 * Cluster, comma-separated: `redis://a:7000,redis://b:7001`. Each seed is a
 * URL as `parseRedisUrl` reads it; a single URL reads exactly as before.
 * The cluster client uses one set of credentials and one TLS setting for
 * every node (node-redis `defaults`), so the seeds must agree on them.
 */
import { UsageError } from '../errors.ts';
import { parseRedisUrl, type RedisUrlTarget, redactUrl } from './redisTarget.ts';

/** One target per seed, in the order given; at least one. */
export type RedisSeeds = [RedisUrlTarget, ...RedisUrlTarget[]];

/**
 * Seeds are split at a comma followed by a scheme (or by nothing: an empty
 * seed), so a password holding a comma still reads as one URL.
 */
const SEED_SEPARATOR = /,(?=\s*(?:rediss?:\/\/|,|$))/i;

export function parseRedisSeeds(raw: string, from: RedisUrlTarget['from']): RedisSeeds {
  if (!SEED_SEPARATOR.test(raw)) return [parseRedisUrl(raw, from)];
  const parts = raw.split(SEED_SEPARATOR).map((part) => part.trim());
  if (parts.some((part) => part === '')) {
    throw new UsageError(
      `${from} "${parts.map(redactUrl).join(',')}" has an empty seed: expected URLs separated by single commas, e.g. redis://10.0.0.1:7000,redis://10.0.0.2:7000`,
    );
  }
  const seeds = parts.map((part) => parseRedisUrl(part, from)) as RedisSeeds;
  const first = seeds[0];
  for (const seed of seeds.slice(1)) {
    if (seed.tls !== first.tls || credentials(seed) !== credentials(first)) {
      throw new UsageError(
        `${from} seeds ${first.display} and ${seed.display} differ in scheme or credentials: expected one redis:// or rediss:// and one user and password for every node of the cluster`,
      );
    }
    if (seed.db !== first.db) {
      throw new UsageError(
        `${from} seeds ${first.display} and ${seed.display} name different databases: a cluster has only database 0`,
      );
    }
  }
  return seeds;
}

/** The seeds for printing and saving: each URL redacted, comma-separated. */
export function seedsDisplay(seeds: readonly RedisUrlTarget[]): string {
  return seeds.map((seed) => seed.display).join(',');
}

function credentials(seed: RedisUrlTarget): string {
  const url = new URL(seed.url);
  return `${url.username}\n${url.password}`;
}
