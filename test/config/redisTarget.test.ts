import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redactUrl, resolveRedisTarget } from '../../src/config/redisTarget.ts';
import { UsageError } from '../../src/errors.ts';

const SECRET = 's3cr3t-pw';

/** The UsageError `resolve` throws; fails the test if it throws nothing or something else. */
function usageError(resolve: () => unknown): UsageError {
  try {
    resolve();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('resolveRedisTarget precedence', () => {
  const hostEnv = { REDIS_HOST: 'envhost' };
  const urlEnv = { ...hostEnv, REDIS_URL: 'redis://urlhost:6380/1' };

  it('prefers the flag, then REDIS_URL, then REDIS_HOST…, then a throwaway server', () => {
    expect(resolveRedisTarget('redis://flaghost:6381', urlEnv)).toMatchObject({
      host: 'flaghost',
      from: '--redis-url',
    });
    expect(resolveRedisTarget(undefined, urlEnv)).toMatchObject({
      host: 'urlhost',
      port: 6380,
      db: 1,
      from: 'REDIS_URL',
    });
    expect(resolveRedisTarget(undefined, hostEnv)).toMatchObject({ host: 'envhost', from: 'REDIS_HOST' });
    expect(resolveRedisTarget(undefined, {})).toEqual({ kind: 'throwaway' });
  });

  it('treats empty variables as unset', () => {
    expect(resolveRedisTarget(undefined, { REDIS_URL: '', REDIS_HOST: '', REDIS_PORT: '' })).toEqual({
      kind: 'throwaway',
    });
    expect(resolveRedisTarget(undefined, { REDIS_URL: '', ...hostEnv })).toMatchObject({ from: 'REDIS_HOST' });
  });
});

describe('REDIS_HOST family', () => {
  it('builds the URL from host, port, db, user and password', () => {
    const target = resolveRedisTarget(undefined, {
      REDIS_HOST: 'cache.internal',
      REDIS_PORT: '6390',
      REDIS_DB: '3',
      REDIS_USERNAME: 'bench',
      REDIS_PASSWORD: SECRET,
    });
    expect(target).toMatchObject({
      kind: 'url',
      url: `redis://bench:${SECRET}@cache.internal:6390/3`,
      display: 'redis://bench:***@cache.internal:6390/3',
      host: 'cache.internal',
      port: 6390,
      db: 3,
      tls: false,
    });
  });

  it('defaults the host to 127.0.0.1, port 6379 and db 0 when only some are set', () => {
    expect(resolveRedisTarget(undefined, { REDIS_PASSWORD: SECRET })).toMatchObject({
      url: `redis://:${SECRET}@127.0.0.1:6379/0`,
      display: 'redis://:***@127.0.0.1:6379/0',
    });
  });

  it('uses rediss when REDIS_TLS=true', () => {
    for (const value of ['true', '1', 'yes', 'TRUE']) {
      const target = resolveRedisTarget(undefined, { REDIS_HOST: 'h', REDIS_TLS: value });
      expect(target).toMatchObject({ tls: true, url: 'rediss://h:6379/0' });
    }
    expect(resolveRedisTarget(undefined, { REDIS_HOST: 'h', REDIS_TLS: 'false' })).toMatchObject({ tls: false });
  });

  it('percent-encodes a password with URL characters, and never shows it', () => {
    const password = 'p@ss:w/rd';
    const target = resolveRedisTarget(undefined, { REDIS_HOST: 'h', REDIS_PASSWORD: password });
    if (target.kind !== 'url') throw new Error('expected a URL target');
    expect(decodeURIComponent(new URL(target.url).password)).toBe(password);
    expect(target.display).toBe('redis://:***@h:6379/0');
  });

  it.each([
    ['REDIS_PORT', 'abc', /REDIS_PORT "abc".*whole number from 1 to 65535/],
    ['REDIS_PORT', '0', /REDIS_PORT "0".*from 1 to 65535/],
    ['REDIS_PORT', '70000', /REDIS_PORT "70000".*from 1 to 65535/],
    ['REDIS_DB', '-1', /REDIS_DB "-1".*whole number from 0/],
    ['REDIS_TLS', 'maybe', /REDIS_TLS "maybe".*true or false/],
    ['REDIS_HOST', 'bad host', /REDIS_HOST "bad host".*expected a host/],
    ['REDIS_HOST', 'cache:6380', /REDIS_HOST "cache:6380".*expected a host.*REDIS_PORT/],
    ['REDIS_HOST', '::1', /REDIS_HOST "::1".*\[::1\]/],
  ])('rejects %s=%s naming the value and what was expected', (name, value, message) => {
    const error = usageError(() => resolveRedisTarget(undefined, { REDIS_PASSWORD: SECRET, [name]: value }));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(SECRET);
  });

  it('accepts a bracketed IPv6 host', () => {
    expect(resolveRedisTarget(undefined, { REDIS_HOST: '[::1]' })).toMatchObject({ url: 'redis://[::1]:6379/0' });
  });
});

describe('REDIS_URL and --redis-url', () => {
  it('parses host, port, db and TLS', () => {
    expect(parseRedisUrl('rediss://h.example:6390/2', 'REDIS_URL')).toMatchObject({
      host: 'h.example',
      port: 6390,
      db: 2,
      tls: true,
    });
    expect(parseRedisUrl('redis://h', 'REDIS_URL')).toMatchObject({ port: 6379, db: 0, tls: false });
  });

  it.each([
    ['not a url', /is not a URL: expected redis:\/\//],
    [`http://u:${SECRET}@h/0`, /has scheme "http": expected redis:\/\//],
    [`redis://u:${SECRET}@h:99999/0`, /is not a URL/],
    [`redis://u:${SECRET}@h:0/0`, /port 0: expected a port from 1 to 65535/],
    [`redis://u:${SECRET}@h/abc`, /database "abc": expected a database number/],
    [`redis://u:${SECRET}@h/0?tls=1`, /query or fragment/],
    [`redis://u:${SECRET}/x@h/0`, /is not a URL/],
  ])('rejects %s naming it and what was expected, password hidden', (raw, message) => {
    const error = usageError(() => resolveRedisTarget(undefined, { REDIS_URL: raw }));
    expect(error.message).toMatch(message);
    expect(error.message).toContain('REDIS_URL "');
    expect(error.message).not.toContain(SECRET);
  });

  it('names the flag when the flag is bad', () => {
    expect(usageError(() => resolveRedisTarget('redis://', {})).message).toMatch(/^--redis-url "redis:\/\/"/);
  });
});

describe('redactUrl', () => {
  it('hides the password in display and keeps the rest', () => {
    const target = parseRedisUrl(`redis://bench:${SECRET}@h:6379/0`, 'REDIS_URL');
    expect(target.url).toContain(SECRET);
    expect(target.display).toBe('redis://bench:***@h:6379/0');
    expect(redactUrl(`redis://:${SECRET}@h`)).toBe('redis://:***@h');
  });

  it('hides a password that contains a raw @', () => {
    const target = parseRedisUrl('redis://u:p@ss@h:6379/0', 'REDIS_URL');
    expect(target.host).toBe('h');
    expect(target.display).toBe('redis://u:***@h:6379/0');
  });

  it('leaves text without a password untouched', () => {
    expect(redactUrl('redis://h:6379/0')).toBe('redis://h:6379/0');
    expect(redactUrl('redis://user@h:6379')).toBe('redis://user@h:6379');
    expect(redactUrl('no url here')).toBe('no url here');
  });
});
