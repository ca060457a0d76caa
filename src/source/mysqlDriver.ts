/**
 * A MySQL or MariaDB source through mysql2's promise pool: at most `pool`
 * connections, prepared point SELECTs (`execute`, cached per connection),
 * UPDATEs bumping `version`, and a table the run owns and drops — or the
 * user's own table, read-only, in sessions the server itself keeps read-only.
 */
import mysql, { type Pool, type PoolOptions, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { checkSourcePool, type DatabaseTarget } from '../config/sourceUrl.ts';
import { BenchError, UsageError } from '../errors.ts';
import type { DatabaseDriverOptions, TableSession } from './databaseDriver.ts';
import { CONNECT_TIMEOUT_MS, connectError, firstLine, queryError, scrub, withDeadline } from './databaseErrors.ts';
import type { SourceDriver, SourceRow } from './driver.ts';
import { PooledDriver } from './pooledDriver.ts';
import { PRODUCT_COLUMNS, productRowBatches } from './productRows.ts';
import { checkUserQueries, idsFromRows, type UserQueries } from './userQuery.ts';

/** An id as mysql2 returned it from --source-ids, handed back unchanged as the parameter. */
type IdValue = string | number;

/** Rows per INSERT: about 250 kB a statement, far below max_allowed_packet (16 MB on MariaDB 10.11). */
const SEED_BATCH = 5000;

export async function openMysqlDriver(target: DatabaseTarget, options: DatabaseDriverOptions): Promise<SourceDriver> {
  checkSourcePool(options.pool);
  // Refused before any connection: bad input exits 2 with nothing sent.
  const user = options.user ? checkUserQueries('mysql', options.user.query, options.user.ids) : null;
  const timeout = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const pool = mysql.createPool({
    ...connectionOptions(target, timeout, options.runId),
    connectionLimit: options.pool,
  });
  if (user) pool.on('connection', (conn) => readOnlySession(conn as unknown as CoreConnection));
  try {
    const [rows] = await withDeadline(
      pool.query<RowDataPacket[]>('SELECT VERSION() AS v'),
      timeout + 500,
      `no answer within ${timeout + 500} ms`,
    );
    const version = String(rows[0]?.v ?? 'unknown');
    const ids = user ? await loadIds(pool, user, target) : [];
    await warm(pool, options.pool);
    return new MysqlDriver(target, pool, version, options, user, ids);
  } catch (error) {
    pool.end().catch(() => undefined);
    throw error instanceof BenchError ? error : connectError(error, target);
  }
}

/** The pool's 'connection' event hands over mysql2's callback-style connection, not the promise wrapper. */
interface CoreConnection {
  query(sql: string, done: (error: Error | null) => void): void;
  destroy(): void;
}

/**
 * Read-only mode: the session refuses writes before it serves its first
 * statement (the event fires before the connection is handed out, and a
 * connection runs its commands in order). A session that cannot be made
 * read-only is destroyed, so the statement queued behind it fails.
 */
function readOnlySession(conn: CoreConnection): void {
  conn.query('SET SESSION TRANSACTION READ ONLY', (error) => {
    if (error) conn.destroy();
  });
}

/** Opens all `size` connections now, so that no measured window pays for a new connection. */
async function warm(pool: Pool, size: number): Promise<void> {
  const conns = await Promise.all(Array.from({ length: size }, () => pool.getConnection()));
  for (const conn of conns) conn.release();
}

function connectionOptions(target: DatabaseTarget, timeout: number, runId: string): PoolOptions {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    connectTimeout: timeout,
    // BIGINT as a number while it is exact, as a string beyond 2^53 (a user's ids may be that large).
    supportBigNumbers: true,
    enableKeepAlive: true,
    connectAttributes: { program_name: `cache-aside-bench:${runId}` },
  };
}

/** Runs the user's id list, then one read, so a query the server rejects fails now, as bad input. */
async function loadIds(pool: Pool, user: UserQueries, target: DatabaseTarget): Promise<unknown[]> {
  const ids = idsFromRows(await userStatement(pool.query<RowDataPacket[]>(user.ids), '--source-ids', target), user.ids);
  await userStatement(pool.execute<RowDataPacket[]>(user.read, [ids[0] as IdValue]), '--source-query', target);
  return ids;
}

async function userStatement(run: Promise<[RowDataPacket[], unknown]>, flag: string, target: DatabaseTarget) {
  try {
    return (await run)[0];
  } catch (error) {
    // An SQL error (it has an SQLSTATE) is the user's query; anything else is the connection.
    if ((error as { sqlState?: string }).sqlState === undefined) throw error;
    throw new UsageError(`${flag} failed on the server: ${scrub(firstLine(error), target.password)}`);
  }
}

class MysqlDriver extends PooledDriver implements SourceDriver {
  readonly kind = 'mysql';
  private readonly selectSql: string;
  private readonly updateSql: string;

