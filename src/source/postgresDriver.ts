/**
 * A PostgreSQL source through pg's Pool: at most `pool` connections, named
 * prepared point SELECTs (parsed once per connection), UPDATE … RETURNING
 * bumping `version`, and a table the run owns and drops — or the user's own
 * table, read-only, in sessions started with default_transaction_read_only.
 */
import pg from 'pg';
import { checkSourcePool, type DatabaseTarget } from '../config/sourceUrl.ts';
import { BenchError, UsageError } from '../errors.ts';
import type { DatabaseDriverOptions, TableSession } from './databaseDriver.ts';
import { CONNECT_TIMEOUT_MS, connectError, firstLine, queryError, scrub, withDeadline } from './databaseErrors.ts';
import type { SourceDriver, SourceRow } from './driver.ts';
import { PooledDriver } from './pooledDriver.ts';
import { PRODUCT_COLUMNS, productRowBatches } from './productRows.ts';
import { checkUserQueries, idsFromRows, type UserQueries } from './userQuery.ts';

/** Rows per INSERT … SELECT FROM unnest(arrays): one array parameter per column, whatever the batch size. */
const SEED_BATCH = 50_000;
const INT8 = 20;
const COLUMNS = ['id', 'name', 'price', 'stock', 'version', 'updated_at'] as const;

/**
 * Makes a backend flush its pending counters before it answers. It reads a
 * catalog on purpose: a backend with no pending table counters skips the
 * flush, keeping even its transaction counts back (measured on PostgreSQL 15:
 * `SELECT 1; SELECT pg_stat_force_next_flush()` published nothing; this did).
 */
const FLUSH_STATS = 'SELECT pg_stat_force_next_flush() FROM pg_database WHERE datname = current_database()';

/**
 * int8 (BIGINT, COUNT(*)) as a number while it is exact, else the string pg
 * gives by default; per pool, not pg's global parser, so nothing else changes.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8
      ? (text: string) => (Number.isSafeInteger(Number(text)) ? Number(text) : text)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export async function openPostgresDriver(
  target: DatabaseTarget,
  options: DatabaseDriverOptions,
): Promise<SourceDriver> {
  checkSourcePool(options.pool);
  const user = options.user ? checkUserQueries('postgres', options.user.query, options.user.ids) : null;
  const timeout = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const config = clientConfig(target, timeout, options.runId, user !== null);
  // Idle connections stay open (idleTimeoutMillis 0): a benchmark's pool should not reconnect between windows.
  const pool = new pg.Pool({ ...config, max: options.pool, idleTimeoutMillis: 0 });
  pool.on('error', () => undefined); // an idle connection dropped by the server: the next query reconnects or fails
  try {
    const result = await withDeadline(pool.query('SHOW server_version'), timeout + 500, 'no answer in time');
    const version = String(result.rows[0]?.server_version ?? 'unknown');
    const ids = user ? await loadIds(pool, user, target) : [];
    await warm(pool, options.pool);
    return new PostgresDriver(target, pool, version, options, user, ids);
  } catch (error) {
    pool.end().catch(() => undefined);
    throw error instanceof BenchError ? error : connectError(error, target);
  }
}

/**
 * Opens all `size` connections now, so that no measured window pays for (or,
 * on PostgreSQL, counts the startup transaction of) a new connection.
 */
async function warm(pool: pg.Pool, size: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: size }, () => pool.connect()));
  for (const client of clients) client.release();
}

function clientConfig(target: DatabaseTarget, timeout: number, runId: string, readOnly: boolean): pg.PoolConfig {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    // Names the run in pg_stat_activity.
    application_name: `cache-aside-bench:${runId}`,
    types,
    // A subclass, because the pool's own connectionTimeoutMillis would also bound the wait for a busy
    // pool's next free connection: this bounds only the opening of a connection.
    Client: class extends pg.Client {
      constructor(config: pg.ClientConfig) {
        super({ ...config, connectionTimeoutMillis: timeout });
      }
    } as unknown as pg.PoolConfig['Client'],
    // The server itself refuses writes in these sessions, whatever the user's SELECT calls.
    ...(readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  };
}

async function loadIds(pool: pg.Pool, user: UserQueries, target: DatabaseTarget): Promise<unknown[]> {
  const ids = idsFromRows(await userStatement(pool.query(user.ids), '--source-ids', target), user.ids);
  await userStatement(pool.query({ name: 'cab_read', text: user.read, values: [ids[0]] }), '--source-query', target);
  return ids;
}

