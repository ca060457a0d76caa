/**
 * The MySQL/MariaDB source against the machine's MariaDB (127.0.0.1:3306,
 * root, database `test`): the shared driver behaviour, plus a refused login
 * by a throwaway user with a password, created and dropped here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf, formatError, SourceAuthError } from '../../src/errors.ts';
import { openDatabaseSource } from '../../src/source/databaseSource.ts';
import { mariadbAdmin, openTracked, target } from '../helpers/databases.ts';
import { mariadbFixture, throwawayMariadbUser } from '../helpers/dbFixtures.ts';
import { expectOneLine, rejection, sourceDriverSuite } from '../helpers/sourceDriverSuite.ts';

describe('MySQL/MariaDB source', () => {
  sourceDriverSuite(mariadbFixture);

  describe('logins', () => {
    let login: { user: string; password: string };
    beforeAll(async () => {
      login = await throwawayMariadbUser(await mariadbAdmin());
    });

    it('a wrong password fails with SourceAuthError (exit 1), naming host:port and never the password', async () => {
      const wrong = `Wr0ng-${login.password}`;
      const url = `mysql://${login.user}:${encodeURIComponent(wrong)}@127.0.0.1:3306/test`;
      const error = await rejection(openDatabaseSource(target(url), { pool: 2, runId: 'x' }), SourceAuthError);
      expect([error.code, exitCodeOf(error)]).toEqual(['E_SOURCE_AUTH', 1]);
      expectOneLine(error, 'MySQL/MariaDB at 127.0.0.1:3306', wrong);
      expect(error.message).not.toContain(login.password);
      expect(formatError(error, false)).toBe(`error: ${error.message}`);
      // The same user with the right password gets in: the refusal above was the password's.
      const driver = await openTracked(`mysql://${login.user}:${login.password}@127.0.0.1:3306/test`);
      expect(driver.version).toMatch(/MariaDB|^\d+\.\d+/);
      expect(driver.display).toBe(`mysql://${login.user}:***@127.0.0.1:3306/test`);
    });

    it('a database that does not exist fails with SourceAuthError naming it', async () => {
      const url = `mysql://${login.user}:${login.password}@127.0.0.1:3306/cab_no_such_db`;
      const error = await rejection(openDatabaseSource(target(url), { pool: 2, runId: 'x' }), SourceAuthError);
      expectOneLine(error, 'MySQL/MariaDB at 127.0.0.1:3306', login.password);
      expect(error.message).toMatch(/refused database "cab_no_such_db"/);
    });
  });
});
