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
    const insert = this.db.prepare(
      'INSERT INTO products (id, name, price, stock, version, updated_at) VALUES (?, ?, ?, ?, 1, 0)',
    );
    this.guard(() =>
      this.db.transaction(() => {
        this.db.exec('DELETE FROM products');
        for (let id = 1; id <= count; id++) {
          const price = Math.round(100 + rng.next() * 99_900) / 100;
          const stock = Math.floor(rng.next() * 1000);
          insert.run(id, `product ${id}`, price, stock);
        }
      })(),
    );
  }

  /** Point read by id, after the injected delay: what a cache miss pays. */
  async read(id: number): Promise<ProductRow | undefined> {
    await sleep(this.latency());
    this.reads++;
    return this.guard(() => this.selectById.get(id));
  }

  /** Updates a row (bumping `version`) after the injected delay and returns the new row. */
  async update(id: number): Promise<ProductRow | undefined> {
    await sleep(this.latency());
    return this.updateNow(id);
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
