/** Memory sizes in redis.conf's units, eviction policies and the capacity suite's sizes. */
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCacheSize,
  parseBytes,
  parseCacheSizes,
  parsePolicy,
  readBytes,
} from '../../src/config/memory.ts';

describe('sizes', () => {
  it("reads redis.conf's units: k = 1000, kb = 1024, and so on", () => {
    expect(readBytes('1300kb')).toBe(1_331_200);
    expect(readBytes('1k')).toBe(1000);
    expect(readBytes('64mb')).toBe(64 * 1024 ** 2);
    expect(readBytes('2m')).toBe(2_000_000);
    expect(readBytes('1GB')).toBe(1024 ** 3);
    expect(readBytes('5000')).toBe(5000);
    expect(readBytes('1.5mb')).toBe(1_572_864);
    expect(readBytes('12 pb')).toBeUndefined();
    expect(readBytes('-1mb')).toBeUndefined();
  });

  it('formats back to text that reads the same', () => {
    for (const bytes of [1_331_200, 64 * 1024 ** 2, 1024 ** 3, 5000, 1_000_000]) {
      expect(readBytes(formatBytes(bytes))).toBe(bytes);
    }
    expect(formatBytes(1_331_200)).toBe('1300kb');
  });

  it('refuses a size that is not one, in one line naming the flag', () => {
    expect(() => parseBytes('--maxmemory', 'lots')).toThrow(
      /^--maxmemory "lots": expected a size in bytes as redis.conf writes it/,
    );
    expect(() => parseBytes('--maxmemory', '0')).toThrow(/--maxmemory "0"/);
  });
});

describe('policies and cache sizes', () => {
  it('takes the policies Redis has, and nothing else', () => {
    expect(parsePolicy('--maxmemory-policy', 'allkeys-lfu')).toBe('allkeys-lfu');
    expect(() => parsePolicy('--maxmemory-policy', 'lru')).toThrow(/expected one of noeviction, allkeys-lru/);
  });

  it('reads shares of the key space and sizes, in order, without duplicates', () => {
    const sizes = parseCacheSizes('--cache-sizes', '10%,25%,4mb');
    expect(sizes).toEqual([{ pct: 10 }, { pct: 25 }, { bytes: 4 * 1024 ** 2 }]);
    expect(sizes.map(formatCacheSize).join(',')).toBe('10%,25%,4mb');
    expect(() => parseCacheSizes('--cache-sizes', '10%,10%')).toThrow(/given twice/);
    expect(() => parseCacheSizes('--cache-sizes', '0%')).toThrow(/0% is not one/);
  });
});
