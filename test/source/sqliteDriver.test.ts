import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.ts';
import type { SourceRow } from '../../src/source/driver.ts';
import { SqliteDriver } from '../../src/source/sqliteDriver.ts';
import { firstSightSizes } from '../../src/workload/trace/sizes.ts';

const opened: SqliteDriver[] = [];
function open(path?: string): SqliteDriver {
  const driver = new SqliteDriver(path);
  opened.push(driver);
  return driver;
}

async function rows(driver: SqliteDriver, count: number): Promise<(SourceRow | undefined)[]> {
  const out: (SourceRow | undefined)[] = [];
  for (let id = 1; id <= count; id++) out.push(await driver.read(id));
  return out;
}

describe('SqliteDriver', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cab-sqlite-test-'));
  afterAll(async () => {
    for (const driver of opened) await driver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sizes rows as a trace's values: the name holds each key's first value size", async () => {
    const trace = { key: Int32Array.from([2, 1, 2, 3]), valueSize: Int32Array.from([300, 50, 999, 0]), uniqueKeys: 3 };
    const sizes = firstSightSizes(trace);
    expect(Array.from(sizes)).toEqual([50, 300, 0]);
    const driver = open();
    await driver.seed(4, 1, sizes);
    const seeded = await rows(driver, 4);
    expect(seeded.map((row) => String(row?.name).length)).toEqual([50, 300, 0, 'product 4'.length]);
  });

  it('seeds deterministically: same seed, same rows; another seed, other rows', async () => {
    const [a, b, c] = [open(), open(), open()];
    await a.seed(50, 7);
    await b.seed(50, 7);
    await c.seed(50, 8);
    const rowsA = await rows(a, 50);
    expect(await rows(b, 50)).toEqual(rowsA);
    expect(await rows(c, 50)).not.toEqual(rowsA);
    expect(rowsA[0]).toMatchObject({ id: 1, name: 'product 1', version: 1, updated_at: 0 });
  });

  it('counts its keys, and reseeding replaces the rows', async () => {
    const driver = open();
    expect(driver.keys()).toBe(0);
    await driver.seed(20, 1);
    expect(driver.keys()).toBe(20);
    await driver.seed(5, 1);
    expect(driver.keys()).toBe(5);
    expect(await driver.read(6)).toBeUndefined();
  });

  it('update bumps version and updated_at', async () => {
    const driver = open();
    await driver.seed(3, 1);
    const before = await driver.read(2);
    const after = await driver.update(2, 5_000);
    expect(after).toMatchObject({ id: 2, version: (before?.version ?? 0) + 1, updated_at: 5_000 });
    expect(await driver.read(2)).toEqual(after);
    expect(await driver.update(999, 1)).toBeUndefined();
  });

  it('seeds 1,000,000 rows', async () => {
    const driver = open();
    const { rows: count, ms } = await driver.seed(1_000_000, 1);
    console.log(`seeded 1,000,000 rows in ${ms.toFixed(0)} ms`);
    expect(count).toBe(1_000_000);
    expect(driver.keys()).toBe(1_000_000);
    expect((await driver.read(1_000_000))?.id).toBe(1_000_000);
  });

  it('persists rows in a file-backed database', async () => {
    const path = join(dir, 'products.db');
    const writer = open(path);
    await writer.seed(10, 3);
    const row = await writer.read(4);
    await writer.close();
    const reader = open(path);
    expect(reader.keys()).toBe(10);
    expect(await reader.read(4)).toEqual(row);
  });

  it('throws SourceError once closed', async () => {
    const driver = open();
    await driver.seed(2, 1);
    await driver.close();
    await expect(driver.read(1)).rejects.toBeInstanceOf(SourceError);
    await expect(driver.seed(2, 1)).rejects.toBeInstanceOf(SourceError);
    await expect(driver.update(1, 1)).rejects.toBeInstanceOf(SourceError);
  });
});
