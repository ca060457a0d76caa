/**
 * A cluster changing under the reads: slots migrated mid-traffic cost
 * redirects, not errors; a master killed or stalled fails only its own
 * slots' commands, within the bounded wait (so their reads can fall back to
 * the source), while the other masters keep answering; and its slots work
 * again once it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSession } from '../../src/redis/clusterSession.ts';
import type { RedisClient } from '../../src/redis/connection.ts';
import { keySlot } from '../../src/redis/keySlot.ts';
import { openSession } from '../../src/redis/openSession.ts';
import type { RedisServerHandle } from '../../src/redis/redisServer.ts';
import { sleep, waitUntil } from '../helpers/chaos.ts';
import { type TestCluster, useThrowawayCluster } from '../helpers/cluster.ts';

/** Well above a busy machine's scheduling gaps (a healthy master must never look stalled), well below the chaos. */
const TIMEOUT_MS = 1000;

interface Outcome {
  key: string;
  ok: boolean;
  value: string | null;
  ms: number;
}

/** `concurrency` loops reading `keys` round-robin through the store until `until` settles. */
async function readDuring(
  session: ClusterSession,
  keys: string[],
  until: Promise<unknown>,
  concurrency = 16,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let done = false;
  const stop = () => {
    done = true;
  };
  until.then(stop, stop);
  let next = 0;
  const loop = async () => {
    while (!done) {
      const key = keys[next++ % keys.length] as string;
      const started = performance.now();
      const outcome = await session.store.read(
        key,
        null,
        (value) => ({ key, ok: true, value, ms: performance.now() - started }),
        () => ({ key, ok: false, value: null, ms: performance.now() - started }),
      );
      outcomes.push(outcome);
      // Leave the event loop room for the chaos side on a busy machine.
      if (outcomes.length % 64 === 0) await sleep(1);
    }
  };
  await Promise.all([...Array(concurrency)].map(loop));
  await until;
  return outcomes;
}

/** Moves `slot` from master `from` to master `to` the way redis-cli reshard does, a few keys at a time. */
async function migrateSlot(tc: TestCluster, slot: number, from: number, to: number): Promise<void> {
  const source = tc.nodes[from] as RedisClient;
  const target = tc.nodes[to] as RedisClient;
  const sourceId = String(await source.sendCommand(['CLUSTER', 'MYID']));
  const targetId = String(await target.sendCommand(['CLUSTER', 'MYID']));
  await target.sendCommand(['CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', sourceId]);
  await source.sendCommand(['CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', targetId]);
  for (;;) {
    const keys = (await source.sendCommand(['CLUSTER', 'GETKEYSINSLOT', String(slot), '4'])) as string[];
    if (keys.length === 0) break;
    const port = String(tc.cluster.ports[to]);
    await source.sendCommand(['MIGRATE', '127.0.0.1', port, '', '0', '5000', 'KEYS', ...keys]);
    await sleep(30);
  }
  // The target first, as redis-cli does, then the source and the rest.
  for (const node of [target, source, ...tc.nodes.filter((n) => n !== source && n !== target)]) {
    await node.sendCommand(['CLUSTER', 'SETSLOT', String(slot), 'NODE', targetId]);
  }
}

