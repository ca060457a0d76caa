/**
 * The SQLite stand-in for a MySQL `products` table: better-sqlite3,
 * synchronous, in memory by default, so a query costs microseconds and the
 * injected latency (added by `Source`) stands for the network round trip.
 */
import Database from 'better-sqlite3';
import { SourceError } from '../errors.ts';
import { createRng } from '../workload/rng.ts';
import type { SourceDriver, SourceRow } from './driver.ts';
import { seedRow } from './seedRows.ts';

export class SqliteDriver implements SourceDriver {
  readonly kind = 'sqlite';
  readonly readOnly = false;
  readonly table = 'products';
  readonly version: string;
  readonly display: string;
  private readonly db: Database.Database;
  private readonly selectById: Database.Statement<[number], SourceRow>;
  private readonly bumpVersion: Database.Statement<[number, number], SourceRow>;
  private rows = 0;

  /** `path`: a file, or `:memory:` (the default). */
  constructor(path = ':memory:') {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS products (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      price REAL NOT NULL,
      stock INTEGER NOT NULL,
      version INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`);
    this.version = (this.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    this.display = path === ':memory:' ? 'sqlite (in memory)' : `sqlite:${path}`;
    this.selectById = this.db.prepare('SELECT id, name, price, stock, version, updated_at FROM products WHERE id = ?');
    this.bumpVersion = this.db.prepare(
      'UPDATE products SET version = version + 1, stock = stock - 1, updated_at = ? WHERE id = ? RETURNING *',
    );
    this.rows = this.countNow();
  }

  /**
   * Replaces the table's rows with `count` deterministic rows (ids 1..count)
   * drawn from `seed`. With `payloadSizes` (a trace's values), row i's name is
   * `payloadSizes[i - 1]` characters long, so its cached value has about the
   * trace's size (the name is the row's one free-length column).
   */
  async seed(count: number, seed: number, payloadSizes?: ArrayLike<number>): Promise<{ rows: number; ms: number }> {
    const started = performance.now();
    const rng = createRng(seed).fork('source-rows');
    this.guard(() => {
      // Prepared inside the guard: on a closed database `prepare` itself throws.
      const insert = this.db.prepare(
        'INSERT INTO products (id, name, price, stock, version, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      );
      this.db.transaction(() => {
        this.db.exec('DELETE FROM products');
        for (let id = 1; id <= count; id++) {
          const row = seedRow(id, rng);
          const size = payloadSizes?.[id - 1];
          const name = size === undefined || size < 0 ? row.name : 'x'.repeat(size);
          insert.run(row.id, name, row.price, row.stock, row.version, row.updated_at);
        }
      })();
    });
    this.rows = count;
    return { rows: count, ms: performance.now() - started };
  }

  keys(): number {
    return this.rows;
  }

  async read(id: number): Promise<SourceRow | undefined> {
    return this.guard(() => this.selectById.get(id));
  }

  async update(id: number, nowMs: number): Promise<SourceRow | undefined> {
    return this.guard(() => this.bumpVersion.get(nowMs, id));
  }

  async serverReads(): Promise<number | null> {
    return null;
  }

  async close(): Promise<{ droppedTable: string | null }> {
    if (this.db.open) this.db.close();
    return { droppedTable: null };
  }

  private countNow(): number {
    return this.guard(() => (this.db.prepare('SELECT COUNT(*) AS n FROM products').get() as { n: number }).n);
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new SourceError(`the SQLite source failed: ${message}`);
    }
  }
}
