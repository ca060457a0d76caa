/**
 * What opening a MySQL/MariaDB or PostgreSQL source takes, beside the
 * SourceDriver interface every source implements (driver.ts).
 */

/** How the run opens a database source. */
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
