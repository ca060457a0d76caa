/**
 * One node-redis client configured the way a benchmark against someone's
 * server must be: a bounded command timeout, no offline queue (a command sent
 * while disconnected fails at once, so the reader falls back to the source),
 * reconnects after the first successful connect, and errors that are counted
 * rather than thrown into the event loop.
 */
import { createClient } from 'redis';
import type { RedisUrlTarget } from '../config/redisTarget.ts';
import { RedisAuthError, RedisUnreachableError } from '../errors.ts';

export type RedisClient = ReturnType<typeof createClient>;

export interface ConnectOptions {
  /** Per-command timeout: how long a read may wait on Redis before it falls back to the source. */
  commandTimeoutMs?: number;
  /** Give up on the first connection after this long. */
  connectTimeoutMs?: number;
  /** Called for every client-side error event (socket reset, reconnect failure …). */
  onError?: (error: Error) => void;
  /** Extra TLS options, e.g. `{ ca }` for a test server's own certificate authority. */
  tls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 500;

export async function connectRedis(target: RedisUrlTarget, options: ConnectOptions = {}): Promise<RedisClient> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 4000;
  let everReady = false;
  let lastError: Error | undefined;
  const client = createClient({
    url: target.url,
    name: 'cache-aside-bench',
    disableOfflineQueue: true,
    // Bounded: while Redis stalls, commands beyond this fail at once instead of piling up.
    commandsQueueMaxLength: 10_000,
    maintNotifications: 'disabled',
    commandOptions: { timeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS },
    socket: {
      connectTimeout: connectTimeoutMs,
      // Before the first connect a failure is final (the run cannot start);
      // after it, keep retrying quickly so hits come back when Redis does.
      reconnectStrategy: (retries: number, cause: Error) => (everReady ? Math.min(20 * 2 ** retries, 500) : cause),
      ...(target.tls ? { tls: true as const, ...options.tls } : {}),
    },
  }) as unknown as RedisClient;
  client.on('error', (error: Error) => {
    lastError = error;
    options.onError?.(error);
  });
  client.on('ready', () => {
    everReady = true;
  });
  try {
    await withDeadline(client.connect(), connectTimeoutMs + 1000);
    boundReplies(client, options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
    return client;
  } catch (error) {
    client.destroy();
    throw classifyConnectError(error instanceof Error ? error : (lastError ?? new Error(String(error))), target);
  }
}

/**
 * node-redis's command timeout only covers a command still waiting to be
 * written: once on the wire it waits for the reply as long as the server
 * stalls (SIGSTOP, a long-running script). Every command goes through the
 * client's `sendCommand`, so bounding the reply there bounds the whole round
 * trip; a late reply is dropped. A command sent with `timeout` unset (a
 * caller that bounds the wait itself) is left alone.
 */
function boundReplies(client: RedisClient, timeoutMs: number): void {
  type Send = (args: unknown, options?: { timeout?: number }) => Promise<unknown>;
  // createClient returns Object.create(instance); commands call `sendCommand` on the instance (`_self`).
  const self =
    (client as unknown as { _self?: { sendCommand: Send } })._self ?? (client as unknown as { sendCommand: Send });
  const send = self.sendCommand.bind(self);
  self.sendCommand = (args, options) => {
    const ms = options && 'timeout' in options ? options.timeout : timeoutMs;
    const reply = send(args, options);
    return ms ? withDeadline(reply, ms, `Redis did not reply within ${ms} ms`) : reply;
  };
}

export function classifyConnectError(error: Error, target: RedisUrlTarget): Error {
  const where = `${target.host}:${target.port}`;
  const text = `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`;
  if (/WRONGPASS|NOAUTH|NOPERM|invalid username-password|AUTH/i.test(text)) {
    return new RedisAuthError(
      `Redis at ${where} refused the credentials (${firstWord(error.message)}): check the user and password in ${target.from}`,
    );
  }
  const reason = (error as NodeJS.ErrnoException).code ?? error.message.split('\n')[0];
  return new RedisUnreachableError(
    `cannot reach Redis at ${where} (${reason}): is the server running and the URL in ${target.from} right?`,
  );
}

function firstWord(message: string): string {
  return message.trim().split(/\s+/)[0] ?? 'refused';
}

/** `promise`, or a rejection with code ETIMEDOUT after `ms` (also used by the database sources). */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  message = `connect timed out after ${ms} ms`,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error(message), { code: 'ETIMEDOUT' })), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * The same connection without node-redis's own per-command timeout, for the
 * measured read path: it bounds its waits with a CommandDeadline instead (see
 * commandDeadline.ts for why). Everything else keeps node-redis's timeout.
 */
export function withoutClientTimeout(client: RedisClient): RedisClient {
  return client.withCommandOptions({ timeout: 0 }) as unknown as RedisClient;
}

/** `redis_version` and `redis_mode` from INFO server. */
export async function serverVersion(client: RedisClient): Promise<{ version: string; mode: string }> {
  const info = String(await client.info('server'));
  return { version: infoField(info, 'redis_version') ?? 'unknown', mode: infoField(info, 'redis_mode') ?? 'unknown' };
}

export function infoField(info: string, field: string): string | undefined {
  const match = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return match?.[1]?.trim();
}
