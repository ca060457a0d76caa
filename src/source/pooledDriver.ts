/**
 * What the MySQL and PostgreSQL drivers share: the owned table's lifecycle
 * (created by seed, dropped by close on every exit path, a seed in progress
 * stopped by close) and the read-only mode's key mapping. Each subclass
 * brings its pool and its SQL.
 */

import type { DatabaseTarget } from '../config/sourceUrl.ts';
import { SourceError, UsageError } from '../errors.ts';
import { firstLine, queryError, scrub, withDeadline } from './databaseErrors.ts';
import type { SourceRow } from './driver.ts';
import { ownedTableName } from './productRows.ts';
import { type UserQueries, userSourceRow } from './userQuery.ts';

export interface CloseResult {
  droppedTable: string | null;
  error?: string;
}

export abstract class PooledDriver {
  readonly readOnly: boolean;
  readonly table: string | null;
  readonly display: string;
  /** Set once the CREATE TABLE succeeded: a table of that name that was there before is never dropped. */
  protected created = false;
  protected closed = false;
  private seeded = 0;
  private seeding: Promise<void> | undefined;
  private closing: Promise<CloseResult> | undefined;

  constructor(
    protected readonly target: DatabaseTarget,
    runId: string,
    protected readonly poolSize: number,
    protected readonly user: UserQueries | null,
    protected readonly ids: unknown[],
  ) {
    this.readOnly = user !== null;
    this.table = user ? null : ownedTableName(runId);
    this.display = target.display;
  }

  /** Fills the owned table: (re)creates it, inserts rows 1..count, checks `closed` between batches. */
  protected abstract fill(table: string, count: number, seed: number): Promise<void>;
  /** The row of the prepared point SELECT (the owned table's or the user's) for one id; undefined when none. */
  protected abstract fetchRow(param: unknown): Promise<Record<string, unknown> | undefined>;
  /** One statement through the pool, for the DROP. */
  protected abstract run(sql: string): Promise<unknown>;
  protected abstract endPool(): Promise<void>;

  keys(): number {
    return this.user ? this.ids.length : this.seeded;
  }

  async seed(count: number, seed: number): Promise<{ rows: number; ms: number }> {
    if (this.table === null) throw new UsageError('seeding needs a table of the run: --source-query is read-only');
    if (this.closed) throw new SourceError(`the source ${this.display} is closed`);
    const started = performance.now();
    this.seeding = this.fill(this.table, count, seed);
    try {
      await this.seeding;
    } catch (error) {
      throw this.closed
        ? new SourceError(`the source ${this.display} was closed while seeding`)
        : queryError(error, this.target, `seeding ${this.table}`);
    } finally {
      this.seeding = undefined;
    }
    this.seeded = count;
    return { rows: count, ms: performance.now() - started };
  }

  async read(id: number): Promise<SourceRow | undefined> {
    // Key index i is the user's i-th id in read-only mode; out of range, nothing is sent.
    const param = this.user ? this.ids[id - 1] : id;
    if (param === undefined) return undefined;
    try {
      const row = await this.fetchRow(param);
      if (row === undefined) return undefined;
      return this.user ? userSourceRow(row, id) : ({ ...row } as SourceRow);
    } catch (error) {
      throw queryError(error, this.target, `reading row ${id}`);
    }
  }

  protected refuseWrite(): void {
    if (this.user) throw new UsageError('writes need a table of the run: --source-query is read-only');
  }

  close(): Promise<CloseResult> {
    if (this.closing) return this.closing.then(() => ({ droppedTable: null }));
    this.closed = true;
    this.closing = this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<CloseResult> {
    await this.seeding?.catch(() => undefined);
    let droppedTable: string | null = null;
    let error: string | undefined;
    if (this.created && this.table) {
      error = await this.dropOwned(this.table);
      if (error === undefined) droppedTable = this.table;
      this.created = false;
    }
    await withDeadline(this.endPool(), 5000, 'pool end timed out').catch(() => undefined);
    return error === undefined ? { droppedTable } : { droppedTable, error };
  }

  /**
   * DROP TABLE, tried once per pooled connection and once more: after the
   * server cut the connections (a restart, a KILL) the pool may still hand
   * out dead ones, each failing once before the pool discards it (measured
   * with MariaDB's KILL: "Connection lost: The server closed the connection").
   */
  private async dropOwned(table: string): Promise<string | undefined> {
    let last: unknown;
    for (let attempt = 0; attempt <= this.poolSize; attempt++) {
      try {
        await withDeadline(this.run(`DROP TABLE IF EXISTS ${table}`), 10_000, 'DROP TABLE timed out');
        return undefined;
      } catch (error) {
        last = error;
      }
    }
    return `could not drop ${table}: ${scrub(firstLine(last), this.target.password)}`;
  }
}
