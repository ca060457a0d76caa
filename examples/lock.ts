/**
 * The seed's "distributed locks (SET NX + TTL)": two processes take turns at
 * one lock (SET NX PX with a random token, released by a compare-and-delete
 * script) and check, inside every critical section, that nobody else is in
 * it. The same rounds without the lock show the check catching overlap. Then
 * the known weakness: a holder that outlives its TTL loses the lock.
 */
import { Contenders, type ContestResult } from './lib/lockContest.ts';
import { outlivedLock } from './lib/locks.ts';
import { count, runExample } from './shared.ts';

const ROUNDS = 100;
/** Far above a critical section's few ms: in the contest no lock ever expires under its holder. */
const CONTEST_TTL_MS = 5000;
const SHORT_TTL_MS = 200;

await runExample('lock', async ({ client, prefix, target }, stop) => {
  console.log(
    `two processes, ${ROUNDS} rounds each: SET lock token NX PX ${CONTEST_TTL_MS}, then INCR holders ` +
      '(must read 1), a read-modify-write of a shared balance, DECR, release by compare-and-delete',
  );
  const contenders = await Contenders.start(target.url, 2, stop);
  let locked: ContestResult;
  let unlocked: ContestResult;
  try {
    const task = { rounds: ROUNDS, ttlMs: CONTEST_TTL_MS };
    locked = await contenders.run(client, { ...task, prefix: `${prefix}locked:`, useLock: true });
    unlocked = await contenders.run(client, { ...task, prefix: `${prefix}unlocked:`, useLock: false });
  } finally {
    await contenders.stop();
  }
  console.log(
    `  with the lock:    ${locked.violations} rounds shared the section, balance ${locked.balance} of ${locked.rounds}, ` +
      `${count(locked.waits)} waits on the other's lock, ${locked.refusedReleases} releases refused, ` +
      `${count(locked.rounds / (locked.elapsedMs / 1000))} rounds/s`,
  );
  console.log(
    `  without the lock: ${unlocked.violations} rounds shared the section, balance ${unlocked.balance} of ${unlocked.rounds} ` +
      '(the check works: updates were lost)',
  );

  const outlived = await outlivedLock(client, `${prefix}slow:lock`, SHORT_TTL_MS);
  console.log(
    `weakness: A takes the lock with PX ${SHORT_TTL_MS} and stalls ${3 * SHORT_TTL_MS} ms; ` +
      `B takes it ${outlived.takenOverAfterMs.toFixed(0)} ms after A did`,
  );
  console.log(
    `  A's late release -> ${outlived.lateRelease} (refused), B's lock kept: ${outlived.keptForB ? 'yes' : 'NO'}, ` +
      `B's release -> ${outlived.ownRelease}; but both believed they held it for ` +
      `${(3 * SHORT_TTL_MS - outlived.takenOverAfterMs).toFixed(0)} ms (a fencing token checked by the resource closes that)`,
  );
  console.log(
    `figure: mutual exclusion held in ${locked.rounds - locked.violations} of ${locked.rounds} rounds ` +
      `across ${locked.processes} processes (${locked.violations} violations; ${unlocked.violations} without the lock)`,
  );
});
