/**
 * Turning a database driver's failure into one of the harness's coded errors:
 * one line naming host:port and what to check, never the password (it is cut
 * out of any driver text that might echo it), and a bounded wait for servers
 * that accept the connection and then say nothing.
 */

import type { DatabaseTarget } from '../config/sourceUrl.ts';
import { SourceAuthError, SourceError, SourceUnreachableError } from '../errors.ts';

export { withDeadline } from '../redis/connection.ts';

/** Every connection attempt gives up after this long, so a bad server fails the run within 5 s. */
export const CONNECT_TIMEOUT_MS = 4000;

/** Driver error codes that mean the server answered and refused this login. */
const LOGIN_REFUSED = new Set([
  'ER_ACCESS_DENIED_ERROR', // 1045 wrong user or password
  'ER_HOST_NOT_PRIVILEGED', // 1130 user may not connect from this host
  'ER_NOT_SUPPORTED_AUTH_MODE',
  '28P01', // invalid_password
  '28000', // invalid_authorization_specification: unknown role, pg_hba rejects
]);

/** … or refused the database: it does not exist, or this user may not open it. */
const DATABASE_REFUSED = new Set([
  'ER_BAD_DB_ERROR', // 1049 no such database
  'ER_DBACCESS_DENIED_ERROR', // 1044 user may not open the database (MariaDB also says so when it does not exist)
  '3D000', // invalid_catalog_name: no such database
  '42501', // insufficient_privilege: no CONNECT on the database
]);

export function serverLabel(target: DatabaseTarget, version?: string): string {
  if (target.kind === 'postgres') return 'PostgreSQL';
  if (version === undefined) return 'MySQL/MariaDB';
  return /mariadb/i.test(version) ? 'MariaDB' : 'MySQL';
}

/** The error of a connection that did not open: unreachable, or refused credentials or database. */
export function connectError(error: unknown, target: DatabaseTarget): SourceAuthError | SourceUnreachableError {
  const where = `${serverLabel(target)} at ${hostPort(target)}`;
  const code = errorCode(error);
  if (code !== undefined && DATABASE_REFUSED.has(code)) {
    return new SourceAuthError(
      `${where} refused database "${target.database}" to user "${target.user}" (${code}): check that it exists, the name in ${target.from} and the user's grants`,
    );
  }
  if (code !== undefined && LOGIN_REFUSED.has(code)) {
    return new SourceAuthError(
      `${where} refused the login of user "${target.user}" (${code}): check the user and password in ${target.from}`,
    );
  }
  const reason = code ?? scrub(firstLine(error), target.password);
  return new SourceUnreachableError(
    `cannot reach ${where} (${reason}): is the server running and the URL in ${target.from} right?`,
  );
}

/** A failure after the connection opened: a query the server refused, or a connection lost mid-run. */
export function queryError(error: unknown, target: DatabaseTarget, doing: string): SourceError {
  const code = errorCode(error);
  const text = scrub(firstLine(error), target.password);
  return new SourceError(
    `${serverLabel(target)} at ${hostPort(target)} failed ${doing}: ${text}${code && !text.includes(code) ? ` (${code})` : ''}`,
  );
}

export function hostPort(target: DatabaseTarget): string {
  return target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

/** `text` with every occurrence of the password replaced by `***`. */
export function scrub(text: string, password: string): string {
  return password === '' ? text : text.split(password).join('***');
}

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? '';
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  // Node's happy-eyeballs connect rejects with an AggregateError whose parts carry the code.
  const parts = (error as { errors?: unknown }).errors;
  return Array.isArray(parts) ? errorCode(parts[0]) : undefined;
}
