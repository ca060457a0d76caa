import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.ts';
import { latencySampler } from '../../src/source/latency.ts';
import { type ProductRow, SqliteSource } from '../../src/source/sqliteSource.ts';
import { createRng } from '../../src/workload/rng.ts';

const opened: SqliteSource[] = [];
function open(options: ConstructorParameters<typeof SqliteSource>[0] = {}): SqliteSource {
  const source = new SqliteSource(options);
  opened.push(source);
  return source;
}

async function rows(source: SqliteSource, count: number): Promise<(ProductRow | undefined)[]> {
  const out: (ProductRow | undefined)[] = [];
  for (let id = 1; id <= count; id++) out.push(await source.read(id));
  return out;
}

describe('SqliteSource', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cab-sqlite-test-'));
  afterAll(() => {
    for (const source of opened) source.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds deterministically: same seed, same rows; another seed, other rows', async () => {
    const a = open();
    const b = open();
    const c = open();
    a.seed(50, 7);
    b.seed(50, 7);
    c.seed(50, 8);
    const rowsA = await rows(a, 50);
    expect(await rows(b, 50)).toEqual(rowsA);
    expect(await rows(c, 50)).not.toEqual(rowsA);
    expect(rowsA[0]).toMatchObject({ id: 1, name: 'product 1', version: 1, updated_at: 0 });
  });

  it('counts rows, and reseeding replaces them', () => {
    const source = open();
    expect(source.count()).toBe(0);
    source.seed(20, 1);
    expect(source.count()).toBe(20);
    source.seed(5, 1);
    expect(source.count()).toBe(5);
  });

  it('update bumps version and updated_at', async () => {
    let clock = 1_000;
    const source = open({ now: () => clock });
    source.seed(3, 1);
    const before = await source.read(2);
    clock = 5_000;
    const after = await source.update(2);
    expect(after).toMatchObject({ id: 2, version: (before?.version ?? 0) + 1, updated_at: 5_000 });
    expect(await source.read(2)).toEqual(after);
    expect(source.currentVersion(2)).toEqual({ version: 2, updated_at: 5_000 });
    expect(source.writes).toBe(1);
  });

  it('returns undefined for a missing id', async () => {
    const source = open();
    source.seed(3, 1);
    expect(await source.read(999)).toBeUndefined();
    expect(await source.update(999)).toBeUndefined();
  });

  it('applies the injected latency to every read', async () => {
    const source = open({ latency: latencySampler({ kind: 'fixed', ms: 30 }, createRng(1)) });
    source.seed(1, 1);
    const started = performance.now();
    await source.read(1);
    // A lower bound only: timers may fire late on a busy machine, never early (2 ms for clock granularity).
    expect(performance.now() - started).toBeGreaterThanOrEqual(28);
    expect(source.reads).toBe(1);
  });

  it('seeds 1,000,000 rows', () => {
    const source = open();
    const started = performance.now();
    source.seed(1_000_000, 1);
    console.log(`seeded 1,000,000 rows in ${(performance.now() - started).toFixed(0)} ms`);
    expect(source.count()).toBe(1_000_000);
    source.close();
  });

  it('persists rows in a file-backed source', async () => {
    const path = join(dir, 'products.db');
    const writer = open({ path });
    writer.seed(10, 3);
    const row = await writer.read(4);
    writer.close();
    const reader = open({ path });
    expect(reader.count()).toBe(10);
    expect(await reader.read(4)).toEqual(row);
  });

  it('throws SourceError once closed', async () => {
    const source = open();
    source.seed(2, 1);
    source.close();
    await expect(source.read(1)).rejects.toBeInstanceOf(SourceError);
    expect(() => source.count()).toThrow(SourceError);
    expect(() => source.seed(2, 1)).toThrow(SourceError);
    expect(() => source.updateNow(1)).toThrow(SourceError);
  });
});
