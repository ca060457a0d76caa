/**
 * `example:session`: a session touched in time outlives its TTL many times,
 * an idle one is gone once its TTL has passed (and a touch does not bring it
 * back), and the script's figure says so, leaving only the user's keys.
 */
import { describe, expect, it } from 'vitest';
import { SessionStore, timeIdleExpiry } from '../../examples/lib/sessions.ts';
import { sleep, waitUntil } from '../helpers/chaos.ts';
import { figure, runBesideUserKeys, SCRIPT_TIMEOUT_MS, useExampleServer } from './run.ts';

/** The figure promises 10 ms; the test allows ten times that on a busy machine. */
const GONE_WITHIN_MS = 100;
const USER_KEYS = { 'session:u42': 'the user own session', 'products:1': 'user data' };

describe('session', { timeout: SCRIPT_TIMEOUT_MS }, () => {
  const server = useExampleServer();

  it('slides the TTL on every touch: touched in time, a session outlives its TTL', async () => {
    const store = new SessionStore(server.scratch, 'cab:test0001:', 2000);
    await store.create('s1', { user_id: '1' });
    const started = performance.now();
    // Touches every 200 ms for 3 s: the session would be gone after 2 s without them.
    while (performance.now() - started < 3000) {
      await sleep(200);
      expect(await store.touch('s1')).toBeGreaterThan(0);
    }
    expect(await store.get('s1')).toMatchObject({ user_id: '1', last_seen: expect.stringMatching(/^\d+$/) });
    expect(await server.scratch.pTTL(store.key('s1'))).toBeGreaterThan(1000);
  });

  it('lets an idle session expire, and a later touch does not revive it', async () => {
    const store = new SessionStore(server.scratch, 'cab:test0002:', 100);
    await store.create('s2', { user_id: '2' });
    await waitUntil(async () => (await server.scratch.exists(store.key('s2'))) === 0, 5000);
    expect(await store.touch('s2')).toBeUndefined();
    expect(await server.scratch.exists(store.key('s2'))).toBe(0);
  });

  it('times the idle expiry on the server clock: never before the TTL, and promptly after it', async () => {
    const store = new SessionStore(server.scratch, 'cab:test0003:', 300);
    await store.create('s3', { user_id: '3' });
    const touchedAt = await store.touch('s3');
    expect(touchedAt).toBeDefined();
    const timing = await timeIdleExpiry(store, 's3', touchedAt as number);
    // Redis keeps expiry times in whole ms: the session may be seen up to 1 ms past.
    expect(timing.lastSeenMs).toBeLessThanOrEqual(1);
    expect(timing.goneMs).toBeGreaterThan(timing.lastSeenMs);
    expect(timing.goneMs).toBeLessThan(GONE_WITHIN_MS);
    expect(timing.checks).toBeGreaterThan(1);
  });

  it('prints touches/s and when the idle session went, and leaves only the user keys', async () => {
    const stdout = await runBesideUserKeys(server, 'session', USER_KEYS);
    expect(stdout).toMatch(/HGETALL cab:[0-9a-f]{8}:session:u42 -> \{"user_id":"42","name":"Alice"\}/);
    expect(stdout).toContain('touch after expiry -> refused');
    expect(figure(stdout, /figure: ([\d,]+) touches\/s/)).toBeGreaterThan(0);
    expect(figure(stdout, /idle session gone (-?[\d.]+) ms after its TTL/)).toBeLessThan(GONE_WITHIN_MS);
  });
});
