/**
 * Memory sizes and eviction policies as Redis spells them, for `--maxmemory`,
 * `--maxmemory-policy` and the capacity suite's `--cache-sizes`. Sizes use
 * Redis's own units (redis.conf: 1k = 1000 bytes, 1kb = 1024 bytes, and so
 * on for m/mb and g/gb), so a value copied from a redis.conf means the same.
 */
import { fail } from './messages.ts';
import { parseList } from './values.ts';

export const MAXMEMORY_POLICIES = [
  'noeviction',
  'allkeys-lru',
  'volatile-lru',
  'allkeys-lfu',
  'volatile-lfu',
  'allkeys-random',
  'volatile-random',
  'volatile-ttl',
] as const;
export type MaxmemoryPolicy = (typeof MAXMEMORY_POLICIES)[number];

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 ** 2,
  mb: 1024 ** 2,
  g: 1000 ** 3,
  gb: 1024 ** 3,
};

/** Whole bytes of `1300kb`, `64mb`, `1g`, `5000`; undefined when it is not a size. */
export function readBytes(raw: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = UNITS[match?.[2]?.toLowerCase() ?? 'x'];
  if (!match || unit === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

export function parseBytes(label: string, raw: string): number {
  const bytes = readBytes(raw);
  if (bytes === undefined || bytes < 1) {
    return fail(label, raw, 'a size in bytes as redis.conf writes it, e.g. 1300kb, 64mb, 1gb (kb = 1024 bytes)');
  }
  return bytes;
}

/** The largest binary unit that divides it: 1331200 → `1300kb`; reads back with `readBytes`. */
export function formatBytes(bytes: number): string {
  for (const unit of ['gb', 'mb', 'kb'] as const) {
    const size = UNITS[unit] as number;
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** 1.3 MB, 412 kB: a measured size for a table (binary units, one decimal under 10). */
export function showBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '—';
  const [size, unit] =
    bytes >= 1024 ** 3 ? [1024 ** 3, 'GiB'] : bytes >= 1024 ** 2 ? [1024 ** 2, 'MiB'] : [1024, 'KiB'];
  const value = bytes / size;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

export function parsePolicy(label: string, raw: string): MaxmemoryPolicy {
  return (
    MAXMEMORY_POLICIES.find((p) => p === raw.trim()) ?? fail(label, raw, `one of ${MAXMEMORY_POLICIES.join(', ')}`)
  );
}

/** One cache size of the capacity suite: a share of the key space's bytes, or bytes. */
export type CacheSize = { pct: number } | { bytes: number };

export function parseCacheSizes(label: string, raw: string): CacheSize[] {
  const expected = 'a comma list of shares of the key space (10%, up to 1000%) or sizes (512kb, 4mb)';
  return parseList(label, raw, expected, (item): CacheSize | undefined => {
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(item);
    if (pct) {
      const value = Number(pct[1]);
      return value > 0 && value <= 1000 ? { pct: value } : undefined;
    }
    const bytes = readBytes(item);
    return bytes !== undefined && bytes >= 1 ? { bytes } : undefined;
  });
}

export function formatCacheSize(size: CacheSize): string {
  return 'pct' in size ? `${size.pct}%` : formatBytes(size.bytes);
}

/** Policies under which Redis evicts by (sampled) recency: Che's approximation applies. */
export function isLruPolicy(policy: string | null | undefined): boolean {
  return policy === 'allkeys-lru' || policy === 'volatile-lru';
}
