/**
 * Whole CLI runs with a real database as the source, against the machine's
 * MariaDB and PostgreSQL (see test/helpers/databases.ts): the owned table
 * exists while the run does and is gone after a normal end, Ctrl-C (also
 * mid-seed) and a failure; a user's table in the same database is unchanged
 * in both modes; the pool bound holds on the server; the server's own count
 * of source reads agrees with the client's; bad input exits 2 and refused or
 * unreachable servers exit 1 with one line that never shows the password.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, errorLines, runCli, STACK_LINE, savedSnapshot, startCli, tempDir } from '../helpers/cli.ts';
import { closedPort, sampleWhile, target } from '../helpers/databases.ts';
import { type DbFixture, mariadbFixture, postgresFixture, type UserTable, userTable } from '../helpers/dbFixtures.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await useRedisServer();
});

const BASE = ['--keys', '500', '--warmup', '300ms', '--seed', '7'];
const SHORT = [...BASE, '--duration', '1s', '--rate', '400'];
const OWNED = /^cab_[0-9a-z]+_products$/;
/** Whole CLI runs, several per test, on a machine other work shares: far beyond the 30 s default. */
const CLI_TIMEOUT = 180_000;

/** What a test sees of one database: the run tables present, a seed under way, the run's connections. */
interface RunView {
  db: DbFixture;
  /** A URL whose connections `connections()` counts. */
  url: string;
  password: string;
  tables(): Promise<string[]>;
  seeding(): Promise<boolean>;
  connections(): Promise<{ open: number; busy: number }>;
}

async function mariadbView(): Promise<RunView> {
  const db = await mariadbFixture();
  // A login of its own, so that its connections are the run's alone in the process list.
  const iso = await db.isolated();
  const tables = async () =>
    (await db.query("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'test'"))
      .map((r) => String(r.t))
      .filter((t) => OWNED.test(t));
  return {
    db,
    url: iso.url,
    password: target(iso.url).password,
    tables,
    seeding: async () => (await tables()).length > 0,
    connections: () => iso.connections(),
  };
}

async function postgresView(): Promise<RunView> {
  const db = await postgresFixture();
  const iso = await db.isolated();
  const runs = "FROM pg_stat_activity WHERE application_name LIKE 'cache-aside-bench:%'";
  return {
    db,
    url: iso.url,
    password: target(iso.url).password,
    tables: async () =>
      (await db.query("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'"))
        .map((r) => String(r.t))
        .filter((t) => OWNED.test(t)),
    // The CREATE commits with the rows: a seed under way shows as its INSERT.
    seeding: async () => (await db.query(`SELECT 1 ${runs} AND query LIKE 'INSERT INTO cab_%'`)).length > 0,
    async connections() {
      const [row] = await db.query(`SELECT COUNT(*) AS open, COUNT(*) FILTER (WHERE state = 'active') AS busy ${runs}`);
      return { open: Number(row?.open), busy: Number(row?.busy) };
    },
  };
}

/**
 * The run tables seen by polling until one shows up or the run ends. Polling
 * then stops: every poll is a statement the database counts, and the run's
 * server-side count of its source reads must see none but the run's own.
 */
