/**
 * What the harness needs from a source database, whichever it is: SQLite, or
 * a real MySQL/MariaDB or PostgreSQL server reached through a bounded pool.
 */
export interface SourceRow {
  id: number;
  version: number;
  [column: string]: unknown;
}

export interface SeedResult {
  rows: number;
  ms: number;
  rowsPerSec: number;
}

export interface SourceDriver {
  readonly kind: 'sqlite' | 'mysql' | 'postgres';
  readonly version: string; // server version, e.g. "10.11.19-MariaDB"
  readonly display: string; // where it is, password redacted: mysql://root:***@127.0.0.1:3306/test
  readonly readOnly: boolean; // the user's own table (--source-query): no writes
  readonly table: string | null; // the owned table's name, null in read-only mode
  /** Owned table: create it and insert rows 1..count deterministically from seed. Returns rows inserted, ms taken and rows/s. */
  seed(count: number, seed: number): Promise<SeedResult>;
  /** The number of addressable keys: seeded rows, or the ids the user's --source-ids query returned (mapped to 1..N). */
  keys(): number;
  /** One prepared point SELECT by primary key (key index 1..keys). */
  read(id: number): Promise<SourceRow | undefined>;
  /** UPDATE bumping version (and stock -1, updated_at = nowMs), returning the new row; throws UsageError in read-only mode. */
  update(id: number, nowMs: number): Promise<SourceRow | undefined>;
  /**
   * The database's own count of statements served, for a server-side cross-check; null when unavailable.
   * MySQL/MariaDB: `Com_select` (a prepared SELECT bumps both `Com_stmt_execute` and `Com_select`, measured
   * on MariaDB 10.11, so their sum would count each read twice). PostgreSQL: `xact_commit + xact_rollback`
   * of `pg_stat_database` (each autocommit statement is one transaction), less this method's own queries;
   * it first makes every idle pooled backend publish its counters (PostgreSQL 15 holds them back for up to
   * 10 s otherwise). Call it with no reads in flight, at both ends of a window. Database-wide: other clients
   * of the same database count too, as they do in Redis INFO. A write adds 1 (PostgreSQL: the UPDATE;
   * MySQL: the SELECT that re-reads the row).
   */
  serverReads(): Promise<number | null>;
  /** Drops the owned table (if any) and closes the pool. Idempotent, never throws; returns what it removed. */
  close(): Promise<{ droppedTable: string | null; error?: string }>;
}

/** How the run opens a MySQL/MariaDB or PostgreSQL source. */
export interface DatabaseDriverOptions {
  /** `--source-pool`: at most this many connections open, hence busy, at once. */
  pool: number;
  /** The run id of the Redis prefix (`cab:<runId>:`); the owned table is `cab_<runId>_products`. */
  runId: string;
  /** `--source-query` and `--source-ids`: read the user's own table, read-only, instead of an owned one. */
  user?: { query: string; ids: string };
  /** Give up on a connection after this long (default 4000 ms, so a bad server fails within 5 s). */
  connectTimeoutMs?: number;
}

/** One plain connection for the crash-safe cleanup: list tables by a LIKE pattern, drop one by name. */
export interface TableSession {
  tablesLike(pattern: string): Promise<string[]>;
  dropTable(name: string): Promise<void>;
  end(): Promise<void>;
}
