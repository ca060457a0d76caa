/**
 * What the three example scripts share: find Redis the way the bench does
 * (REDIS_URL / REDIS_HOST…, else a throwaway server), run the body, report an
 * error as one line with the contract's exit code, and always clean up the
 * run's keys, even when the body failed.
 */
import { resolveRedisTarget } from '../src/config/redisTarget.ts';
import { exitCodeOf, formatError } from '../src/errors.ts';
import { openRedisSession, type RedisSession } from '../src/redis/redisSession.ts';

export async function runExample(name: string, body: (session: RedisSession) => Promise<void>): Promise<void> {
  let session: RedisSession | undefined;
  try {
    session = await openRedisSession(resolveRedisTarget(undefined, process.env));
    console.log(`${name}: Redis ${session.server.version} at ${session.display}, keys under ${session.prefix}`);
    await body(session);
  } catch (error) {
    fail(error);
  } finally {
    if (session) await cleanUp(session);
  }
}

async function cleanUp(session: RedisSession): Promise<void> {
  try {
    const { removedKeys } = await session.close();
    console.log(
      session.throwaway
        ? 'cleanup: stopped the throwaway redis-server'
        : `cleanup: removed ${removedKeys} key(s) under ${session.prefix}`,
    );
  } catch (error) {
    fail(error);
  }
}

/** exitCode, not exit(): the finally still runs and the process ends once nothing is left open. */
function fail(error: unknown): void {
  console.error(formatError(error));
  process.exitCode ??= exitCodeOf(error);
}

/** Prints one command and what Redis answered, e.g. `GET cab:…:foo -> "bar"`. */
export function show(command: string, reply: unknown): void {
  console.log(`  ${command} -> ${JSON.stringify(reply)}`);
}