  constructor(
    target: DatabaseTarget,
    private readonly pool: Pool,
    readonly version: string,
    options: DatabaseDriverOptions,
    user: UserQueries | null,
    ids: unknown[],
  ) {
    super(target, options.runId, options.pool, user, ids);
    this.selectSql = `SELECT ${PRODUCT_COLUMNS} FROM ${this.table} WHERE id = ?`;
    this.updateSql = `UPDATE ${this.table} SET version = version + 1, stock = stock - 1, updated_at = ? WHERE id = ?`;
  }

  protected async fill(table: string, count: number, seed: number): Promise<void> {
    const conn = await this.pool.getConnection();
    try {
      if (this.created) await conn.query(`DROP TABLE IF EXISTS ${table}`);
      this.created = false;
      await conn.query(`CREATE TABLE ${table} (
        id INT NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, price DOUBLE NOT NULL,
        stock INT NOT NULL, version INT NOT NULL, updated_at BIGINT NOT NULL) ENGINE=InnoDB`);
      this.created = true;
      await conn.beginTransaction();
      for (const rows of productRowBatches(count, seed, SEED_BATCH)) {
        if (this.closed) throw new Error('closed while seeding');
        // Every value is a number or `product <n>` made by seedRow: nothing to escape.
        const values = rows
          .map((r) => `(${r.id},'${r.name}',${r.price},${r.stock},${r.version},${r.updated_at})`)
          .join(',');
        await conn.query(`INSERT INTO ${table} (${PRODUCT_COLUMNS}) VALUES ${values}`);
      }
      await conn.commit();
    } catch (error) {
      await conn.rollback().catch(() => undefined);
      throw error;
    } finally {
      conn.release();
    }
  }

  protected async fetchRow(param: unknown): Promise<Record<string, unknown> | undefined> {
    const [rows] = await this.pool.execute<RowDataPacket[]>(this.user ? this.user.read : this.selectSql, [
      param as IdValue,
    ]);
    return rows[0];
  }

  /** UPDATE then SELECT in one transaction: MariaDB has no UPDATE … RETURNING, and the row lock keeps the pair atomic. */
  async update(id: number, nowMs: number): Promise<SourceRow | undefined> {
    this.refuseWrite();
    let conn: mysql.PoolConnection | undefined;
    try {
      conn = await this.pool.getConnection();
      await conn.beginTransaction();
      const [result] = await conn.execute<ResultSetHeader>(this.updateSql, [nowMs, id]);
      const [rows] =
        result.affectedRows > 0 ? await conn.execute<RowDataPacket[]>(this.selectSql, [id]) : [[] as RowDataPacket[]];
      await conn.commit();
      return rows[0] === undefined ? undefined : ({ ...rows[0] } as SourceRow);
    } catch (error) {
      await conn?.rollback().catch(() => undefined);
      throw queryError(error, this.target, `updating row ${id}`);
    } finally {
      conn?.release();
    }
  }

  /**
   * Com_select: every SELECT the server ran, prepared ones included (a
   * prepared execute counts in Com_stmt_execute and in Com_select), server-
   * wide. Read while every pooled connection is held, so no read of this run
   * is mid-query: a read that ran has come back by the time the answer does.
   */
  async serverReads(whileHeld?: () => void): Promise<number | null> {
    let conns: mysql.PoolConnection[] = [];
    try {
      conns = await Promise.all(Array.from({ length: this.poolSize }, () => this.pool.getConnection()));
      const [rows] = await (conns[0] as mysql.PoolConnection).query<RowDataPacket[]>(
        "SHOW GLOBAL STATUS LIKE 'Com_select'",
      );
      whileHeld?.();
      const value = Number(rows[0]?.Value);
      return Number.isFinite(value) ? value : null;
    } catch {
      return null;
    } finally {
      for (const conn of conns) conn.release();
    }
  }

  protected run(sql: string): Promise<unknown> {
    return this.pool.query(sql);
  }

  protected endPool(): Promise<void> {
    return this.pool.end();
  }
}

/** A single connection for dropRunTables (databaseSource.ts); connect errors are already classified. */
export async function mysqlTableSession(target: DatabaseTarget, runId: string): Promise<TableSession> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection(connectionOptions(target, CONNECT_TIMEOUT_MS, runId));
  } catch (error) {
    throw connectError(error, target);
  }
  return {
    async tablesLike(pattern) {
      const [rows] = await conn.query<RowDataPacket[]>(
        'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ?',
        [pattern],
      );
      return rows.map((r) => String(r.t));
    },
    async dropTable(name) {
      await conn.query(`DROP TABLE IF EXISTS ${conn.escapeId(name)}`);
    },
    end: () => conn.end().catch(() => undefined),
  };
}
