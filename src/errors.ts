/**
 * Every error the harness reports on purpose. Each carries a stable code and
 * the process exit code of the contract: 2 for invalid input, 1 for a run that
 * could not start or was stopped. Anything else that escapes is a bug.
 */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_REDIS_UNREACHABLE'
  | 'E_REDIS_AUTH'
  | 'E_REDIS_SERVER_MISSING'
  | 'E_INTERRUPTED'
  | 'E_SOURCE'
  | 'E_SOURCE_UNREACHABLE'
  | 'E_SOURCE_AUTH'
  | 'E_SNAPSHOT';

export abstract class BenchError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly exitCode: 1 | 2;
}

/** Bad flag, scenario field, URL or environment variable: exit 2, nothing written. */
export class UsageError extends BenchError {
  override readonly name = 'UsageError';
  readonly code = 'E_USAGE';
  readonly exitCode = 2;
}

/** The Redis server could not be reached (refused, timed out, DNS). */
export class RedisUnreachableError extends BenchError {
  override readonly name = 'RedisUnreachableError';
  readonly code = 'E_REDIS_UNREACHABLE';
  readonly exitCode = 1;
}

/** The Redis server refused the credentials (WRONGPASS, NOAUTH, NOPERM). */
export class RedisAuthError extends BenchError {
  override readonly name = 'RedisAuthError';
  readonly code = 'E_REDIS_AUTH';
  readonly exitCode = 1;
}

/** No Redis was configured and no `redis-server` binary is installed to start one. */
export class RedisServerMissingError extends BenchError {
  override readonly name = 'RedisServerMissingError';
  readonly code = 'E_REDIS_SERVER_MISSING';
  readonly exitCode = 1;
}

/** SIGINT or SIGTERM arrived mid-run. */
export class InterruptedError extends BenchError {
  override readonly name = 'InterruptedError';
  readonly code = 'E_INTERRUPTED';
  readonly exitCode = 1;
}

/** The source failed mid-run: SQLite closed, locked or corrupt, or a database query failed. */
export class SourceError extends BenchError {
  override readonly name = 'SourceError';
  readonly code = 'E_SOURCE';
  readonly exitCode = 1;
}

/** The source database server could not be reached (refused, timed out, DNS). */
export class SourceUnreachableError extends BenchError {
  override readonly name = 'SourceUnreachableError';
  readonly code = 'E_SOURCE_UNREACHABLE';
  readonly exitCode = 1;
}

/** The source database refused the login: wrong user or password, or a database it does not have or let the user open. */
export class SourceAuthError extends BenchError {
  override readonly name = 'SourceAuthError';
  readonly code = 'E_SOURCE_AUTH';
  readonly exitCode = 1;
}

/** A snapshot could not be read or written. */
export class SnapshotError extends BenchError {
  override readonly name = 'SnapshotError';
  readonly code = 'E_SNAPSHOT';
  readonly exitCode = 1;
}

/** One line for stderr: the message only, with the stack when DEBUG is set. */
export function formatError(error: unknown, debug = Boolean(process.env.DEBUG)): string {
  if (error instanceof BenchError) {
    return debug && error.stack ? error.stack : `error: ${error.message}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (debug && error instanceof Error && error.stack) return error.stack;
  return `error: unexpected failure: ${message.split('\n')[0]} (set DEBUG=1 for the stack)`;
}

export function exitCodeOf(error: unknown): number {
  return error instanceof BenchError ? error.exitCode : 1;
}
