/**
 * The guarded connection's watchdog tells a stalled server from a process of
 * its own that was not scheduled: after a pause the replies may already be
 * waiting in the socket, and reading them is not a stall.
 */
import { describe, expect, it } from 'vitest';
import { GuardedConnection } from '../../src/redis/guardedConnection.ts';
import { sleep } from '../helpers/chaos.ts';
import { useRedisServer } from '../helpers/redis.ts';

const TIMEOUT_MS = 200;

/** Sends `count` GETs through `conn`; resolves with how many failed. */
async function readAll(conn: GuardedConnection, count: number, during: () => void): Promise<number> {
  const replies = Array.from({ length: count }, () =>
    conn.track(conn.client.get('k')).then(
      () => 0,
      () => 1,
    ),
  );
  during();
  return (await Promise.all(replies)).reduce((a: number, b) => a + b, 0);
}

describe('a guarded connection', () => {
  it('does not count a pause of this process as a stall of the server', async () => {
    const redis = await useRedisServer();
    const conn = new GuardedConnection(await redis.connect(), TIMEOUT_MS);
    try {
      await conn.track(conn.client.set('k', 'v'));
      // Let the watchdog's clock start, then hold the event loop for three timeouts with 64 GETs in flight.
      await sleep(10);
      const failed = await readAll(conn, 64, () => {
        const until = performance.now() + 3 * TIMEOUT_MS;
        while (performance.now() < until) {
          // Busy: the replies arrive in the socket meanwhile, unread.
        }
      });
      expect(failed).toBe(0);
      expect(conn.stalls).toBe(0);
    } finally {
      conn.close();
    }
  });

  it('still replaces the connection of a server that stopped answering', async () => {
    const redis = await useRedisServer();
    const conn = new GuardedConnection(await redis.connect(), TIMEOUT_MS);
    try {
      await conn.track(conn.client.set('k', 'v'));
      redis.server.signal('SIGSTOP');
      const started = performance.now();
      const failed = await readAll(conn, 8, () => {});
      expect(failed).toBe(8);
      expect(performance.now() - started).toBeLessThan(5 * TIMEOUT_MS);
      expect(conn.stalls).toBe(1);
    } finally {
      redis.server.signal('SIGCONT');
      conn.close();
    }
  });
});
