/**
 * What the shared driver suite needs from each database, through the test's
 * own admin connection: run a statement, tell whether a table exists, count
 * and cut a run's connections, make a user's table. MariaDB has no
 * performance_schema here, so a run's connections are told apart by a
 * throwaway user (dropped after the file); PostgreSQL names the run in
 * application_name.
 */
import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import { afterAll } from 'vitest';
import { checksum, MARIADB_URL, mariadbAdmin, POSTGRES_URL, postgresAdmin, testRunId } from './databases.ts';

export interface Isolated {
  /** A URL (with a password) whose connections `connections` counts and `cut` kills. */
  url: string;
  runId: string;
  connections(): Promise<{ open: number; busy: number }>;
  cut(): Promise<void>;
}

export interface DbFixture {
  name: 'MariaDB' | 'PostgreSQL';
  url: string;
  query(sql: string): Promise<Record<string, unknown>[]>;
  tableExists(table: string): Promise<boolean>;
  /** Whether a seed of `table` has started: MariaDB's CREATE commits at once, PostgreSQL's only with the rows. */
  seeding(table: string): Promise<boolean>;
  isolated(): Promise<Isolated>;
  /** An SQL expression that sleeps this many seconds. */
  sleep(seconds: number): string;
  /** An SQL expression for the session's read-only flag, and its value when read-only. */
  readOnly: { expr: string; on: unknown };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function hex(): string {
  return randomBytes(4).toString('hex');
}

export async function mariadbFixture(): Promise<DbFixture> {
  const admin = await mariadbAdmin();
  const query = async (sql: string) => (await admin.query(sql))[0] as Record<string, unknown>[];
  const tableExists = async (table: string) =>
    (await query(`SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME = '${table}'`))
      .length > 0;
  return {
    name: 'MariaDB',
    url: MARIADB_URL,
    query,
    tableExists,
    seeding: tableExists,
    async isolated() {
      const { user, password } = await throwawayMariadbUser(admin);
      const processes = `FROM information_schema.PROCESSLIST WHERE USER = '${user}'`;
      return {
        url: `mysql://${user}:${password}@127.0.0.1:3306/test`,
        runId: testRunId(),
        async connections() {
          const [row] = await query(`SELECT COUNT(*) AS open, COUNT(NULLIF(COMMAND, 'Sleep')) AS busy ${processes}`);
          return { open: Number(row?.open), busy: Number(row?.busy) };
        },
        async cut() {
          for (const row of await query(`SELECT ID AS id ${processes}`)) await query(`KILL ${Number(row.id)}`);
        },
      };
    },
    sleep: (seconds) => `SLEEP(${seconds})`,
    readOnly: { expr: '@@tx_read_only', on: 1 },
  };
}

/** A login of its own with a password, allowed everything on `test` only; dropped after the file. */
export async function throwawayMariadbUser(admin: mysql.Connection): Promise<{ user: string; password: string }> {
  const user = `cab_t_${hex()}`;
  const password = `pw-${hex()}-${hex()}`;
  await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
  cleanups.push(() => admin.query(`DROP USER IF EXISTS '${user}'@'%'`));
  await admin.query(`GRANT ALL ON test.* TO '${user}'@'%'`);
  return { user, password };
}

export async function postgresFixture(): Promise<DbFixture> {
  const admin: pg.Client = await postgresAdmin();
  const query = async (sql: string) => (await admin.query(sql)).rows as Record<string, unknown>[];
  return {
    name: 'PostgreSQL',
    url: POSTGRES_URL,
    query,
    async tableExists(table) {
      return (await query(`SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = '${table}'`)).length > 0;
    },
    async seeding(table) {
      return (await query(`SELECT 1 FROM pg_stat_activity WHERE query LIKE 'INSERT INTO ${table} %'`)).length > 0;
    },
    async isolated() {
      const runId = testRunId();
      const processes = `FROM pg_stat_activity WHERE application_name = 'cache-aside-bench:${runId}'`;
      return {
        // Trust authentication ignores the password; it is here so that tests can check it never shows.
        url: `postgres://postgres:pw-${hex()}-${hex()}@127.0.0.1:5432/test`,
        runId,
        async connections() {
          const [row] = await query(
            `SELECT COUNT(*) AS open, COUNT(*) FILTER (WHERE state = 'active') AS busy ${processes}`,
          );
          return { open: Number(row?.open), busy: Number(row?.busy) };
        },
        async cut() {
          await query(`SELECT pg_terminate_backend(pid) ${processes}`);
        },
      };
    },
    sleep: (seconds) => `pg_sleep(${seconds})`,
    readOnly: { expr: "current_setting('transaction_read_only')", on: 'on' },
  };
}

export interface UserTable {
  name: string;
  /** The ids it holds, ascending. */
  ids: number[];
  /** Row count and a digest of every row, read by the admin connection. */
  state(): Promise<{ rows: number; checksum: string }>;
}

/**
 * A table of the user's, in the same database as the run's: ids 10, 20, …,
 * 500, no `version` column unless asked. Dropped after the file.
 */
export async function userTable(db: DbFixture, options: { version?: boolean } = {}): Promise<UserTable> {
  const name = `usr_${hex()}_orders`;
  const ids = Array.from({ length: 50 }, (_, i) => (i + 1) * 10);
  await db.query(
    `CREATE TABLE ${name} (id INT PRIMARY KEY, sku VARCHAR(32) NOT NULL, qty INT NOT NULL${options.version ? ', version INT NOT NULL' : ''})`,
  );
  cleanups.push(() => db.query(`DROP TABLE IF EXISTS ${name}`));
  const values = ids.map((id) => `(${id}, 'sku-${id}', ${id % 7}${options.version ? `, ${id / 10}` : ''})`);
  await db.query(`INSERT INTO ${name} VALUES ${values.join(', ')}`);
  return {
    name,
    ids,
    async state() {
      const rows = await db.query(`SELECT * FROM ${name} ORDER BY id`);
      return { rows: rows.length, checksum: checksum(rows.map((r) => ({ ...r }))) };
    },
  };
}