async function tablesOnceSeen(view: RunView, run: Promise<unknown>): Promise<string[]> {
  let ended = false;
  void run.finally(() => {
    ended = true;
  });
  while (!ended) {
    const tables = await view.tables();
    if (tables.length > 0) return tables;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return [];
}

function oneErrorLine(result: CliResult, code: number): string {
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.code).toBe(code);
  const lines = errorLines(result.stderr);
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

describe.each([
  ['MariaDB', mariadbView],
  ['PostgreSQL', postgresView],
])('a run against %s', (name, view) => {
  let v: RunView;
  let user: UserTable;
  beforeAll(async () => {
    v = await view();
    user = await userTable(v.db);
  });
  const source = () => ['--source', v.url, '--redis-url', redis.url];

  it(
    'runs ttl-sweep and read-path on an owned table, drops it, leaves the user table as it was',
    async () => {
      const before = await user.state();
      const out = tempDir();
      const run = startCli(['ttl-sweep', 'read-path', ...SHORT, '--ttl', '0,1s', ...source(), '--out', out]);
      const seen = await tablesOnceSeen(v, run.result);
      const result = await run.result;
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.code).toBe(0);
      expect(seen).toHaveLength(1);
      expect(await v.tables()).toEqual([]);
      expect(await user.state()).toEqual(before);
      expect(`${result.stdout}${result.stderr}`).not.toContain(v.password);
      expect(result.stdout).toContain(`— source: ${name} `);
      const snapshot = savedSnapshot(out) as unknown as {
        env: { source: { kind: string; version: string; pool: number } };
        config: { source: string };
        suites: Record<string, { settings: { sourceLatency: unknown }; rows: Record<string, number | null>[] }>;
      };
      expect(snapshot.env.source).toEqual({ kind: target(v.url).kind, version: expect.any(String), pool: 10 });
      expect(snapshot.config.source).toMatch(/:\*\*\*@127\.0\.0\.1:/);
      // A real database is its own latency: none added unless asked.
      expect(snapshot.suites['ttl-sweep']?.settings.sourceLatency).toEqual({ kind: 'fixed', ms: 0 });
      for (const row of snapshot.suites['ttl-sweep']?.rows ?? []) {
        const client = Number(row.sourceReadsPerSec);
        expect(client).toBeGreaterThan(0);
        // Both count the same window of the same reads; nothing else queries this database during the test.
        expect(Math.abs(Number(row.serverSourceReadsPerSec) - client)).toBeLessThanOrEqual(0.02 * client);
      }
    },
    CLI_TIMEOUT,
  );

  it(
    'keeps at most --source-pool connections open and busy on the server',
    async () => {
      const args = [
        'ttl-sweep',
        ...BASE,
        '--duration',
        '1s',
        '--ttl',
        '0',
        '--concurrency',
        '12',
        '--source-pool',
        '3',
        ...source(),
      ];
      const run = startCli([...args, '--no-save']);
      const samples = await sampleWhile(run.result, () => v.connections(), 20);
      expect((await run.result).code).toBe(0);
      expect(Math.max(...samples.map((s) => s.open))).toBe(3);
      expect(Math.max(...samples.map((s) => s.busy))).toBeLessThanOrEqual(3);
      expect(Math.max(...samples.map((s) => s.busy))).toBeGreaterThanOrEqual(1);
    },
    CLI_TIMEOUT,
  );

  it(
    'drops the owned table on Ctrl-C mid-run and mid-seed, and after a failure',
    async () => {
      const before = await user.state();
      const midRun = await runCli(
        ['ttl-sweep', ...BASE, '--rate', '400', '--ttl', '1s', '--duration', '20s', ...source(), '--no-save'],
        {
          signalWhen: async () => (await v.tables()).length > 0,
          signalAfterMs: 1500,
        },
      );
      expect(oneErrorLine({ ...midRun, stderr: midRun.stderr.replace(/^\s*SIGINT: .*$/m, '') }, 1)).toMatch(
        /interrupted/,
      );
      expect(await v.tables()).toEqual([]);
      // Two million rows take many seconds to seed: Ctrl-C stops the seed and drops the table.
      const midSeed = await runCli(['ttl-sweep', '--keys', '2000000', '--duration', '1s', ...source(), '--no-save'], {
        signalWhen: () => v.seeding(),
        signalAfterMs: 300,
      });
      expect(midSeed.code).toBe(1);
      expect(midSeed.stderr).toMatch(/interrupted while seeding/);
      expect(await v.tables()).toEqual([]);
      // The snapshot cannot be written (a file under /dev/null): the run fails after it measured.
      const failed = await runCli([
        'ttl-sweep',
        ...SHORT,
        '--ttl',
        '1s',
        ...source(),
        '--out',
        tempDir(),
        '--json',
        '/dev/null/run.json',
      ]);
      expect(oneErrorLine(failed, 1)).toMatch(/cannot write \/dev\/null\/run\.json/);
      expect(await v.tables()).toEqual([]);
      expect(await user.state()).toEqual(before);
    },
    CLI_TIMEOUT,
  );

  it(
    "reads the user's own table read-only: no table created, the table unchanged, keys = its ids",
    async () => {
      const before = await user.state();
      const out = tempDir();
      const placeholder = name === 'MariaDB' ? '?' : '$1';
      const query = ['--source-query', `SELECT * FROM ${user.name} WHERE id = ${placeholder}`];
      const ids = ['--source-ids', `SELECT id FROM ${user.name} ORDER BY id`];
      const run = startCli(['ttl-sweep', ...SHORT, '--ttl', '1s', ...query, ...ids, ...source(), '--out', out]);
      const seen = await sampleWhile(run.result, () => v.tables(), 50);
      const result = await run.result;
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.code).toBe(0);
      expect(seen.flat()).toEqual([]);
      expect(await user.state()).toEqual(before);
      const snapshot = savedSnapshot(out) as unknown as {
        suites: { 'ttl-sweep': { settings: { keys: number }; rows: { serverSourceReadsPerSec: unknown }[] } };
      };
      // The database's own count works in read-only sessions too (this test's polling adds to it: not compared).
      for (const row of snapshot.suites['ttl-sweep'].rows)
        expect(row.serverSourceReadsPerSec).toEqual(expect.any(Number));
      // 500 keys asked, 50 ids returned: the run says so and uses the 50.
      expect(snapshot.suites['ttl-sweep'].settings.keys).toBe(user.ids.length);
      expect(result.stderr).toMatch(/--keys 500 is more than the 50 ids/);
      // freshness writes: refused in this mode before anything starts.
      const refused = await runCli(['freshness', ...query, ...ids, ...source()]);
      expect(oneErrorLine(refused, 2)).toMatch(
        /^error: --source-query reads the user's table read-only, and freshness/,
      );
    },
    CLI_TIMEOUT,
  );
});

