/**
 * What the example scripts share: find Redis the way the bench does
 * (REDIS_URL / REDIS_HOST…, else a throwaway server), run the body, report an
 * error as one line with the contract's exit code, and always clean up the
 * run's keys, even when the body failed or Ctrl-C arrived.
 *
 * On SIGINT/SIGTERM the body's `stop` signal aborts; it gets a moment to wind
 * down (stop writing, end its child processes) so that nothing writes a key
 * after the cleanup has removed them, then the keys go and the process exits 1.
 * A second signal exits at once with 130, as the bench does.
 */
import { resolveRedisTarget } from '../src/config/redisTarget.ts';
import { exitCodeOf, formatError, InterruptedError } from '../src/errors.ts';
import { openRedisSession, type RedisSession } from '../src/redis/redisSession.ts';

export type ExampleBody = (session: RedisSession, stop: AbortSignal) => Promise<void>;

/** How long a stopped body may take to settle before the cleanup goes ahead anyway. */
const WIND_DOWN_MS = 1000;
/**
 * The bench bounds each reply at 500 ms so a read can fall back to the
 * source; an example has no fallback, and on a loaded 2-core machine a 5,000
 * member ZADD once took longer than 500 ms. A stalled server still fails the run.
 */
const COMMAND_TIMEOUT_MS = 5000;

export async function runExample(name: string, body: ExampleBody): Promise<void> {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      process.stderr.write(`\n${signal} again: exiting now\n`);
      process.exit(130);
    }
    process.stderr.write(`\n${signal}: stopping and cleaning up (again to exit at once)\n`);
    stop.abort(new InterruptedError(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let session: RedisSession | undefined;
  try {
    session = await openRedisSession(resolveRedisTarget(undefined, process.env), {
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
    });
    stop.signal.throwIfAborted();
    console.log(`${name}: Redis ${session.server.version} at ${session.display}, keys under ${session.prefix}`);
    await untilDoneOrStopped(body(session, stop.signal), stop.signal);
  } catch (error) {
    fail(stop.signal.aborted ? stop.signal.reason : error);
  } finally {
    if (session) await cleanUp(session);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (stop.signal.aborted) {
    // A signal during the cleanup of a finished run still ends it as interrupted.
    if (process.exitCode === undefined) fail(stop.signal.reason);
    // A stopped body may still hold a timer or a socket: do not wait for it.
    process.exit();
  }
}

/** Resolves with the body; on a signal, waits up to WIND_DOWN_MS for the body to settle, then throws. */
async function untilDoneOrStopped(work: Promise<void>, stop: AbortSignal): Promise<void> {
  let stopped: () => void = () => {};
  const onStop = new Promise<void>((resolve) => {
    stopped = resolve;
    stop.addEventListener('abort', stopped, { once: true });
  });
  try {
    await Promise.race([work, onStop]);
  } finally {
    stop.removeEventListener('abort', stopped);
  }
  if (!stop.aborted) return;
  await Promise.race([work.catch(() => undefined), sleep(WIND_DOWN_MS)]);
  throw stop.reason;
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

/** The example's arguments, parsed before anything starts: bad input is one line on stderr and exit 2. */
export function argsOrExit<T>(parse: (argv: string[]) => T): T {
  try {
    return parse(process.argv.slice(2));
  } catch (error) {
    console.error(formatError(error));
    process.exit(exitCodeOf(error));
  }
}

/** Prints one command and what Redis answered, e.g. `GET cab:…:foo -> "bar"`. */
export function show(command: string, reply: unknown): void {
  console.log(`  ${command} -> ${JSON.stringify(reply)}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `1,234,567`: figures read at a glance. */
export const count = (n: number) => Math.round(n).toLocaleString('en-US');
