import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotError, UsageError } from '../../src/errors.ts';
import {
  assertFinite,
  readSnapshot,
  saveSnapshot,
  snapshotPaths,
  writeFileAtomic,
} from '../../src/report/snapshotFile.ts';
import type { Snapshot } from '../../src/report/snapshotFormat.ts';
import { buildSnapshot } from '../helpers/snapshots.ts';

/** A whole snapshot whose freshness row has the `null`s a real one can have. */
function snapshot(): Snapshot {
  return buildSnapshot((s) => {
    const row = s.suites.freshness?.rows[0];
    if (row)
      Object.assign(row, { ttlMs: null, staleReadRatio: null, predictedStaleReadRatio: null, maxStaleAgeMs: null });
  });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snapshot-file-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('snapshotPaths', () => {
  it('names the file by UTC time, safe for every filesystem', () => {
    expect(snapshotPaths('results', 'default', new Date('2026-11-25T19:06:41.123Z'))).toEqual({
      json: join('results', 'default', '2026-11-25T19-06-41Z.json'),
      markdown: join('results', 'default', 'latest.md'),
    });
  });

  it('keeps a scenario that looks like a path inside outDir', () => {
    const { json } = snapshotPaths('results', '../x', new Date(0));
    expect(json).toBe(join('results', '.._x', '1970-01-01T00-00-00Z.json'));
  });
});

describe('saveSnapshot and readSnapshot', () => {
  it('round-trips a snapshot', async () => {
    const out = join(dir, 'results');
    const written = await saveSnapshot(snapshot(), '# tables\n', { outDir: out, save: true });
    const paths = snapshotPaths(out, 'default', new Date('2026-11-25T19:06:41.123Z'));
    expect(written).toEqual([paths.json, paths.markdown]);
    expect(await readSnapshot(paths.json)).toEqual(snapshot());
    expect(await readFile(paths.markdown, 'utf8')).toBe('# tables\n');
    expect(await readFile(paths.json, 'utf8')).toMatch(/^{\n {2}"schemaVersion": 2,[\s\S]*}\n$/);
  });

  it('with save false writes only the --json file', async () => {
    const jsonFile = join(dir, 'nested', 'run.json');
    const written = await saveSnapshot(snapshot(), '# md\n', { outDir: join(dir, 'results'), save: false, jsonFile });
    expect(written).toEqual([jsonFile]);
    expect(await readdir(dir)).toEqual(['nested']);
    expect(await readSnapshot(jsonFile)).toEqual(snapshot());
  });

  it('refuses NaN before anything touches disk', async () => {
    const bad = snapshot();
    const row = bad.suites.freshness?.rows[0] as { p99Ms: number } | undefined;
    if (row) row.p99Ms = Number.NaN;
    const save = saveSnapshot(bad, '# md\n', {
      outDir: join(dir, 'results'),
      save: true,
      jsonFile: join(dir, 'x.json'),
    });
    await expect(save).rejects.toThrow(SnapshotError);
    await expect(save).rejects.toThrow('$.suites.freshness.rows[0].p99Ms is NaN');
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ['a missing file', null, /cannot read snapshot .*: file not found$/],
    ['bad JSON', '{"schemaVersion": 1,', /is not JSON: /],
    ['a non-snapshot', '{"hello": "world"}', /is not a cache-aside-bench snapshot/],
    [
      'a newer schemaVersion',
      JSON.stringify({ ...snapshot(), schemaVersion: 3 }),
      /schemaVersion 3 is not supported \(expected 1 or 2\)$/,
    ],
    [
      'a malformed row',
      JSON.stringify({ ...snapshot(), suites: { stampede: { rows: [{ strategy: 'lock' }] } } }),
      /\$\.suites\.stampede\.rows\[0\]\.ttlMs: /,
    ],
  ])('rejects %s with a one-line UsageError naming the file', async (_name, content, message) => {
    const path = join(dir, 'snap.json');
    if (content !== null) await writeFile(path, content);
    const error = await readSnapshot(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('assertFinite', () => {
  it('names the path of a non-finite number or an array hole', () => {
    expect(() => assertFinite({ a: [{ b: 1 }, { b: Number.POSITIVE_INFINITY }] })).toThrow('$.a[1].b is Infinity');
    expect(() => assertFinite({ a: [1, undefined] })).toThrow('$.a[1] is undefined');
    expect(() => assertFinite({ a: null, b: [0, -1.5], c: 'NaN', d: undefined })).not.toThrow();
  });
});

describe('writeFileAtomic', () => {
  it('replaces an existing file and leaves no temp file', async () => {
    const target = join(dir, 'sub', 'out.json');
    await writeFileAtomic(target, 'old');
    await writeFileAtomic(target, 'new');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(join(dir, 'sub'))).toEqual(['out.json']);
  });

  it('leaves the target untouched and no temp file when the rename fails', async () => {
    // A non-empty directory at the target path makes the rename fail after the temp file is written.
    const target = join(dir, 'out.json');
    await mkdir(target);
    await writeFile(join(target, 'keep'), 'old');
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow(SnapshotError);
    expect(await readdir(dir)).toEqual(['out.json']);
    expect(await readFile(join(target, 'keep'), 'utf8')).toBe('old');
  });

  it('lets a concurrent reader see the old or the new content, never part of one', async () => {
    const target = join(dir, 'big.json');
    const [a, b] = ['a'.repeat(1 << 20), 'b'.repeat(1 << 20)];
    await writeFileAtomic(target, a);
    let writing = true;
    const reads: string[] = [];
    const reader = (async () => {
      while (writing) reads.push(await readFile(target, 'utf8'));
    })();
    for (let i = 0; i < 10; i++) await writeFileAtomic(target, i % 2 ? a : b);
    writing = false;
    await reader;
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r === a || r === b)).toBe(true);
    expect(await readdir(dir)).toEqual(['big.json']);
  });
});
