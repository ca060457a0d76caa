import { describe, expect, it } from 'vitest';
import {
  checkSourcePool,
  parseSourceUrl,
  redactSourceUrl,
  resolveSourceTarget,
  type SourceTarget,
} from '../../src/config/sourceUrl.ts';
import { UsageError } from '../../src/errors.ts';

const SECRET = 'p@ss w/rd#1';

/** The UsageError `parse` throws; fails the test if it throws nothing or something else. */
function usageError(parse: () => unknown): UsageError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

const parse = (raw: string): SourceTarget => parseSourceUrl(raw, '--source');

describe('parseSourceUrl', () => {
  it('takes sqlite, sqlite:path, mysql:// and postgres:// (and postgresql://)', () => {
    expect(parse('sqlite')).toEqual({ kind: 'sqlite', path: ':memory:', display: 'sqlite' });
    expect(parse('sqlite:data/products.db')).toEqual({
      kind: 'sqlite',
      path: 'data/products.db',
      display: 'sqlite:data/products.db',
    });
    expect(parse('mysql://root:pw@db.internal:3307/shop')).toEqual({
      kind: 'mysql',
      url: 'mysql://root:pw@db.internal:3307/shop',
      display: 'mysql://root:***@db.internal:3307/shop',
      host: 'db.internal',
      port: 3307,
      user: 'root',
      password: 'pw',
      database: 'shop',
      from: '--source',
    });
    expect(parse('postgresql://app@127.0.0.1/test')).toMatchObject({
      kind: 'postgres',
      port: 5432,
      password: '',
      display: 'postgres://app@127.0.0.1:5432/test',
    });
    expect(parse('mysql://root@[::1]/test')).toMatchObject({
      host: '::1',
      port: 3306,
      display: 'mysql://root@[::1]:3306/test',
    });
  });

  it('decodes a percent-encoded user, password and database, and shows none of the password', () => {
    const target = parse(`postgres://u%40x:${encodeURIComponent(SECRET)}@h:5433/my%20db`);
    expect(target).toMatchObject({ user: 'u@x', password: SECRET, database: 'my db', port: 5433 });
    expect(target.display).toBe('postgres://u%40x:***@h:5433/my%20db');
  });

  it.each([
    ['', /is not a source URL/],
    ['localhost:3306', /is not a source URL/],
    ['mysql:/root@h/db', /is not a source URL/],
    ['redis://h:6379/0', /has scheme "redis"/],
    ['mariadb://root@h/db', /has scheme "mariadb"/],
    ['sqlite:', /names no file/],
    ['sqlite:///tmp/x.db', /is a URL: expected a file path/],
    ['mysql://root@:3306/db', /is not a valid URL|has no host/],
    ['mysql://root@h:99999/db', /is not a valid URL/],
    ['mysql://root@h:0/db', /has port 0/],
    ['mysql://h:3306/db', /names no user/],
    ['mysql://root@h:3306', /names no database/],
    ['mysql://root@h:3306/a/b', /names no database/],
    ['postgres://root@h/db?sslmode=require', /has a query or fragment/],
    ['mysql://root:%E0%A4%A@h/db', /malformed %-escape/],
  ])('refuses %j with one line naming what was expected', (raw, problem) => {
    const error = usageError(() => parse(raw));
    expect(error.message).toMatch(problem);
    expect(error.message).toMatch(/expected/);
    expect(error.message).not.toContain('\n');
    expect(error.exitCode).toBe(2);
  });

  it.each([
    `mysql://root:${SECRET}@h:3306/db`,
    `mysql://root:${SECRET}@h:3306/db?x=1`,
    `postgres://root:${SECRET}@h:notaport/db`,
    `ftp://root:${SECRET}@h/db`,
  ])('never echoes the password of a URL it refuses: %j', (raw) => {
    const error = usageError(() => parse(raw));
    for (const part of ['p@ss', 'w/rd', 'rd#1']) expect(error.message).not.toContain(part);
    expect(error.message).toContain('root:***@');
  });
});

describe('resolveSourceTarget', () => {
  it('prefers --source, then SOURCE_URL, then in-memory SQLite; an empty variable is unset', () => {
    const env = { SOURCE_URL: 'postgres://u@envhost/db' };
    expect(resolveSourceTarget('mysql://u@flaghost/db', env)).toMatchObject({ host: 'flaghost', from: '--source' });
    expect(resolveSourceTarget(undefined, env)).toMatchObject({ host: 'envhost', from: 'SOURCE_URL' });
    expect(resolveSourceTarget(undefined, { SOURCE_URL: '' })).toEqual({
      kind: 'sqlite',
      path: ':memory:',
      display: 'sqlite',
    });
    expect(usageError(() => resolveSourceTarget(undefined, { SOURCE_URL: 'nope' })).message).toMatch(
      /^SOURCE_URL "nope"/,
    );
  });
});

describe('redactSourceUrl', () => {
  it('hides everything between user: and the last @, and leaves URLs without a password alone', () => {
    expect(redactSourceUrl(`mysql://root:${SECRET}@h/db`)).toBe('mysql://root:***@h/db');
    expect(redactSourceUrl('mysql://root@h:3306/db')).toBe('mysql://root@h:3306/db');
    expect(redactSourceUrl('sqlite:x.db')).toBe('sqlite:x.db');
  });
});

describe('checkSourcePool', () => {
  it('takes whole numbers from 1 to 1000', () => {
    expect(() => checkSourcePool(1)).not.toThrow();
    expect(() => checkSourcePool(1000)).not.toThrow();
    for (const bad of [0, -1, 2.5, 1001, Number.NaN]) expect(usageError(() => checkSourcePool(bad)).exitCode).toBe(2);
  });
});