describe('bad sources', () => {
  it.each([
    [['--source', 'ftp://root@127.0.0.1/test'], {}, /has scheme "ftp"/],
    [['--source', 'mysql://root@127.0.0.1:3306'], {}, /names no database/],
    [[], { SOURCE_URL: 'postgres://u:hunter2@/test' }, /^error: SOURCE_URL "postgres:\/\/u:\*\*\*@\/test"/],
    [['--source-query', 'SELECT * FROM t WHERE id = ?', '--source-ids', 'SELECT id FROM t'], {}, /reads a database/],
  ])('%j %j exits 2 with one line', async (args, env, message) => {
    const result = await runCli(['ttl-sweep', ...args], { env });
    expect(oneErrorLine(result, 2)).toMatch(message);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('a wrong password exits 1, one line naming host:port, never the password', async () => {
    const db = await mariadbFixture();
    const iso = await db.isolated();
    const wrong = `${target(iso.url).password}-wrong`;
    const url = iso.url.replace(target(iso.url).password, wrong);
    const result = await runCli(['ttl-sweep', ...SHORT, '--source', url, '--redis-url', redis.url, '--no-save']);
    const line = oneErrorLine(result, 1);
    // The connection itself is refused at once; the rest is the CLI starting (5x margin on a busy machine).
    expect(result.durationMs).toBeLessThan(25_000);
    expect(line).toMatch(/MariaDB at 127\.0\.0\.1:3306 refused the login/);
    expect(`${result.stdout}${result.stderr}`).not.toContain(wrong);
  });

  it('an unreachable server exits 1 with one line naming host:port', async () => {
    const port = await closedPort();
    const url = `postgres://postgres:pw@127.0.0.1:${port}/test`;
    const result = await runCli(['ttl-sweep', ...SHORT, '--source', url, '--redis-url', redis.url]);
    expect(oneErrorLine(result, 1)).toMatch(new RegExp(`cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}`));
    expect(result.stderr).not.toContain(':pw@');
  });
});
