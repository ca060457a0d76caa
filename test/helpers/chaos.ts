/**
 * Faults injected into a test's own redis-server while something runs
 * against it: a crash (kill -9, then a restart on the same port) or a stall
 * (SIGSTOP, then SIGCONT). Each resolves once the server is back.
 */
import type { RedisClient } from '../../src/redis/connection.ts';
import type { RedisServerHandle } from '../../src/redis/redisServer.ts';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** After `afterMs`, kill -9 the server; `downMs` later start it again on the same port (empty). */
export async function killDuring(server: RedisServerHandle, afterMs: number, downMs: number): Promise<void> {
  await sleep(afterMs);
  server.signal('SIGKILL');
  await sleep(downMs);
  await server.restart();
}

/** After `afterMs`, freeze the server (connections stay open, nothing answers) for `stallMs`. */
export async function stallDuring(server: RedisServerHandle, afterMs: number, stallMs: number): Promise<void> {
  await sleep(afterMs);
  server.signal('SIGSTOP');
  try {
    await sleep(stallMs);
  } finally {
    server.signal('SIGCONT');
  }
}

/** Polls `check` every 25 ms until it is true; throws after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** Every key matching `pattern`, by SCAN (never KEYS). */
export async function scanKeys(client: RedisClient, pattern = '*'): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const reply = await client.scan(cursor, { MATCH: pattern, COUNT: 1000 });
    cursor = String(reply.cursor);
    keys.push(...reply.keys);
  } while (cursor !== '0');
  return keys.sort();
}

/** Keys under a run prefix (`cab:<8 hex>:…`), but for `userKeys` that merely look like one. */
export async function runKeys(client: RedisClient, userKeys: readonly string[] = []): Promise<string[]> {
  return (await scanKeys(client, 'cab:*')).filter((key) => /^cab:[0-9a-f]{8}:/.test(key) && !userKeys.includes(key));
}
