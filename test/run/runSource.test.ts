/**
 * The run's choice of source, as pure logic: which combinations of --source,
 * SOURCE_URL, --source-query and --source-ids are refused (exit 2) before
 * anything starts, the 0 ms source latency a database gets unless one is
 * given, the key space fitted to the user's ids, and how tables name it.
 */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../src/config/args.ts';
import { resolveRun, resolveSettings } from '../../src/config/resolve.ts';
import { UsageError } from '../../src/errors.ts';
import { sourceLabel } from '../../src/report/environment.ts';
import { fitKeysToIds, planSource, sourceDefaults } from '../../src/run/runSource.ts';
import { SUITES } from '../../src/suites/registry.ts';
import { sourceCountsDisagree, ttlSweep } from '../../src/suites/ttlSweep.ts';
import { buildSnapshot } from '../helpers/snapshots.ts';

function request(args: string[]) {
  const parsed = parseBenchArgs(args, {}, SUITES, false);
  if (parsed.kind !== 'run') throw new Error('expected a run');
  return parsed.request;
}

function plan(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = request(args);
  return planSource(
    resolveRun(r),
    env,
    SUITES.filter((s) => r.suites.includes(s.name)),
  );
}

const MYSQL = 'mysql://root:s3cret@127.0.0.1:3306/test';
const USER = ['--source-query', 'SELECT * FROM orders WHERE id = ?', '--source-ids', 'SELECT id FROM orders'];

describe('choosing the source', () => {
  it('is SQLite in memory by default, the flag over SOURCE_URL otherwise', () => {
    expect(plan(['ttl-sweep']).target).toMatchObject({ kind: 'sqlite', path: ':memory:' });
    expect(plan(['ttl-sweep'], { SOURCE_URL: MYSQL }).target).toMatchObject({ kind: 'mysql', from: 'SOURCE_URL' });
    const both = plan(['ttl-sweep', '--source', 'postgres://postgres@127.0.0.1/test'], { SOURCE_URL: MYSQL });
    expect(both.target).toMatchObject({ kind: 'postgres', port: 5432, from: '--source' });
  });

  it('refuses a bad URL at the flag, redacted, and a bad SOURCE_URL before anything starts', () => {
    expect(() => request(['--source', 'mysql://root:s3cret@127.0.0.1:3306'])).toThrow(
      /^--source "mysql:\/\/root:\*\*\*@127\.0\.0\.1:3306" names no database/,
    );
    expect(() => plan(['ttl-sweep'], { SOURCE_URL: 'redis://x/0' })).toThrow(/^SOURCE_URL "redis:\/\/x\/0" has scheme/);
  });

  it('takes the user query mode with both queries on a database, and read-only suites only', () => {
    expect(plan(['ttl-sweep', 'read-path', '--source', MYSQL, ...USER]).user).toEqual({
      query: 'SELECT * FROM orders WHERE id = ?',
      ids: 'SELECT id FROM orders',
    });
    const refusals: [string[], RegExp][] = [
      [['ttl-sweep', '--source', MYSQL, ...USER.slice(0, 2)], /^--source-query is given without --source-ids/],
      [['ttl-sweep', '--source', MYSQL, ...USER.slice(2)], /^--source-ids is given without --source-query/],
      [['ttl-sweep', ...USER], /^--source-query reads a database/],
      [['ttl-sweep', 'freshness', '--source', MYSQL, ...USER], /read-only, and freshness writes to the source/],
      // No suites named: all of them, freshness included.
      [['--source', MYSQL, ...USER], /freshness writes/],
    ];
    for (const [args, message] of refusals) {
      expect(() => plan(args)).toThrow(UsageError);
      expect(() => plan(args)).toThrow(message);
    }
  });
});

describe('source latency on a database', () => {
  const ttlSweep = SUITES.find((s) => s.name === 'ttl-sweep');
  if (ttlSweep === undefined) throw new Error('no ttl-sweep');
  const resolve = (args: string[]) => {
    const r = request(['ttl-sweep', ...args]);
    return resolveSettings(ttlSweep, r, sourceDefaults(planSource(resolveRun(r), {}, [ttlSweep])));
  };

  it('is 0 unless given; SQLite keeps the 1 ms stand-in', () => {
    expect(resolve(['--source', MYSQL]).sourceLatency).toEqual({ kind: 'fixed', ms: 0 });
    expect(resolve([]).sourceLatency).toEqual({ kind: 'fixed', ms: 1 });
    expect(resolve(['--source', MYSQL, '--source-latency', '2ms']).sourceLatency).toEqual({ kind: 'fixed', ms: 2 });
  });
});

