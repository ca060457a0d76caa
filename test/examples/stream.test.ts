/**
 * `example:stream`: with consumer A dying mid-batch, everything produced is
 * processed and acked, what A left pending is claimed by B, nothing is
 * processed again after its ack and nothing stays pending; the script prints
 * messages/s and those counts, and leaves only the user's keys.
 */
import { describe, expect, it } from 'vitest';
import { GROUP, runStream } from '../../examples/lib/streams.ts';
import { figure, runBesideUserKeys, SCRIPT_TIMEOUT_MS, useExampleServer } from './run.ts';

const USER_KEYS = { 'stream:orders': 'the user own queue', 'products:1': 'user data' };

describe('stream', { timeout: SCRIPT_TIMEOUT_MS }, () => {
  const server = useExampleServer();

  it('loses nothing and processes nothing after its ack when a consumer dies; the survivor claims its entries', async () => {
    const key = 'cab:test0001:stream';
    const connect = () => server.redis.connect({ url: `${server.redis.url}/1`, commandTimeoutMs: 5000 });
    const clients = { producer: server.scratch, a: await connect(), b: await connect() };
    const settings = { messages: 3000, batch: 50, dieOnBatch: 3, minIdleMs: 100, timeoutMs: 30_000 };
    const counts = await runStream(clients, key, settings);
    expect(counts).toMatchObject({
      produced: 3000,
      processed: 3000,
      acked: 3000,
      lost: 0,
      processedTwice: 0,
      processedAfterAck: 0,
      pendingLeft: 0,
    });
    expect(counts.stranded).toBeGreaterThan(0);
    expect(counts.claimed).toBe(counts.stranded);
    // What Redis itself says: A holds nothing any more, and the group has read the whole stream.
    const consumers = await server.scratch.xInfoConsumers(key, GROUP);
    expect(consumers.map((c) => [c.name, c.pending])).toEqual([
      ['A', 0],
      ['B', 0],
    ]);
    expect(clients.a.isOpen).toBe(false);
  });

  it('prints messages/s with zero lost and zero processed after an ack, and leaves only the user keys', async () => {
    const stdout = await runBesideUserKeys(server, 'stream', USER_KEYS);
    expect(stdout).toMatch(/produced 20,000, processed 20,000, acked 20,000; A left (\d+) pending, B claimed \1;/);
    expect(stdout).toContain('XPENDING at the end: 0');
    expect(stdout).toContain('lost 0, processed twice 0, processed after their ack 0');
    expect(figure(stdout, /figure: ([\d,]+) messages\/s/)).toBeGreaterThan(0);
    expect(figure(stdout, /A left (\d+) pending/)).toBeGreaterThan(0);
  });
});