describe('a Redis Cluster changing under the reads', () => {
  let tc: TestCluster;
  let session: ClusterSession;
  /** Every key, value `v:<key>`, with the master that held it when written. */
  const owner = new Map<string, number>();
  const errorEvents: Error[] = [];

  // A cluster starts in ~2.5 s idle, ~5 s on a loaded machine, where several files may start theirs at once.
  beforeAll(async () => {
    tc = await useThrowawayCluster(3);
    const opened = await openSession(
      { kind: 'seeds', seeds: tc.seeds },
      { commandTimeoutMs: TIMEOUT_MS, onError: (e) => errorEvents.push(e) },
    );
    if (opened.mode !== 'cluster') throw new Error('expected a cluster session');
    session = opened;
  }, 90_000);
  afterAll(async () => {
    await session?.close();
  });

  async function writeKeys(keys: string[]): Promise<void> {
    for (const key of keys) {
      await session.store.set(key, `v:${key}`);
      owner.set(key, await tc.ownerOf(keySlot(key)));
    }
  }

  it('serves every read while slots migrate, with redirects but no errors', async () => {
    // Three hash tags whose slots master 0 holds, 30 keys each, and 90 keys anywhere.
    const tags: string[] = [];
    for (let i = 0; tags.length < 3; i++) if ((await tc.ownerOf(keySlot(`m${i}`))) === 0) tags.push(`m${i}`);
    const moving = tags.flatMap((tag) => Array.from({ length: 30 }, (_, i) => `${session.prefix}mig:{${tag}}:${i}`));
    const others = Array.from({ length: 90 }, (_, i) => `${session.prefix}other:${i}`);
    await writeKeys([...moving, ...others]);

    const migration = (async () => {
      for (const tag of tags) await migrateSlot(tc, keySlot(tag), 0, 1);
    })();
    const outcomes = await readDuring(session, [...moving, ...others], migration);

    expect(outcomes.filter((o) => !o.ok || o.value !== `v:${o.key}`)).toEqual([]);
    expect(outcomes.filter((o) => moving.includes(o.key)).length).toBeGreaterThan(200);
    expect(session.store.redirects).toBeGreaterThan(0);
    expect((await tc.keysPerNode(`${session.prefix}mig:*`))[1]).toHaveLength(moving.length);

    // Once the store has seen where the slots went, reads go straight there.
    for (const key of moving) await session.store.get(key);
    await sleep(200);
    const settled = session.store.redirects;
    for (const key of moving) expect(await session.store.get(key)).toBe(`v:${key}`);
    expect(session.store.redirects).toBe(settled);
  });

  /**
   * Reads 90 fresh keys while `chaos` runs on master 2: the other masters'
   * reads all succeed, and none of master 2's waits past the bounded wait.
   * Returns master 2's keys and its reads' outcomes.
   */
  async function readThroughChaos(label: string, chaos: (node: RedisServerHandle) => Promise<void>) {
    const keys = Array.from({ length: 90 }, (_, i) => `${session.prefix}${label}:${i}`);
    await writeKeys(keys);
    const outcomes = await readDuring(session, keys, chaos(tc.cluster.nodes[2] as RedisServerHandle));
    const affected = outcomes.filter((o) => owner.get(o.key) === 2);
    const others = outcomes.filter((o) => owner.get(o.key) !== 2);
    expect(others.filter((o) => !o.ok)).toEqual([]);
    expect(others.length).toBeGreaterThan(100);
    expect(Math.max(...affected.map((o) => o.ms))).toBeLessThan(5 * TIMEOUT_MS);
    return { keys: keys.filter((key) => owner.get(key) === 2), affected };
  }

  /** Polls until `key` reads as `value` through the store. */
  const readsBack = (key: string, value: string) =>
    waitUntil(
      async () =>
        (await session.store.read(
          key,
          null,
          (raw) => raw,
          () => null,
        )) === value,
      15_000,
    );

  it("fails a stalled master's reads within the bounded wait while the others answer", async () => {
    const { keys, affected } = await readThroughChaos('stall', async (node) => {
      await sleep(200);
      node.signal('SIGSTOP');
      await sleep(2.5 * TIMEOUT_MS);
      node.signal('SIGCONT');
    });
    expect(affected.filter((o) => !o.ok).length).toBeGreaterThan(10);
    expect(session.store.stalls).toBeGreaterThan(0);
    // The replaced connection answers again, the value still there.
    await readsBack(keys[0] as string, `v:${keys[0]}`);
  });

  it("fails a killed master's reads at once while the others answer, and recovers after its restart", async () => {
    const { keys, affected } = await readThroughChaos('kill', async (node) => {
      await sleep(200);
      node.signal('SIGKILL');
      await sleep(1000);
    });
    expect(affected.filter((o) => !o.ok).length).toBeGreaterThan(10);
    expect(errorEvents.length).toBeGreaterThan(0);

    // Back on the same port with its cluster config (its keys are gone: nothing is persisted).
    await tc.cluster.nodes[2]?.restart();
    const key = keys[0] as string;
    await waitUntil(async () => (await session.store.set(key, 'again').catch(() => false)) === true, 15_000);
    await readsBack(key, 'again');
  });
});
