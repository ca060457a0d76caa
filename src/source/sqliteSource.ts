/**
 * The database behind the cache: a SQLite table standing for a MySQL
 * `products` table, with a delay per query for the network and MySQL's own
 * work. better-sqlite3 is synchronous, so the query itself is fast and the
 * injected delay dominates, as a real round trip would.
 */
import Database from 'better-sqlite3';
import { SourceError } from '../errors.ts';
import type { Rng } from '../workload/rng.ts';
import { createRng } from '../workload/rng.ts';
import { type LatencySampler, sleep } from './latency.ts';

export interface ProductRow {
  id: number;
  name: string;
  price: number;
  stock: number;
  version: number;
  /** Epoch milliseconds of the last update. */
  updated_at: number;
}

export interface SqliteSourceOptions {
  /** A file path, or `:memory:` (the default). */
  path?: string;
  /** Delay per query in ms; none when omitted. */
  latency?: LatencySampler;
  /** Clock for `updated_at`; `Date.now` by default. */
  now?: () => number;
}

export class SqliteSource {
  readonly kind = 'sqlite';
  readonly version: string;
  private readonly db: Database.Database;
  private readonly latency: LatencySampler;
  private readonly now: () => number;
  private readonly selectById: Database.Statement<[number], ProductRow>;
  private readonly selectVersion: Database.Statement<[number], { version: number; updated_at: number }>;
  private readonly bumpVersion: Database.Statement<[number, number], ProductRow>;
  /** Queries answered, counted here so the harness never infers source load. */
  reads = 0;
  writes = 0;

  constructor(options: SqliteSourceOptions = {}) {
    this.db = new Database(options.path ?? ':memory:');
    this.db.pragma('journal_mode = WAL');
    this.latency = options.latency ?? (() => 0);
    this.now = options.now ?? Date.now;
    this.db.exec(`CREATE TABLE IF NOT EXISTS products (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      price REAL NOT NULL,
      stock INTEGER NOT NULL,
      version INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`);
    this.version = (this.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    this.selectById = this.db.prepare('SELECT id, name, price, stock, version, updated_at FROM products WHERE id = ?');
    this.selectVersion = this.db.prepare('SELECT version, updated_at FROM products WHERE id = ?');
    this.bumpVersion = this.db.prepare(
      'UPDATE products SET version = version + 1, stock = stock - 1, updated_at = ? WHERE id = ? RETURNING *',
    );
  }

  /** Replaces the table's rows with `count` deterministic rows (ids 1..count) drawn from `seed`. */
  seed(count: number, seed: number): void {
    const rng: Rng = createRng(seed).fork('source-rows');
    this.guard(() => {
      // Prepared inside the guard: on a closed database `prepare` itself throws.
      const insert = this.db.prepare(
        'INSERT INTO products (id, name, price, stock, version, updated_at) VALUES (?, ?, ?, ?, 1, 0)',
      );
      this.db.transaction(() => {
        this.db.exec('DELETE FROM products');
        for (let id = 1; id <= count; id++) {
          const price = Math.round(100 + rng.next() * 99_900) / 100;
          const stock = Math.floor(rng.next() * 1000);
          insert.run(id, `product ${id}`, price, stock);
        }
      })();
    });
  }

  /**
   * Point read by id: what a cache miss pays. The delay is split around the
   * query, half for the request and half for the response, because the row a
   * reader gets back is already old by the time it arrives — that is what lets
   * a delete-on-write race happen, as it does against a real MySQL.
   */
  async read(id: number): Promise<ProductRow | undefined> {
    const delay = this.latency();
    await sleep(delay / 2);
    this.reads++;
    const row = this.guard(() => this.selectById.get(id));
    await sleep(delay / 2);
    return row;
  }

  /** Updates a row (bumping `version`) with the same split delay and returns the new row. */
  async update(id: number): Promise<ProductRow | undefined> {
    const delay = this.latency();
    await sleep(delay / 2);
    const row = this.updateNow(id);
    await sleep(delay / 2);
    return row;
  }

  /** The same update without the delay, for scripted tests and writers that model their own timing. */
  updateNow(id: number): ProductRow | undefined {
    this.writes++;
    return this.guard(() => this.bumpVersion.get(this.now(), id));
  }

  /** The row's current version and change time, with no delay: the stale-read check, outside the timed path. */
  currentVersion(id: number): { version: number; updated_at: number } | undefined {
    return this.guard(() => this.selectVersion.get(id));
  }

  count(): number {
    return this.guard(() => (this.db.prepare('SELECT COUNT(*) AS n FROM products').get() as { n: number }).n);
  }

  close(): void {
    if (this.db.open) this.db.close();
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