describe("the user's ids as the key space", () => {
  const suites = SUITES.filter((s) => s.name === 'ttl-sweep' || s.name === 'stampede');
  const fitted = (args: string[], ids: number) => {
    const r = request(args);
    const p = suites.map((suite) => ({ suite, production: resolveSettings(suite, r) }));
    const notes: string[] = [];
    fitKeysToIds(p, ids, r, (line) => notes.push(line));
    return { keys: p.map((e) => [e.production.keys, e.production.hotKeys]), notes };
  };

  it('uses all the ids unless --keys asks for fewer; more than there are gets a note', () => {
    expect(fitted([], 50)).toEqual({
      keys: [
        [50, 4],
        [50, 4],
      ],
      notes: [],
    });
    expect(fitted(['--keys', '20'], 50)).toEqual({
      keys: [
        [20, 4],
        [20, 4],
      ],
      notes: [],
    });
    const over = fitted(['--keys', '80', '--hot-keys', '60'], 50);
    expect(over.keys).toEqual([
      [50, 60],
      [50, 50],
    ]);
    expect(over.notes).toEqual([
      'note: ttl-sweep: --keys 80 is more than the 50 ids --source-ids returned; using 50',
      'note: stampede: --keys 80 is more than the 50 ids --source-ids returned; using 50',
      'note: stampede: --hot-keys 60 is more than the 50 ids; using 50',
    ]);
  });
});

describe('how tables name the source', () => {
  it('says which database, its version and the pool', () => {
    expect(sourceLabel({ kind: 'mysql', version: '10.11.19-MariaDB-0+deb12u1', pool: 10 })).toBe(
      'MariaDB 10.11.19, pool 10',
    );
    expect(sourceLabel({ kind: 'mysql', version: '8.0.36' })).toBe('MySQL 8.0.36');
    expect(sourceLabel({ kind: 'postgres', version: '15.20 (Debian 15.20-0+deb12u1)', pool: 3 })).toBe(
      'PostgreSQL 15.20, pool 3',
    );
    expect(sourceLabel({ kind: 'sqlite', version: '3.53.2' })).toBe('SQLite 3.53.2');
  });
});

describe("the database's own count of source reads in ttl-sweep", () => {
  it('is flagged when more than 2% from the client count, and shown only when a database counted', () => {
    expect(sourceCountsDisagree({ sourceReadsPerSec: 1000, serverSourceReadsPerSec: 1019 })).toBe(false);
    expect(sourceCountsDisagree({ sourceReadsPerSec: 1000, serverSourceReadsPerSec: 1021 })).toBe(true);
    expect(sourceCountsDisagree({ sourceReadsPerSec: 1000, serverSourceReadsPerSec: 970 })).toBe(true);
    expect(sourceCountsDisagree({ sourceReadsPerSec: 1000, serverSourceReadsPerSec: null })).toBe(false);
    const snapshot = buildSnapshot();
    const section = snapshot.suites['ttl-sweep'] as never as Parameters<typeof ttlSweep.tables>[0];
    expect(ttlSweep.tables(section, { speedup: 1 })[0]?.head).not.toContain('server reads/s');
    const rows = (section as unknown as { rows: { serverSourceReadsPerSec: number | null }[] }).rows;
    for (const row of rows) row.serverSourceReadsPerSec = 150;
    const table = ttlSweep.tables(section, { speedup: 1 })[0];
    const column = table?.head.indexOf('server reads/s') ?? -1;
    expect(column).toBeGreaterThan(0);
    expect(table?.rows.map((r) => r[column])).toEqual(rows.map(() => '150 !'));
    expect(
      table?.notes.some((n) =>
        /the source's own count \(150 reads\/s\) is more than 2% from the client's \(100\)/.test(n),
      ),
    ).toBe(true);
  });
});
