/**
 * What one source read costs on each source, with no injected delay: SQLite
 * in memory (better-sqlite3 called directly), MariaDB and PostgreSQL through
 * their drivers' pools. Seeds the same rows in each (timing the seed), then
 * runs uniform point reads at concurrency 1 and 16 and prints p50/p99 and
 * reads/s, and for the databases the server's own count of the window's
 * reads beside the client's.
 *
 *   npx tsx bench/sourceLatency.ts [--rows 1000000] [--seconds 5] [--pool 10]
 *     [--mysql mysql://root@127.0.0.1:3306/test] [--postgres postgres://postgres@127.0.0.1:5432/test]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { parseSourceUrl } from '../src/config/sourceUrl.ts';
import { openDatabaseSource } from '../src/source/databaseSource.ts';
import type { SourceDriver } from '../src/source/driver.ts';
import { PRODUCT_COLUMNS, productRowBatches } from '../src/source/productRows.ts';
import { createRng } from '../src/workload/rng.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '5' },
    pool: { type: 'string', default: '10' },
    mysql: { type: 'string', default: 'mysql://root@127.0.0.1:3306/test' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const ROWS = Number(args.rows);
const WINDOW_MS = Number(args.seconds) * 1000;
const POOL = Number(args.pool);
const CONCURRENCY = [1, 16];

type Read = (id: number) => unknown;

interface Measured {
  concurrency: number;
  reads: number;
  p50: number;
  p99: number;
  perSec: number;
  server?: number | null;
}

/** `concurrency` workers reading uniform random ids for `ms`; latency of each read from its own start. */
async function measure(read: Read, concurrency: number, ms: number, seed: number): Promise<Measured> {
  const rng = createRng(seed).fork('bench-reads');
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const id = 1 + Math.floor(rng.next() * ROWS);
        const t0 = performance.now();
        await read(id);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    concurrency,
    reads: latencies.length,
    p50: at(0.5),
    p99: at(0.99),
    perSec: latencies.length / (elapsed / 1000),
  };
}

function sqliteReader(): { read: Read; seedMs: number; version: string; close: () => void } {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL,
    stock INTEGER NOT NULL, version INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
  const insert = db.prepare(`INSERT INTO products (${PRODUCT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`);
  const started = performance.now();
  db.transaction(() => {
    for (const rows of productRowBatches(ROWS, 1, 10_000))
      for (const r of rows) insert.run(r.id, r.name, r.price, r.stock, r.version, r.updated_at);
  })();
  const seedMs = performance.now() - started;
  const select = db.prepare(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = ?`);
  const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  return { read: (id) => select.get(id), seedMs, version, close: () => db.close() };
}

/** One window per concurrency, with the server's count around it (the pool is idle at both ends). */
async function measureDriver(driver: SourceDriver): Promise<Measured[]> {
  const out: Measured[] = [];
  for (const concurrency of CONCURRENCY) {
    await measure((id) => driver.read(id), concurrency, 1000, 7); // warm-up: caches, prepared statements
    const before = await driver.serverReads();
    const m = await measure((id) => driver.read(id), concurrency, WINDOW_MS, concurrency);
    const after = await driver.serverReads();
    out.push({ ...m, server: before === null || after === null ? null : after - before });
  }
  return out;
}

function row(source: string, m: Measured): string {
  const f = (n: number, d = 3) => n.toFixed(d);
  const server =
    m.server === undefined || m.server === null
      ? '—'
      : `${m.server.toLocaleString('en-US')} (${f(((m.server - m.reads) / m.reads) * 100, 2)}%)`;
  return `| ${source} | ${m.concurrency} | ${f(m.p50)} | ${f(m.p99)} | ${Math.round(m.perSec).toLocaleString('en-US')} | ${m.reads.toLocaleString('en-US')} | ${server} |`;
}

const lines: string[] = [];
const seeds: string[] = [];
const sqlite = sqliteReader();
seeds.push(
  `| SQLite ${sqlite.version} (in memory) | ${(sqlite.seedMs / 1000).toFixed(1)} s | ${Math.round(ROWS / (sqlite.seedMs / 1000)).toLocaleString('en-US')} |`,
);
for (const c of CONCURRENCY) {
  await measure(sqlite.read, c, 1000, 7);
  lines.push(row(`SQLite ${sqlite.version}`, await measure(sqlite.read, c, WINDOW_MS, c)));
}
sqlite.close();

for (const url of [args.mysql, args.postgres]) {
  const target = parseSourceUrl(url, '--source');
  if (target.kind === 'sqlite') throw new Error(`${url} is not a database URL`);
  const driver = await openDatabaseSource(target, { pool: POOL, runId: randomBytes(4).toString('hex') });
  try {
    const seeded = await driver.seed(ROWS, 1);
    const name = `${target.kind === 'mysql' ? 'MariaDB/MySQL' : 'PostgreSQL'} ${driver.version.split(/[ -]/)[0]}`;
    seeds.push(
      `| ${name} | ${(seeded.ms / 1000).toFixed(1)} s | ${Math.round(ROWS / (seeded.ms / 1000)).toLocaleString('en-US')} |`,
    );
    for (const m of await measureDriver(driver)) lines.push(row(name, m));
  } finally {
    await driver.close();
  }
}

console.log(`\nseeding ${ROWS.toLocaleString('en-US')} rows\n\n| source | time | rows/s |\n| --- | --- | --- |`);
console.log(seeds.join('\n'));
console.log(
  `\npoint reads by primary key, uniform over ${ROWS.toLocaleString('en-US')} rows, pool ${POOL}, ${WINDOW_MS / 1000} s per row`,
);
console.log('\n| source | concurrency | p50 ms | p99 ms | reads/s | client reads | server reads (diff) |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
console.log(lines.join('\n'));
