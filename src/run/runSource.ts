/**
 * The run's source, chosen by `--source` / `SOURCE_URL`: the SQLite stand-in
 * in process, or a MySQL/MariaDB or PostgreSQL server — with a table the run
 * owns (`cab_<run id>_products`, seeded from `--seed`, dropped on every exit
 * path by the run's cleanup, beside its Redis keys) or the user's own table,
 * read-only (`--source-query` with `--source-ids`).
 */
import type { BenchRequest } from '../config/args.ts';
import type { Settings } from '../config/options.ts';
import { resolveSourceTarget, type SourceTarget } from '../config/sourceUrl.ts';
import { InterruptedError, SourceError, UsageError } from '../errors.ts';
import type { SourceDriver } from '../source/driver.ts';
import { SqliteDriver } from '../source/sqliteDriver.ts';
import type { Suite } from '../suites/suite.ts';

export interface SourcePlan {
  target: SourceTarget;
  /** The user's own table, read-only. */
  user?: { query: string; ids: string };
}

type Plan = { suite: Suite; production: Settings }[];

/** Where the source is and in which mode, checked before anything starts: a bad combination exits 2. */
export function planSource(run: Settings, env: NodeJS.ProcessEnv, suites: readonly Suite[]): SourcePlan {
  const target = resolveSourceTarget(run.sourceUrl, env);
  const { sourceQuery: query, sourceIds: ids } = run;
  if (query === undefined && ids === undefined) return { target };
  if (query === undefined || ids === undefined) {
    const [given, missing] =
      query === undefined ? ['--source-ids', '--source-query'] : ['--source-query', '--source-ids'];
    throw new UsageError(`${given} is given without ${missing}: expected both, the point SELECT and the ids it reads`);
  }
  if (target.kind === 'sqlite') {
    throw new UsageError(
      '--source-query reads a database: expected --source (or SOURCE_URL) mysql://user@host:port/db or postgres://…',
    );
  }
  const writing = suites.filter((suite) => suite.writesSource).map((suite) => suite.name);
  if (writing.length > 0) {
    throw new UsageError(
      `--source-query reads the user's table read-only, and ${writing.join(', ')} ${writing.length === 1 ? 'writes' : 'write'} to the source: expected suites that only read (${suites
        .filter((suite) => !suite.writesSource)
        .map((suite) => suite.name)
        .join(', ')}), named on the command line`,
    );
  }
  return { target, user: { query, ids } };
}

/**
 * The run's defaults for every suite: with a real database, `--source-latency`
 * is 0, since the database's own round trip is the latency (a given value
 * still adds delay, standing for a remote server). The snapshot's settings
 * record the 0.
 */
export function sourceDefaults(plan: SourcePlan): ((settings: Settings) => Partial<Settings>) | undefined {
  if (plan.target.kind === 'sqlite') return undefined;
  return () => ({ sourceLatency: { kind: 'fixed', ms: 0 } });
}

/** Connections the database pool opens: the largest `--source-pool` of the suites (each bounds its own reads). */
export function poolSize(plan: Plan): number {
  return Math.max(1, ...plan.map(({ production }) => production.sourcePool ?? 10));
}

/** Opens the source (a database within 5 s, else exit 1); `runId` names the owned table. */
export async function openSource(plan: SourcePlan, runId: string, pool: number): Promise<SourceDriver> {
  const { target } = plan;
  if (target.kind !== 'sqlite') {
    // Loaded only for a database: a SQLite run (and a bad-input exit) does not load mysql2 and pg.
    const { openDatabaseSource } = await import('../source/databaseSource.ts');
    return openDatabaseSource(target, { pool, runId, user: plan.user });
  }
  try {
    return new SqliteDriver(target.path);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SourceError(`cannot open the SQLite source ${target.display}: ${message}`);
  }
}

/** Seeds the owned table; Ctrl-C stops a long seed at its next batch (close() drops the table). */
export async function seedSource(
  driver: SourceDriver,
  rows: number,
  seed: number,
  signal: AbortSignal,
  payloadSizes?: ArrayLike<number>,
): Promise<{ rows: number; ms: number }> {
  const interrupted = () =>
    new InterruptedError('interrupted while seeding the source: its table was dropped and nothing was saved');
  // Ctrl-C while connecting: an already aborted signal fires no listener.
  if (signal.aborted) throw interrupted();
  const stop = () => void driver.close();
  signal.addEventListener('abort', stop, { once: true });
  try {
    return await driver.seed(rows, seed, payloadSizes);
  } catch (error) {
    if (signal.aborted) throw interrupted();
    throw error;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/**
 * The user's table has as many keys as `--source-ids` returned: a suite's
 * key space is all of them, or its first `--keys`. A key count beyond the ids
 * cannot be honoured; a note says so.
 */
export function fitKeysToIds(plan: Plan, ids: number, request: BenchRequest, note: (line: string) => void): void {
  const chosen = (name: string, key: 'keys' | 'hotKeys') =>
    request.given[key] !== undefined || request.pinned[name]?.[key] !== undefined;
  for (const { suite, production } of plan) {
    const keys = production.keys ?? ids;
    if (!chosen(suite.name, 'keys')) production.keys = ids;
    else if (keys > ids) {
      note(`note: ${suite.name}: --keys ${keys} is more than the ${ids} ids --source-ids returned; using ${ids}`);
      production.keys = ids;
    }
    if (suite.uses.includes('hotKeys') && (production.hotKeys ?? 0) > ids) {
      note(`note: ${suite.name}: --hot-keys ${production.hotKeys} is more than the ${ids} ids; using ${ids}`);
      production.hotKeys = ids;
    }
  }
}

/** What the run says about its source when it starts. */
export function sourceLine(driver: SourceDriver, seeded: { rows: number; ms: number } | null): string {
  const where = driver.kind === 'sqlite' ? `SQLite ${driver.version}` : `${driver.display} (${driver.version})`;
  if (seeded === null) return `source: ${where}, read-only, ${driver.keys().toLocaleString('en-US')} ids`;
  const table = driver.table === null ? '' : ` into ${driver.table}`;
  return `source: ${where}, ${seeded.rows.toLocaleString('en-US')} rows seeded${table} in ${(seeded.ms / 1000).toFixed(1)} s`;
}
