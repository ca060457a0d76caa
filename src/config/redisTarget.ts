/**
 * Where the harness finds Redis: `--redis-url`, else `REDIS_URL`, else the
 * seed's `REDIS_HOST`/`REDIS_PORT`/`REDIS_DB`/`REDIS_USERNAME`/`REDIS_PASSWORD`
 * /`REDIS_TLS`, else a throwaway `redis-server` started for the run.
 */
import { UsageError } from '../errors.ts';

export interface RedisUrlTarget {
  kind: 'url';
  /** The full URL with credentials: handed to node-redis, never printed. */
  url: string;
  /** The same URL with the password replaced by `***`: safe to print and save. */
  display: string;
  host: string;
  port: number;
  db: number;
  tls: boolean;
  from: '--redis-url' | 'REDIS_URL' | 'REDIS_HOST';
}

export type RedisTarget = RedisUrlTarget | { kind: 'throwaway' };

const ENV_KEYS = ['REDIS_HOST', 'REDIS_PORT', 'REDIS_DB', 'REDIS_USERNAME', 'REDIS_PASSWORD', 'REDIS_TLS'] as const;

export function resolveRedisTarget(flagUrl: string | undefined, env: NodeJS.ProcessEnv): RedisTarget {
  if (flagUrl !== undefined) return parseRedisUrl(flagUrl, '--redis-url');
  const envUrl = env.REDIS_URL;
  if (envUrl !== undefined && envUrl !== '') return parseRedisUrl(envUrl, 'REDIS_URL');
  if (!ENV_KEYS.some((k) => env[k] !== undefined && env[k] !== '')) return { kind: 'throwaway' };

  const host = env.REDIS_HOST || '127.0.0.1';
  // A colon outside [IPv6] brackets would make the URL's hostname setter keep its placeholder silently.
  if (/[\s/@?#]/.test(host) || (host.includes(':') && !/^\[[0-9a-f:.]+\]$/i.test(host)))
    throw new UsageError(
      `REDIS_HOST "${host}" is not a host name: expected a host such as 127.0.0.1 or [::1] (the port goes in REDIS_PORT)`,
    );
  const port = parseIntEnv(env, 'REDIS_PORT', 6379, 1, 65535);
  const db = parseIntEnv(env, 'REDIS_DB', 0, 0, 2 ** 31 - 1);
  const tls = parseBoolEnv(env, 'REDIS_TLS');
  const url = new URL(`${tls ? 'rediss' : 'redis'}://placeholder`);
  url.hostname = host;
  url.port = String(port);
  url.pathname = `/${db}`;
  if (env.REDIS_USERNAME) url.username = env.REDIS_USERNAME;
  if (env.REDIS_PASSWORD) url.password = env.REDIS_PASSWORD;
  return {
    kind: 'url',
    url: url.toString(),
    display: redactUrl(url.toString()),
    host,
    port,
    db,
    tls,
    from: 'REDIS_HOST',
  };
}

export function parseRedisUrl(raw: string, from: RedisUrlTarget['from']): RedisUrlTarget {
  const shown = redactUrl(raw);
  const expected = 'expected redis://[user[:password]@]host[:port][/db] or rediss://…';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${from} "${shown}" is not a URL: ${expected}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UsageError(`${from} "${shown}" has scheme "${url.protocol.replace(/:$/, '')}": ${expected}`);
  }
  if (url.hostname === '') throw new UsageError(`${from} "${shown}" has no host: ${expected}`);
  const port = url.port === '' ? 6379 : Number(url.port);
  if (port === 0) throw new UsageError(`${from} "${shown}" has port 0: expected a port from 1 to 65535`);
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,10}$/.test(dbText)) {
    throw new UsageError(`${from} "${shown}" names database "${dbText}": expected a database number such as /0`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new UsageError(`${from} "${shown}" has a query or fragment: ${expected}`);
  }
  return {
    kind: 'url',
    url: raw,
    display: shown,
    host: url.hostname,
    port,
    db: dbText === '' ? 0 : Number(dbText),
    tls: url.protocol === 'rediss:',
    from,
  };
}

/** Replace the password of any URL-ish string with `***`; leaves text without one untouched. */
export function redactUrl(text: string): string {
  // Up to the last `@` of the token: a password may hold a raw `@` (URL parsing takes the last one).
  return text.replace(/(\w+:\/\/[^:/@\s]*:)\S*@/g, '$1***@');
}

function parseIntEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`${name} "${raw}" is not valid: expected a whole number from ${min} to ${max}`);
  }
  return value;
}

function parseBoolEnv(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(raw)) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  throw new UsageError(`${name} "${env[name]}" is not valid: expected true or false`);
}