async function userStatement(run: Promise<pg.QueryResult>, flag: string, target: DatabaseTarget) {
  try {
    return (await run).rows as Record<string, unknown>[];
  } catch (error) {
    // An SQL error (the server's DatabaseError has a severity) is the user's query; anything else is the connection.
    if (!(error instanceof pg.DatabaseError)) throw error;
    throw new UsageError(`${flag} failed on the server: ${scrub(firstLine(error), target.password)} (${error.code})`);
  }
}

class PostgresDriver extends PooledDriver implements SourceDriver {
  readonly kind = 'postgres';
  private ownStatements = 0;
  private readonly select: { name: string; text: string };
  private readonly bump: { name: string; text: string };

  constructor(
    target: DatabaseTarget,
    private readonly pool: pg.Pool,
    readonly version: string,
    options: DatabaseDriverOptions,
    user: UserQueries | null,
    ids: unknown[],
  ) {
    super(target, options.runId, options.pool, user, ids);
    this.select = {
      name: 'cab_read',
      text: user ? user.read : `SELECT ${PRODUCT_COLUMNS} FROM ${this.table} WHERE id = $1`,
    };
    this.bump = {
      name: 'cab_update',
      text: `UPDATE ${this.table} SET version = version + 1, stock = stock - 1, updated_at = $1 WHERE id = $2 RETURNING ${PRODUCT_COLUMNS}`,
    };
  }

  /** CREATE and INSERTs in one transaction: a failed seed leaves no table behind. */
  protected async fill(table: string, count: number, seed: number): Promise<void> {
    const client = await this.pool.connect();
    try {
      if (this.created) await client.query(`DROP TABLE IF EXISTS ${table}`);
      this.created = false;
      await client.query('BEGIN');
      await client.query(`CREATE TABLE ${table} (
        id integer PRIMARY KEY, name text NOT NULL, price double precision NOT NULL,
        stock integer NOT NULL, version integer NOT NULL, updated_at bigint NOT NULL)`);
      this.created = true;
      for (const rows of productRowBatches(count, seed, SEED_BATCH)) {
        if (this.closed) throw new Error('closed while seeding');
        await client.query(
          `INSERT INTO ${table} (${PRODUCT_COLUMNS})
           SELECT * FROM unnest($1::integer[], $2::text[], $3::float8[], $4::integer[], $5::integer[], $6::bigint[])`,
          COLUMNS.map((column) => rows.map((r) => r[column])),
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  protected async fetchRow(param: unknown): Promise<Record<string, unknown> | undefined> {
    return (await this.pool.query({ ...this.select, values: [param] })).rows[0];
  }

  async update(id: number, nowMs: number): Promise<SourceRow | undefined> {
    this.refuseWrite();
    try {
      const { rows } = await this.pool.query({ ...this.bump, values: [nowMs, id] });
      return rows[0] as SourceRow | undefined;
    } catch (error) {
      throw queryError(error, this.target, `updating row ${id}`);
    }
  }

  /**
   * Transactions of this database (each autocommit statement is one), less
   * this driver's own statistics statements. A PostgreSQL 15 backend flushes
   * its counters at most once a second, and an idle one only ten seconds
   * later, so every pooled connection is taken (waiting for busy ones to
   * finish their query) and told to flush (pg_stat_force_next_flush); each
   * does so before it answers, so the count read next includes all their
   * work, and none runs a read until they are released. This works with
   * reads in flight (they wait a round trip or two), at a measured window's
   * start as at its end.
   */
  async serverReads(whileHeld?: () => void): Promise<number | null> {
    let clients: pg.PoolClient[] = [];
    try {
      // Every pooled connection, waiting for busy ones to come back: none is mid-query while held.
      clients = await Promise.all(Array.from({ length: this.poolSize }, () => this.pool.connect()));
      await Promise.all(clients.map((client) => client.query(FLUSH_STATS)));
      this.ownStatements += clients.length;
      const { rows } = await (clients[0] as pg.PoolClient).query(
        'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()',
      );
      whileHeld?.();
      // This query's own transaction is counted from the next call on.
      const value = Number(rows[0]?.n) - this.ownStatements;
      this.ownStatements++;
      return Number.isFinite(value) ? value : null;
    } catch {
      return null;
    } finally {
      for (const client of clients) client.release();
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
export async function postgresTableSession(target: DatabaseTarget, runId: string): Promise<TableSession> {
  const client = new pg.Client({
    ...clientConfig(target, CONNECT_TIMEOUT_MS, runId, false),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectError(error, target);
  }
  return {
    async tablesLike(pattern) {
      const { rows } = await client.query(
        'SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE $1',
        [pattern],
      );
      return rows.map((r) => String(r.t));
    },
    async dropTable(name) {
      await client.query(`DROP TABLE IF EXISTS ${client.escapeIdentifier(name)}`);
    },
    end: () => client.end().catch(() => undefined),
  };
}
