/**
 * A work queue on a Redis stream: a producer XADDs numbered messages, a
 * consumer group shares them between consumers A and B (XREADGROUP … >),
 * each acks (XACK) after processing. A dies halfway through a batch: what it
 * read but never acked stays pending under its name, and B takes it over with
 * XAUTOCLAIM once it has been idle long enough. A ledger counts every message
 * processed and acked, so loss and processing after an ack are counted, not assumed.
 */
import type { RedisClient } from '../../src/redis/connection.ts';

export const GROUP = 'workers';

export interface StreamSettings {
  messages: number;
  /** Entries per XREADGROUP and per XADD pipeline. */
  batch: number;
  /** A dies on its n-th batch, after processing and acking only its first half. */
  dieOnBatch: number;
  /** XAUTOCLAIM takes entries pending at least this long (a consumer that still works on them acks sooner). */
  minIdleMs: number;
  /** Give up if the stream has not been fully acked by then. */
  timeoutMs: number;
}

export interface StreamCounts {
  produced: number;
  processed: number;
  acked: number;
  /** Entries A had read but not acked when it died. */
  stranded: number;
  /** Entries B took over with XAUTOCLAIM. */
  claimed: number;
  /** Produced but never acked. */
  lost: number;
  processedTwice: number;
  /** Processed again after an ack: at-least-once delivery must never do this. */
  processedAfterAck: number;
  /** XPENDING's count at the end. */
  pendingLeft: number;
  elapsedMs: number;
}

interface Entry {
  id: string;
  seq: number;
}

/** What happened to each message, by sequence number. */
class Ledger {
  readonly processed = new Set<number>();
  readonly acked = new Set<number>();
  processedTwice = 0;
  processedAfterAck = 0;

  process(seq: number): void {
    if (this.acked.has(seq)) this.processedAfterAck++;
    if (this.processed.has(seq)) this.processedTwice++;
    this.processed.add(seq);
  }
}

async function produce(client: RedisClient, key: string, settings: StreamSettings, signal?: AbortSignal) {
  for (let from = 0; from < settings.messages; from += settings.batch) {
    signal?.throwIfAborted();
    const sends = [];
    for (let seq = from; seq < Math.min(from + settings.batch, settings.messages); seq++) {
      sends.push(client.xAdd(key, '*', { seq: String(seq) }));
    }
    await Promise.all(sends);
  }
}

const toEntry = (message: { id: string; message: unknown }): Entry => ({
  id: String(message.id),
  seq: Number((message.message as Record<string, string>).seq),
});

/** New entries for `consumer`, waiting up to 50 ms for some (well inside the client's reply deadline). */
async function readNew(client: RedisClient, key: string, consumer: string, count: number): Promise<Entry[]> {
  const reply = await client.xReadGroup(GROUP, consumer, { key, id: '>' }, { COUNT: count, BLOCK: 50 });
  return (reply ?? []).flatMap((stream) => stream.messages.map(toEntry));
}

/** Entries pending longer than `minIdleMs` under any consumer, now `consumer`'s (XAUTOCLAIM, Redis 6.2+). */
async function claimIdle(client: RedisClient, key: string, consumer: string, minIdleMs: number): Promise<Entry[]> {
  const claimed: Entry[] = [];
  let start = '0-0';
  do {
    const reply = await client.xAutoClaim(key, GROUP, consumer, minIdleMs, start, { COUNT: 100 });
    for (const message of reply.messages) if (message) claimed.push(toEntry(message));
    start = String(reply.nextId);
  } while (start !== '0-0');
  return claimed;
}

/** Process, then ack: the order that makes delivery at-least-once. */
async function handle(client: RedisClient, key: string, entries: Entry[], ledger: Ledger): Promise<void> {
  if (entries.length === 0) return;
  for (const entry of entries) ledger.process(entry.seq);
  await client.xAck(
    key,
    GROUP,
    entries.map((entry) => entry.id),
  );
  for (const entry of entries) ledger.acked.add(entry.seq);
}

/** Consumer A: works normally, then on its `dieOnBatch`-th batch acks half and drops its connection. */
async function consumeThenDie(a: RedisClient, key: string, ledger: Ledger, s: StreamSettings, until: () => boolean) {
  for (let batches = 0; !until(); ) {
    const entries = await readNew(a, key, 'A', s.batch);
    if (entries.length === 0) continue;
    if (++batches < s.dieOnBatch) {
      await handle(a, key, entries, ledger);
      continue;
    }
    const half = Math.floor(entries.length / 2);
    await handle(a, key, entries.slice(0, half), ledger);
    a.destroy();
    return entries.length - half;
  }
  return 0;
}

/** Consumer B: reads new entries, and whenever none came, claims the idle ones. */
async function consumeAndClaim(b: RedisClient, key: string, ledger: Ledger, s: StreamSettings, until: () => boolean) {
  let claimed = 0;
  while (!until()) {
    const entries = await readNew(b, key, 'B', s.batch);
    if (entries.length > 0) {
      await handle(b, key, entries, ledger);
      continue;
    }
    const idle = await claimIdle(b, key, 'B', s.minIdleMs);
    claimed += idle.length;
    await handle(b, key, idle, ledger);
  }
  return claimed;
}

/** The whole run: group, producer and both consumers at once, until every message is acked (or the timeout). */
export async function runStream(
  clients: { producer: RedisClient; a: RedisClient; b: RedisClient },
  key: string,
  settings: StreamSettings,
  signal?: AbortSignal,
): Promise<StreamCounts> {
  await clients.producer.xGroupCreate(key, GROUP, '0', { MKSTREAM: true });
  const ledger = new Ledger();
  const started = performance.now();
  const deadline = started + settings.timeoutMs;
  const until = () => {
    signal?.throwIfAborted();
    if (performance.now() > deadline) throw new Error(`the stream was not fully acked within ${settings.timeoutMs} ms`);
    return ledger.acked.size === settings.messages;
  };
  const [, stranded, claimed] = await Promise.all([
    produce(clients.producer, key, settings, signal),
    consumeThenDie(clients.a, key, ledger, settings, until),
    consumeAndClaim(clients.b, key, ledger, settings, until),
  ]);
  const elapsedMs = performance.now() - started;
  const pending = await clients.producer.xPending(key, GROUP);
  return {
    produced: Number(await clients.producer.xLen(key)),
    processed: ledger.processed.size,
    acked: ledger.acked.size,
    stranded,
    claimed,
    lost: settings.messages - ledger.acked.size,
    processedTwice: ledger.processedTwice,
    processedAfterAck: ledger.processedAfterAck,
    pendingLeft: Number(pending.pending),
    elapsedMs,
  };
}
