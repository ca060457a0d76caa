/**
 * The seed's "user sessions": a session hash with a sliding TTL. Every touch
 * is HSET + PEXPIRE, so a session in use never expires and an idle one is gone
 * once its TTL has passed since the last touch.
 */
import { SessionStore, timeIdleExpiry, touchesPerSecond } from './lib/sessions.ts';
import { count, runExample, show } from './shared.ts';

const TTL_MS = 500;
const TOUCH_FOR_MS = 1000;
/** What the figure promises: an idle session is gone within this long of its TTL. */
const WITHIN_MS = 10;

await runExample('session', async ({ client, prefix }, stop) => {
  const store = new SessionStore(client, prefix, TTL_MS);
  const id = 'u42';
  console.log(`session ${store.key(id)}: a hash, TTL ${TTL_MS} ms, slid by every touch (HSET + PEXPIRE in one script)`);
  await store.create(id, { user_id: '42', name: 'Alice' });
  show(`HGETALL ${store.key(id)}`, await store.get(id));

  const touched = await touchesPerSecond(store, id, TOUCH_FOR_MS, stop);
  console.log(
    `touched back to back for ${TOUCH_FOR_MS} ms (${count(touched.touches)} touches): alive throughout, ` +
      `${(TOUCH_FOR_MS / TTL_MS).toFixed(0)}x its TTL`,
  );

  const lastTouch = await store.touch(id);
  if (lastTouch === undefined) throw new Error('the session expired before its last touch');
  console.log('then idle: checked with EXISTS + TIME (one MULTI) on Redis clock until gone');
  const timing = await timeIdleExpiry(store, id, lastTouch, { signal: stop });
  console.log(
    `  last seen ${timing.lastSeenMs.toFixed(2)} ms, gone by +${timing.goneMs.toFixed(2)} ms ` +
      `of the TTL's end (${count(timing.checks)} checks)`,
  );
  const revived = (await store.touch(id)) !== undefined;
  console.log(`  touch after expiry -> ${revived ? 'REVIVED it' : 'refused: a touch never revives a session'}`);
  show(`EXISTS ${store.key(id)}`, await client.exists(store.key(id)));

  const within = timing.goneMs <= WITHIN_MS ? 'yes' : 'NO';
  console.log(
    `figure: ${count(touched.perSecond)} touches/s (one client, one at a time); ` +
      `idle session gone ${timing.goneMs.toFixed(2)} ms after its TTL (within ${WITHIN_MS} ms: ${within})`,
  );
});
