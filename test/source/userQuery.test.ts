import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { checkUserQueries, idsFromRows, userSourceRow } from '../../src/source/userQuery.ts';

const IDS = 'SELECT id FROM orders';

function refusal(check: () => unknown): string {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error('expected a UsageError');
}

describe('checkUserQueries', () => {
  it('keeps a MySQL query as it is, without a trailing semicolon', () => {
    expect(checkUserQueries('mysql', ' SELECT * FROM orders WHERE id = ?; ', `${IDS};`)).toEqual({
      read: 'SELECT * FROM orders WHERE id = ?',
      ids: IDS,
    });
  });

  it('turns PostgreSQL’s one ? into $1, and takes $1 as written', () => {
    expect(checkUserQueries('postgres', "SELECT * FROM o WHERE note <> '?' AND id = ?", IDS).read).toBe(
      "SELECT * FROM o WHERE note <> '?' AND id = $1",
    );
    expect(checkUserQueries('postgres', 'SELECT * FROM o WHERE id = $1 OR parent = $1', IDS).read).toBe(
      'SELECT * FROM o WHERE id = $1 OR parent = $1',
    );
  });

  it('sees through literals, quoted names and comments', () => {
    const query = "select /* ; into */ `a;b`, 'it''s; \\' ?' -- ; ?\n FROM t # into\n WHERE id = ?";
    expect(checkUserQueries('mysql', query, IDS).read).toBe(query);
    expect(checkUserQueries('postgres', 'SELECT $$; ?$$, "x;y" FROM t WHERE id = ?', IDS).read).toBe(
      'SELECT $$; ?$$, "x;y" FROM t WHERE id = $1',
    );
  });

  it.each([
    ['mysql', 'DELETE FROM t WHERE id = ?', /is not a SELECT/],
    ['mysql', 'UPDATE t SET a = 1 WHERE id = ?', /is not a SELECT/],
    ['mysql', 'WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x WHERE id = ?', /is not a SELECT/],
    ['mysql', 'SELECT * FROM t WHERE id = ?; DROP TABLE t', /more than one statement/],
    ['postgres', 'SELECT * INTO copy FROM t WHERE id = ?', /contains "INTO"/],
    ['mysql', "SELECT * FROM t WHERE id = ? INTO OUTFILE '/tmp/x'", /contains "INTO"/],
    ['postgres', 'SELECT * FROM t WHERE id = ? FOR UPDATE', /contains "FOR UPDATE"/],
    ['mysql', 'SELECT * FROM t WHERE id = ? LOCK IN SHARE MODE', /contains "LOCK IN SHARE MODE"/],
    ['mysql', 'SELECT /*!50000 1; DROP TABLE t */ FROM t WHERE id = ?', /executable comment/],
    ['mysql', "SELECT 'open FROM t WHERE id = ?", /unclosed '/],
    ['mysql', 'SELECT * FROM t', /0 "\?" placeholders: expected exactly one/],
    ['mysql', 'SELECT * FROM t WHERE id = ? OR b = ?', /2 "\?" placeholders/],
    ['postgres', 'SELECT * FROM t WHERE id = $2', /other than \$1/],
    ['mysql', 'SELECT * FROM t WHERE id = $1', /0 "\?" placeholders/],
  ] as const)('%s: refuses %j', (dialect, query, problem) => {
    const message = refusal(() => checkUserQueries(dialect, query, IDS));
    expect(message).toMatch(/^--source-query "/);
    expect(message).toMatch(problem);
  });

  it('refuses an id list that is not one SELECT without parameters', () => {
    expect(refusal(() => checkUserQueries('mysql', 'SELECT * FROM t WHERE id = ?', 'TRUNCATE t'))).toMatch(
      /^--source-ids "TRUNCATE t" is not a SELECT/,
    );
    expect(
      refusal(() => checkUserQueries('postgres', 'SELECT * FROM t WHERE id = ?', 'SELECT id FROM t WHERE a > $1')),
    ).toMatch(/has a placeholder/);
  });
});

describe('idsFromRows and userSourceRow', () => {
  it('takes each row’s first column in order, once', () => {
    expect(idsFromRows([{ id: 30 }, { id: 'a' }, { id: 30 }, { id: 10 }], IDS)).toEqual([30, 'a', 10]);
  });

  it('refuses no rows and null ids', () => {
    expect(refusal(() => idsFromRows([], IDS))).toMatch(/returned no rows/);
    expect(refusal(() => idsFromRows([{ id: 1 }, { id: null }], IDS))).toMatch(/returned a null id/);
  });

  it('sets id to the key index and version to the row’s number, else 0', () => {
    expect(userSourceRow({ id: 'uuid-1', sku: 'x' }, 7)).toEqual({ id: 7, sku: 'x', version: 0 });
    expect(userSourceRow({ sku: 'x', version: '12' }, 2)).toEqual({ id: 2, sku: 'x', version: 12 });
    expect(userSourceRow({ version: null }, 3)).toEqual({ id: 3, version: 0 });
  });
});
