/**
 * The seeded rows in batches, for multi-row INSERTs, and the name of the
 * table a run owns on a real database. The rows are seedRow's (seedRows.ts),
 * drawn from the same `source-rows` fork as SqliteDriver.seed, so SQLite,
 * MariaDB and PostgreSQL seeded alike hold identical rows.
 */
import { createRng } from '../workload/rng.ts';
import { type ProductRow, seedRow } from './seedRows.ts';

/** Rows 1..count for `seed`, in batches of `batch`; every row starts at version 1, updated_at 0. */
export function* productRowBatches(count: number, seed: number, batch: number): Generator<ProductRow[]> {
  const rng = createRng(seed).fork('source-rows');
  let rows: ProductRow[] = [];
  for (let id = 1; id <= count; id++) {
    rows.push(seedRow(id, rng));
    if (rows.length === batch) {
      yield rows;
      rows = [];
    }
  }
  if (rows.length > 0) yield rows;
}

/** The columns of the products table, in the order every source returns them. */
export const PRODUCT_COLUMNS = 'id, name, price, stock, version, updated_at';

const RUN_ID = /^[0-9a-z]{1,32}$/;

/** `cab_<runId>_products`: the run's own table, as its Redis keys live under `cab:<runId>:`. */
export function ownedTableName(runId: string): string {
  return `${runTablePrefix(runId)}products`;
}

/** `cab_<runId>_`: every table of the run starts with it, and a crash-safe cleanup drops exactly those. */
export function runTablePrefix(runId: string): string {
  // The name goes into DDL unquoted-safe: lower-case letters and digits only.
  if (!RUN_ID.test(runId)) throw new Error(`run id "${runId}" is not 1-32 lower-case letters and digits`);
  return `cab_${runId}_`;
}

/** Whether `table` is one of the run's tables: checked again in JavaScript before any DROP, beside the LIKE. */
export function isRunTable(table: string, runId: string): boolean {
  return table.startsWith(runTablePrefix(runId)) && /^[0-9a-z_]+$/.test(table);
}

/** A LIKE pattern matching the run's tables only (`_` escaped: in LIKE it matches any character). */
export function runTableLike(runId: string): string {
  return `${runTablePrefix(runId).replace(/_/g, '\\_')}%`;
}
