/**
 * What a database behind the cache must do for the harness, whichever it is:
 * the SQLite stand-in, MySQL/MariaDB or PostgreSQL. Drivers only query;
 * latency injection, the connection-pool bound and the counting are added
 * once, around any driver, by `Source` (source.ts).
 */
export interface SourceRow {
  id: number;
  version: number;
  [column: string]: unknown;
}

export interface SourceDriver {
  readonly kind: 'sqlite' | 'mysql' | 'postgres';
  /** Server version, e.g. "3.53.2" or "10.11.19-MariaDB". */
  readonly version: string;
  /** Where it is, password redacted. */
  readonly display: string;
  /** The user's own table (--source-query): no writes. */
  readonly readOnly: boolean;
  /** The owned table's name, null in read-only mode. */
  readonly table: string | null;
  /**
   * Owned table: create it and insert rows 1..count deterministically from seed.
   * `payloadSizes` (a trace's value sizes, by id − 1): SQLite sizes the rows' name
   * to them; the other drivers seed their usual rows.
   */
  seed(count: number, seed: number, payloadSizes?: ArrayLike<number>): Promise<{ rows: number; ms: number }>;
  /** The number of addressable keys: seeded rows, or the ids the user's query returned (mapped to 1..N). */
  keys(): number;
  /** One prepared point SELECT by primary key (key index 1..keys). */
  read(id: number): Promise<SourceRow | undefined>;
  /** UPDATE bumping version (and stock − 1, updated_at = nowMs), returning the new row. */
  update(id: number, nowMs: number): Promise<SourceRow | undefined>;
  /**
   * The database's own count of statements served, for a server-side
   * cross-check; null when unavailable. The database drivers hold every
   * pooled connection while they count, so no read runs on the server then;
   * `whileHeld` is called at that moment, to read the client's count beside.
   */
  serverReads(whileHeld?: () => void): Promise<number | null>;
  /** Drops the owned table (if any) and closes the pool. Idempotent, never throws. */
  close(): Promise<{ droppedTable: string | null; error?: string }>;
}
