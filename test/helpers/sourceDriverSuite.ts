/**
 * The behaviour every database source must show, run against the real
 * server by mysql.test.ts and postgres.test.ts: identical seeded rows, the
 * owned table dropped on every exit path and no other table touched, the
 * read-only mode, the pool bound, the server's own read count, and coded
 * one-line errors that never echo the password.
 */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { SourceError, SourceUnreachableError, UsageError } from '../../src/errors.ts';
import { dropRunTables, openDatabaseSource } from '../../src/source/databaseSource.ts';
import { ROOT } from './cli.ts';
import {
  closedPort,
  openTracked,
  readAll,
  sampleWhile,
  silentServer,
  sqliteRows,
  target,
  testRunId,
} from './databases.ts';
import { type DbFixture, type Isolated, userTable } from './dbFixtures.ts';

/** `work`'s rejection, which must be an instance of `type`. */
export async function rejection<T>(work: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

/** A coded error a user would see: one line, naming where, never the password. */
export function expectOneLine(error: Error, where: string, password: string): void {
  expect(error.message).toContain(where);
  expect(error.message).not.toContain('\n');
  if (password !== '') expect(error.message).not.toContain(password);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

export function sourceDriverSuite(fixture: () => Promise<DbFixture>): void {
  let db: DbFixture;
  let iso: Isolated;
  beforeAll(async () => {
    db = await fixture();
    iso = await db.isolated();
  });
  const password = () => target(iso.url).password;

  describe('the owned table', () => {
    it('seeds deterministically: same seed, same rows, the same as SQLite; another seed, other rows', async () => {
      const [a, b, c] = await Promise.all([openTracked(db.url), openTracked(db.url), openTracked(db.url)]);
      expect(await a.seed(300, 7)).toMatchObject({ rows: 300 });
      await b.seed(300, 7);
      await c.seed(300, 8);
      const rows = await readAll(a, 300);
      expect(a.keys()).toBe(300);
      expect(rows).toEqual(await sqliteRows(300, 7));
      expect(await readAll(b, 300)).toEqual(rows);
      expect(await readAll(c, 300)).not.toEqual(rows);
    });

    it('reads by primary key and updates bump version, stock and updated_at', async () => {
      const driver = await openTracked(db.url);
      await driver.seed(20, 1);
      const before = await driver.read(5);
      const after = await driver.update(5, 1_234_567);
      expect(after).toEqual({ ...before, version: 2, stock: Number(before?.stock) - 1, updated_at: 1_234_567 });
      expect(await driver.read(5)).toEqual(after);
      expect(await driver.read(21)).toBeUndefined();
      expect(await driver.update(21, 1)).toBeUndefined();
    });

    it('close() drops the owned table, is idempotent, and later reads fail with SourceError', async () => {
      const driver = await openTracked(db.url);
      await driver.seed(10, 1);
      const table = driver.table as string;
      expect(table).toMatch(/^cab_[0-9a-f]{8}_products$/);
      expect(await db.tableExists(table)).toBe(true);
      expect(await driver.close()).toEqual({ droppedTable: table });
      expect(await db.tableExists(table)).toBe(false);
      expect(await driver.close()).toEqual({ droppedTable: null });
      await rejection(driver.read(1), SourceError);
    });

    it('close() while seeding (Ctrl-C) stops the seed and drops the table', async () => {
      const driver = await openTracked(db.url);
      // Its rejection is expected as soon as close() runs: the check is attached at once.
      const seeding = rejection(driver.seed(300_000, 1), SourceError);
      const table = driver.table as string;
      await until(() => db.seeding(table), `the seed of ${table} to start`);
      expect(await driver.close()).toEqual({ droppedTable: table });
      await seeding;
      expect(await db.tableExists(table)).toBe(false);
    });

    it('after a failure (a read the server rejects, connections cut) close() still drops the table', async () => {
      const driver = await openTracked(iso.url, { runId: iso.runId });
      await driver.seed(10, 1);
      const table = driver.table as string;
      await db.query(`ALTER TABLE ${table} DROP COLUMN stock`);
      const error = await rejection(driver.read(1), SourceError);
      expect(error.exitCode).toBe(1);
      expectOneLine(error, '127.0.0.1:', password());
      await iso.cut();
      expect(await driver.close()).toEqual({ droppedTable: table });
      expect(await db.tableExists(table)).toBe(false);
    });

    it('after a crash, dropRunTables removes the dead run’s tables and no other', async () => {
      const runId = testRunId();
      const decoys = [`cab_${runId}0_products`, `cabz${runId}zkeep`];
      for (const decoy of decoys) await db.query(`CREATE TABLE ${decoy} (id INT PRIMARY KEY)`);
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/seedAndWait.ts', db.url, runId], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const seeded = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => resolve(String(chunk)));
        child.on('exit', (code) => reject(new Error(`seedAndWait exited with ${code}`)));
      });
      child.kill('SIGKILL');
      expect(seeded.trim()).toBe(`seeded cab_${runId}_products`);
      expect(await db.tableExists(`cab_${runId}_products`)).toBe(true);
      expect(await dropRunTables(target(db.url), runId)).toEqual([`cab_${runId}_products`]);
      expect(await db.tableExists(`cab_${runId}_products`)).toBe(false);
      for (const decoy of decoys) {
        expect(await db.tableExists(decoy)).toBe(true);
        await db.query(`DROP TABLE ${decoy}`);
      }
    });

    it('the server counts the same reads as the client', async () => {
      const driver = await openTracked(db.url, { pool: 4 });
      await driver.seed(500, 1);
      const before = await driver.serverReads();
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < 400) await driver.read(1 + (next++ % 500));
        }),
      );
      const after = await driver.serverReads();
      // Database-wide: another client of the same server at the same moment would add to it (2% flags it).
      expect(Number(after) - Number(before)).toBeGreaterThanOrEqual(400);
      expect(Number(after) - Number(before)).toBeLessThanOrEqual(408);
    });
  });

  describe("the user's own table", () => {
    it('is unchanged, by row count and checksum, by a run in either mode', async () => {
      const users = await userTable(db);
      const before = await users.state();
      const owned = await openTracked(db.url);
      await owned.seed(100, 1);
      for (let id = 1; id <= 20; id++) await owned.update(id, id);
      await readAll(owned, 100);
      await owned.close();
      const readOnly = await openTracked(db.url, {
        user: { query: `SELECT * FROM ${users.name} WHERE id = ?`, ids: `SELECT id FROM ${users.name}` },
      });
      expect(await readAll(readOnly, 50)).toHaveLength(50);
      await rejection(readOnly.update(1, 1), UsageError);
      await rejection(readOnly.seed(10, 1), UsageError);
      expect(await readOnly.close()).toEqual({ droppedTable: null });
      expect(await users.state()).toEqual(before);
    });

    it('read-only mode: key i reads the i-th id, version is 0 without a version column, the session is read-only', async () => {
      const users = await userTable(db);
      const driver = await openTracked(db.url, {
        user: {
          query: `SELECT sku, qty, ${db.readOnly.expr} AS ro FROM ${users.name} WHERE id = ?`,
          ids: `SELECT id FROM ${users.name} ORDER BY id DESC`,
        },
      });
      expect([driver.readOnly, driver.table, driver.keys()]).toEqual([true, null, 50]);
      expect(await driver.read(1)).toEqual({ id: 1, version: 0, sku: 'sku-500', qty: 500 % 7, ro: db.readOnly.on });
      expect(await driver.read(50)).toMatchObject({ id: 50, sku: 'sku-10' });
      expect(await driver.read(51)).toBeUndefined();
      const versioned = await userTable(db, { version: true });
      const withVersion = await openTracked(db.url, {
        user: { query: `SELECT * FROM ${versioned.name} WHERE id = ?`, ids: `SELECT id FROM ${versioned.name}` },
      });
      expect(await withVersion.read(3)).toMatchObject({ id: 3, version: 3, sku: 'sku-30' });
    });

    it('refuses anything but one SELECT before connecting, and a SELECT the server rejects as bad input', async () => {
      const nowhere = `${db.url.replace(/:\d+\//, `:${await closedPort()}/`)}`;
      for (const query of ['DELETE FROM t WHERE id = ?', 'SELECT * FROM t WHERE id = ?; DROP TABLE t']) {
        await rejection(
          openDatabaseSource(target(nowhere), { pool: 2, runId: 'x', user: { query, ids: 'SELECT 1' } }),
          UsageError,
        );
      }
      const user = { query: 'SELECT * FROM no_such_table_cab WHERE id = ?', ids: 'SELECT 1' };
      const error = await rejection(openDatabaseSource(target(db.url), { pool: 2, runId: 'x', user }), UsageError);
      expect(error.message).toMatch(/^--source-query failed on the server: .*no_such_table_cab/);
    });

    it('keeps at most N connections open and busy, with 3N reads in flight', async () => {
      const users = await userTable(db);
      const pool = 3;
      const driver = await openTracked(iso.url, {
        runId: iso.runId,
        pool,
        user: {
          query: `SELECT id, ${db.sleep(0.2)} AS s FROM ${users.name} WHERE id = ?`,
          ids: `SELECT id FROM ${users.name}`,
        },
      });
      const started = performance.now();
      const reads = Promise.all(Array.from({ length: 3 * pool }, (_, i) => driver.read(i + 1)));
      const samples = await sampleWhile(reads, () => iso.connections());
      expect((await reads).every((row) => row !== undefined)).toBe(true);
      // Three rounds of 0.2 s sleeps at the least: a lower bound, which a slow machine cannot break.
      expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 200 * 0.95);
      expect(Math.max(...samples.map((s) => s.open))).toBeLessThanOrEqual(pool);
      expect(Math.max(...samples.map((s) => s.busy))).toBeLessThanOrEqual(pool);
      expect(Math.max(...samples.map((s) => s.busy))).toBeGreaterThanOrEqual(2);
    });
  });

  describe('connection failures', () => {
    it('a closed port fails with SourceUnreachableError naming host:port, never the password', async () => {
      const port = await closedPort();
      const url = iso.url.replace(/:\d+\//, `:${port}/`);
      const error = await rejection(openDatabaseSource(target(url), { pool: 2, runId: 'x' }), SourceUnreachableError);
      expect([error.code, error.exitCode]).toEqual(['E_SOURCE_UNREACHABLE', 1]);
      expectOneLine(error, `${db.name} at 127.0.0.1:${port}`.replace('MariaDB', 'MySQL/MariaDB'), password());
    });

    it('a server that accepts and never answers fails within the connect timeout', async () => {
      const silent = await silentServer();
      const url = iso.url.replace(/:\d+\//, `:${silent.port}/`);
      const started = performance.now();
      const open = openDatabaseSource(target(url), { pool: 2, runId: 'x', connectTimeoutMs: 500 });
      const error = await rejection(open, SourceUnreachableError);
      // 5x the 500 ms timeout: the run's own 4 s timeout stays within the 5 s the CLI promises.
      expect(performance.now() - started).toBeLessThan(2500);
      expectOneLine(error, `127.0.0.1:${silent.port}`, password());
    });
  });
}
