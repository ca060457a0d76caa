/**
 * Opening a real database as the source, and the crash-safe cleanup of a
 * run's tables. SQLite is not here: it opens in process, with no server.
 */

import type { DatabaseTarget } from '../config/sourceUrl.ts';
import type { DatabaseDriverOptions } from './databaseDriver.ts';
import { queryError } from './databaseErrors.ts';
import type { SourceDriver } from './driver.ts';
import { mysqlTableSession, openMysqlDriver } from './mysqlDriver.ts';
import { openPostgresDriver, postgresTableSession } from './postgresDriver.ts';
import { isRunTable, runTableLike } from './productRows.ts';

/**
 * Connects (within 5 s, else SourceUnreachableError/SourceAuthError, exit 1)
 * and, in read-only mode, loads the user's ids. Bad pool sizes or user
 * queries throw UsageError before anything is sent.
 */
export function openDatabaseSource(target: DatabaseTarget, options: DatabaseDriverOptions): Promise<SourceDriver> {
  return target.kind === 'mysql' ? openMysqlDriver(target, options) : openPostgresDriver(target, options);
}

/**
 * Drops every `cab_<runId>_…` table in the target's database and returns
 * their names: for a run that died before its own close(). Tables of other
 * runs and the user's tables are never touched (LIKE on the escaped prefix,
 * checked again by name before each DROP).
 */
export async function dropRunTables(target: DatabaseTarget, runId: string): Promise<string[]> {
  const pattern = runTableLike(runId);
  const session =
    target.kind === 'mysql' ? await mysqlTableSession(target, runId) : await postgresTableSession(target, runId);
  try {
    const tables = (await session.tablesLike(pattern)).filter((table) => isRunTable(table, runId));
    for (const table of tables) await session.dropTable(table);
    return tables;
  } catch (error) {
    throw queryError(error, target, `dropping the tables of run ${runId}`);
  } finally {
    await session.end();
  }
}
