/**
 * The PostgreSQL source against the machine's PostgreSQL (127.0.0.1:5432,
 * postgres, trust, database `test`): the shared driver behaviour, plus
 * refused logins. Trust authentication accepts any password, so a wrong
 * password cannot be refused here: an unknown role and a missing database
 * stand for it (the unreachable cases are in the shared suite).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeOf, SourceAuthError } from '../../src/errors.ts';
import { openDatabaseSource } from '../../src/source/databaseSource.ts';
import { openTracked, POSTGRES_URL, target } from '../helpers/databases.ts';
import { postgresFixture } from '../helpers/dbFixtures.ts';
import { expectOneLine, rejection, sourceDriverSuite } from '../helpers/sourceDriverSuite.ts';

const PASSWORD = 'pg-s3cret-never-shown';

describe('PostgreSQL source', () => {
  sourceDriverSuite(postgresFixture);

  describe('logins', () => {
    it('an unknown role fails with SourceAuthError (exit 1), naming host:port and never the password', async () => {
      const url = `postgres://cab_no_such_role:${PASSWORD}@127.0.0.1:5432/test`;
      const error = await rejection(openDatabaseSource(target(url), { pool: 2, runId: 'x' }), SourceAuthError);
      expect([error.code, exitCodeOf(error)]).toEqual(['E_SOURCE_AUTH', 1]);
      expectOneLine(error, 'PostgreSQL at 127.0.0.1:5432', PASSWORD);
      expect(error.message).toContain('"cab_no_such_role"');
    });

    it('a database that does not exist fails with SourceAuthError naming it', async () => {
      const url = `postgres://postgres:${PASSWORD}@127.0.0.1:5432/cab_no_such_db`;
      const error = await rejection(openDatabaseSource(target(url), { pool: 2, runId: 'x' }), SourceAuthError);
      expectOneLine(error, 'PostgreSQL at 127.0.0.1:5432', PASSWORD);
      expect(error.message).toMatch(/refused database "cab_no_such_db"/);
    });

    it('reports the server version and a redacted display', async () => {
      const driver = await openTracked(POSTGRES_URL.replace('postgres@', `postgres:${PASSWORD}@`));
      expect(driver.version).toMatch(/^\d+\.\d+/);
      expect(driver.display).toBe('postgres://postgres:***@127.0.0.1:5432/test');
    });
  });
});
