/**
 * Which database stands behind the cache: `--source URL`, else `SOURCE_URL`,
 * else the SQLite stand-in. `sqlite` (in memory), `sqlite:path/to/file.db`,
 * `mysql://user[:password]@host[:port]/database` (MySQL and MariaDB) or
 * `postgres://…` / `postgresql://…`. The password is kept for the driver and
 * never shown: `display` and every error carry `***` in its place.
 */
import { UsageError } from '../errors.ts';

/** `--source-pool` when not given: connections the pool may hold open and busy at once. */
export const DEFAULT_SOURCE_POOL = 10;

/** `--source-pool N`: refused unless a whole number from 1 to 1000. */
export function checkSourcePool(pool: number): void {
  if (!Number.isInteger(pool) || pool < 1 || pool > 1000) {
    throw new UsageError(`--source-pool ${pool} is not valid: expected a whole number from 1 to 1000`);
  }
}

export type SourceFrom = '--source' | 'SOURCE_URL';

export interface SqliteTarget {
  kind: 'sqlite';
  /** A file path, or `:memory:`. */
  path: string;
  display: string;
}

export interface DatabaseTarget {
  kind: 'mysql' | 'postgres';
  /** The URL as given, with the password: never printed. */
  url: string;
  /** Normalised and redacted: safe to print and save. */
  display: string;
  /** Without IPv6 brackets, as the drivers take it. */
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  from: SourceFrom;
}

export type SourceTarget = SqliteTarget | DatabaseTarget;

const EXPECTED =
  'expected sqlite, sqlite:path/to/file.db, mysql://user[:password]@host[:port]/database or postgres://user[:password]@host[:port]/database';
const DEFAULT_PORT = { mysql: 3306, postgres: 5432 } as const;

export function resolveSourceTarget(flag: string | undefined, env: NodeJS.ProcessEnv): SourceTarget {
  if (flag !== undefined) return parseSourceUrl(flag, '--source');
  const fromEnv = env.SOURCE_URL;
  if (fromEnv !== undefined && fromEnv !== '') return parseSourceUrl(fromEnv, 'SOURCE_URL');
  return { kind: 'sqlite', path: ':memory:', display: 'sqlite' };
}

export function parseSourceUrl(raw: string, from: SourceFrom): SourceTarget {
  const shown = redactSourceUrl(raw);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (raw.toLowerCase() === 'sqlite') return { kind: 'sqlite', path: ':memory:', display: 'sqlite' };
  if (scheme === 'sqlite') {
    const path = raw.slice('sqlite:'.length);
    if (path === '') throw new UsageError(`${from} "${shown}" names no file: ${EXPECTED}`);
    if (path.startsWith('//')) {
      throw new UsageError(
        `${from} "${shown}" is a URL: expected a file path after sqlite:, as in sqlite:path/to/file.db`,
      );
    }
    return { kind: 'sqlite', path, display: `sqlite:${path}` };
  }
  if (scheme === undefined || !raw.slice(scheme.length + 1).startsWith('//')) {
    throw new UsageError(`${from} "${shown}" is not a source URL: ${EXPECTED}`);
  }
  const kind = scheme === 'mysql' ? 'mysql' : scheme === 'postgres' || scheme === 'postgresql' ? 'postgres' : null;
  if (kind === null) throw new UsageError(`${from} "${shown}" has scheme "${scheme}": ${EXPECTED}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${from} "${shown}" is not a valid URL: ${EXPECTED}`);
  }
  return databaseTarget(kind, url, raw, from, shown);
}

function databaseTarget(
  kind: DatabaseTarget['kind'],
  url: URL,
  raw: string,
  from: SourceFrom,
  shown: string,
): DatabaseTarget {
  const fail = (problem: string, expected = EXPECTED): never => {
    throw new UsageError(`${from} "${shown}" ${problem}: ${expected}`);
  };
  if (url.hostname === '') fail('has no host');
  if (url.search !== '' || url.hash !== '') fail('has a query or fragment (connection options are not supported)');
  const port = url.port === '' ? DEFAULT_PORT[kind] : Number(url.port);
  if (port === 0) fail('has port 0', 'expected a port from 1 to 65535');
  const user = decode(url.username, fail);
  const password = decode(url.password, fail);
  const database = decode(url.pathname.replace(/^\//, ''), fail);
  if (user === '') fail('names no user');
  if (database === '' || database.includes('/')) fail('names no database (one path segment)');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const display = `${kind === 'mysql' ? 'mysql' : 'postgres'}://${url.username}${url.password === '' ? '' : ':***'}@${url.hostname}:${port}/${url.pathname.slice(1)}`;
  return { kind, url: raw, display, host, port, user, password, database, from };
}

function decode(text: string, fail: (problem: string) => never): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail('has a malformed %-escape');
  }
}

/**
 * The password of a source URL replaced by `***`, also in a URL too broken to
 * parse: everything between `scheme://user:` and the last `@` goes, so a
 * password holding spaces, `/`, `#` or `@` never shows.
 */
export function redactSourceUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[\s\S]*@/i, '$1***@');
}
