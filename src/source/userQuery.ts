/**
 * The user's own table, read-only: `--source-query "SELECT … WHERE id = ?"`
 * and `--source-ids "SELECT id FROM …"`. Only these two statements are ever
 * sent, so each must be one plain SELECT: no second statement, no SELECT …
 * INTO (which writes a table or a file), no row locks, no MySQL executable
 * comment. The drivers also open their sessions read-only, so the server
 * itself refuses a write this lexical check did not see (a function with
 * side effects, say).
 */
import { UsageError } from '../errors.ts';
import type { SourceRow } from './driver.ts';

export interface UserQueries {
  /** The point read, with its one placeholder in the driver's syntax (`?` for MySQL, `$1` for PostgreSQL). */
  read: string;
  /** The key list: its first column gives the ids, in order. */
  ids: string;
}

type Dialect = 'mysql' | 'postgres';

export function checkUserQueries(dialect: Dialect, query: string, ids: string): UserQueries {
  const read = checkSelect(dialect, '--source-query', query, 'SELECT … FROM … WHERE id = ?');
  const list = checkSelect(dialect, '--source-ids', ids, 'SELECT id FROM …');
  if (list.placeholders.length > 0 || /\$\d/.test(list.code)) {
    throw new UsageError(`--source-ids "${brief(ids)}" has a placeholder: expected a query without parameters`);
  }
  const show = `--source-query "${brief(query)}"`;
  const numbered = [...read.code.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
  if (dialect === 'postgres' && read.placeholders.length === 0 && numbered.length > 0) {
    if (numbered.some((n) => n !== 1))
      throw new UsageError(`${show} uses a parameter other than $1: expected one, the id`);
    return { read: read.text, ids: list.text };
  }
  if (read.placeholders.length !== 1 || numbered.length > 0) {
    throw new UsageError(`${show} has ${read.placeholders.length} "?" placeholders: expected exactly one, for the id`);
  }
  const at = read.placeholders[0] as number;
  const text = dialect === 'postgres' ? `${read.text.slice(0, at)}$1${read.text.slice(at + 1)}` : read.text;
  return { read: text, ids: list.text };
}

interface Checked {
  /** The statement as given, trimmed, without a trailing `;`. */
  text: string;
  /** The same with literals, quoted names and comments blanked: only SQL keywords and operators remain. */
  code: string;
  /** Offsets of `?` outside literals and comments. */
  placeholders: number[];
}

function checkSelect(dialect: Dialect, flag: string, sql: string, expected: string): Checked {
  const show = `${flag} "${brief(sql)}"`;
  const text = sql.trim().replace(/;\s*$/, '');
  const code = blank(dialect, text, show);
  if (code.includes(';')) throw new UsageError(`${show} is more than one statement: expected one ${expected}`);
  if (!/^\s*select\b/i.test(code)) throw new UsageError(`${show} is not a SELECT: expected ${expected}`);
  const forbidden =
    /\binto\b|\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b|\block\s+in\s+share\s+mode\b/i.exec(code);
  if (forbidden) {
    throw new UsageError(`${show} contains "${forbidden[0]}", which writes or locks: expected a plain ${expected}`);
  }
  const placeholders: number[] = [];
  for (let i = code.indexOf('?'); i >= 0; i = code.indexOf('?', i + 1)) placeholders.push(i);
  return { text, code, placeholders };
}

/** Replaces the insides of literals, quoted names and comments with spaces, keeping every offset. */
function blank(dialect: Dialect, sql: string, show: string): string {
  const out = sql.split('');
  let i = 0;
  const fill = (from: number, to: number) => {
    for (let k = from; k < to; k++) out[k] = ' ';
  };
  while (i < sql.length) {
    const end = skipToken(dialect, sql, i, show);
    if (end > i) {
      fill(i, end);
      i = end;
    } else i++;
  }
  return out.join('');
}

/** Where the literal, quoted name or comment starting at `i` ends; `i` when none starts there. */
function skipToken(dialect: Dialect, sql: string, i: number, show: string): number {
  const c = sql[i];
  const two = sql.slice(i, i + 2);
  if (two === '--' || (c === '#' && dialect === 'mysql')) {
    const nl = sql.indexOf('\n', i);
    return nl < 0 ? sql.length : nl;
  }
  if (two === '/*') {
    if (dialect === 'mysql' && /^\/\*M?!/.test(sql.slice(i))) {
      throw new UsageError(`${show} has a MySQL executable comment (/*! … */): expected plain SQL`);
    }
    const close = sql.indexOf('*/', i + 2);
    if (close < 0) throw new UsageError(`${show} has an unclosed comment`);
    return close + 2;
  }
  if (c === "'" || c === '"' || (c === '`' && dialect === 'mysql')) return closeQuote(dialect, sql, i, show);
  if (c === '$' && dialect === 'postgres') {
    const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
    if (tag === undefined) return i;
    const close = sql.indexOf(tag, i + tag.length);
    if (close < 0) throw new UsageError(`${show} has an unclosed ${tag} string`);
    return close + tag.length;
  }
  return i;
}

function closeQuote(dialect: Dialect, sql: string, i: number, show: string): number {
  const quote = sql[i];
  for (let k = i + 1; k < sql.length; k++) {
    // MySQL's default sql_mode takes backslash escapes inside strings; PostgreSQL's standard strings do not.
    if (sql[k] === '\\' && dialect === 'mysql' && quote !== '`') k++;
    else if (sql[k] === quote) {
      if (sql[k + 1] === quote) k++;
      else return k + 1;
    }
  }
  throw new UsageError(`${show} has an unclosed ${quote}: expected a complete statement`);
}

function brief(sql: string): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}

/**
 * The ids `--source-ids` returned, from each row's first column, in order:
 * key index i (1..N) reads the i-th. Repeats are dropped, so N keys are N
 * different rows; a null id is refused, since `WHERE id = NULL` matches nothing.
 */
export function idsFromRows(rows: Record<string, unknown>[], idsQuery: string): unknown[] {
  const seen = new Set<string>();
  const ids: unknown[] = [];
  for (const row of rows) {
    const value = Object.values(row)[0];
    if (value === null || value === undefined) {
      throw new UsageError(`--source-ids "${brief(idsQuery)}" returned a null id: expected one non-null id per row`);
    }
    const key = value instanceof Date ? value.toISOString() : String(value);
    if (seen.has(key)) continue;
    seen.add(key);
    ids.push(value);
  }
  if (ids.length === 0)
    throw new UsageError(`--source-ids "${brief(idsQuery)}" returned no rows: expected the ids to read`);
  return ids;
}

/**
 * The user's row as the harness sees it: every column kept, `id` set to the
 * key index (the harness's own name for the row; the user's ids may be text)
 * and `version` taken from a numeric `version` column, else 0.
 */
export function userSourceRow(row: Record<string, unknown>, index: number): SourceRow {
  const version = Number(row.version);
  return { ...row, id: index, version: Number.isFinite(version) && row.version !== null ? version : 0 };
}
