/**
 * The rows every source is seeded with, drawn the same way whatever the
 * database, so that the same `--seed` gives the same table in SQLite, MySQL
 * and PostgreSQL.
 */
import type { Rng } from '../workload/rng.ts';

export interface ProductRow {
  id: number;
  name: string;
  price: number;
  stock: number;
  version: number;
  /** Epoch milliseconds of the last update. */
  updated_at: number;
}

/** Row `id`, drawing from `rng` (fork `source-rows` of the seed), in id order. */
export function seedRow(id: number, rng: Rng): ProductRow {
  const price = Math.round(100 + rng.next() * 99_900) / 100;
  const stock = Math.floor(rng.next() * 1000);
  return { id, name: `product ${id}`, price, stock, version: 1, updated_at: 0 };
}
