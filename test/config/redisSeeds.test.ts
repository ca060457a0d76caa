import { describe, expect, it } from 'vitest';
import { parseRedisSeeds, seedsDisplay } from '../../src/config/redisSeeds.ts';
import { parseRedisUrl } from '../../src/config/redisTarget.ts';
import { UsageError } from '../../src/errors.ts';

const SECRET = 's3cr3t,pw';

describe('parseRedisSeeds', () => {
  it('reads a single URL exactly as parseRedisUrl does, a comma in its password included', () => {
    for (const url of ['redis://127.0.0.1:6380/2', `redis://u:${SECRET}@host:7000`, 'rediss://h']) {
      expect(parseRedisSeeds(url, 'REDIS_URL')).toEqual([parseRedisUrl(url, 'REDIS_URL')]);
    }
  });

  it('reads several comma-separated seeds in order, redacted for display', () => {
    const seeds = parseRedisSeeds(`redis://u:${SECRET}@a:7000, redis://u:${SECRET}@b:7001`, '--redis-url');
    expect(seeds.map((seed) => [seed.host, seed.port])).toEqual([
      ['a', 7000],
      ['b', 7001],
    ]);
    expect(seedsDisplay(seeds)).toBe('redis://u:***@a:7000,redis://u:***@b:7001');
  });

  it('refuses empty seeds and seeds that disagree on TLS, credentials or database, without the password', () => {
    const bad = [
      'redis://a:7000,,redis://b:7001',
      'redis://a:7000,',
      `redis://u:${SECRET}@a:7000,rediss://u:${SECRET}@b:7001`,
      `redis://u:${SECRET}@a:7000,redis://v:${SECRET}@b:7001`,
      `redis://u:${SECRET}@a:7000,redis://b:7001`,
      'redis://a:7000/1,redis://b:7001/2',
      'redis://a:7000,http://b:7001',
    ];
    for (const raw of bad) {
      let error: unknown;
      try {
        parseRedisSeeds(raw, '--redis-url');
      } catch (caught) {
        error = caught;
      }
      expect(error, raw).toBeInstanceOf(UsageError);
      expect((error as Error).message).not.toContain('s3cr3t');
      expect((error as Error).message.split('\n')).toHaveLength(1);
    }
  });
});
