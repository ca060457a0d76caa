/**
 * The machine's MariaDB (127.0.0.1:3306, root, no password, database `test`)
 * and PostgreSQL (127.0.0.1:5432, postgres, trust, database `test`) for the
 * source tests. A test file that needs one fails at once, saying how to start
 * it, when it is not running: nothing is skipped. Every driver a test opens
 * is closed (dropping its table) after the file's tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll } from 'vitest';
import { type DatabaseTarget, parseSourceUrl } from '../../src/config/sourceUrl.ts';
import type { DatabaseDriverOptions } from '../../src/source/databaseDriver.ts';
import { openDatabaseSource } from '../../src/source/databaseSource.ts';
import type { SourceDriver, SourceRow } from '../../src/source/driver.ts';
import { SqliteDriver } from '../../src/source/sqliteDriver.ts';

export const MARIADB_URL = 'mysql://root@127.0.0.1:3306/test';
export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

const HOW_TO_START = {
  mysql:
    'start it with `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd` (bash .ci/run does)',
  postgres:
    'start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (bash .ci/run does)',
};

export function target(url: string): DatabaseTarget {
  const parsed = parseSourceUrl(url, '--source');
  if (parsed.kind === 'sqlite') throw new Error(`${url} is not a database URL`);
  return parsed;
}

/** A fresh run id, as the run's Redis prefix would carry. */
export function testRunId(): string {
  return randomBytes(4).toString('hex');
}

const drivers: SourceDriver[] = [];
const closers: (() => Promise<unknown>)[] = [];

// Registered when a test file imports this helper (vitest drops an afterAll registered inside a test).
afterAll(async () => {
  for (const driver of drivers.splice(0)) await driver.close();
  for (const close of closers.splice(0)) await close().catch(() => undefined);
});

/** Opens a driver that is closed after the file's tests (if the test has not closed it). */
export async function openTracked(url: string, options: Partial<DatabaseDriverOptions> = {}): Promise<SourceDriver> {
  const driver = await openDatabaseSource(target(url), { pool: 2, runId: testRunId(), ...options });
  drivers.push(driver);
  return driver;
}

/** The test's own view of MariaDB, beside the driver's; fails the file when the server is not running. */
export async function mariadbAdmin(url = MARIADB_URL): Promise<mysql.Connection> {
  const t = target(url);
  try {
    const conn = await mysql.createConnection({
      host: t.host,
      port: t.port,
      user: t.user,
      password: t.password,
      database: t.database,
      connectTimeout: 4000,
    });
    closers.push(() => conn.end());
    return conn;
  } catch (error) {
    throw notRunning('MariaDB', t, error, HOW_TO_START.mysql);
  }
}

/** The test's own view of PostgreSQL; fails the file when the server is not running. */
export async function postgresAdmin(url = POSTGRES_URL): Promise<pg.Client> {
  const t = target(url);
  const client = new pg.Client({ host: t.host, port: t.port, user: t.user, database: t.database });
  try {
    await client.connect();
  } catch (error) {
    throw notRunning('PostgreSQL', t, error, HOW_TO_START.postgres);
  }
  client.on('error', () => undefined);
  closers.push(() => client.end());
  return client;
}

function notRunning(name: string, t: DatabaseTarget, error: unknown, how: string): Error {
  const reason = (error as { code?: string }).code ?? (error as Error).message;
  return new Error(`${name} is not reachable at ${t.host}:${t.port} (${reason}): these tests need it; ${how}`);
}

/** Reads keys 1..count one after another. */
export async function readAll(driver: SourceDriver, count: number): Promise<(SourceRow | undefined)[]> {
  const rows: (SourceRow | undefined)[] = [];
  for (let id = 1; id <= count; id++) rows.push(await driver.read(id));
  return rows;
}

/** SqliteDriver's rows for the same seed: what every source must hold. */
export async function sqliteRows(count: number, seed: number): Promise<(SourceRow | undefined)[]> {
  const sqlite = new SqliteDriver();
  try {
    await sqlite.seed(count, seed);
    return await readAll(sqlite, count);
  } finally {
    await sqlite.close();
  }
}

/** A stable digest of rows read in id order: any changed value, added or removed row changes it. */
export function checksum(rows: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server that accepts connections and never says a word: a hung database. */
export async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  closers.push(close);
  return { port: (server.address() as { port: number }).port, close };
}

/** Calls `sample` every `everyMs` until `work` settles; returns the samples. */
export async function sampleWhile<T>(work: Promise<unknown>, sample: () => Promise<T>, everyMs = 20): Promise<T[]> {
  const samples: T[] = [];
  let done = false;
  const finished = work.finally(() => {
    done = true;
  });
  while (!done) {
    samples.push(await sample());
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  await finished;
  return samples;
}
