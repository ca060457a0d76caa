/**
 * The seed's "queues/streams for asynchronous processing": a producer XADDs,
 * a consumer group shares the messages between consumers A and B
 * (XREADGROUP, XACK after processing); A dies mid-batch, and B claims what A
 * left pending with XAUTOCLAIM. Every message is counted through.
 */
import { runStream, type StreamSettings } from './lib/streams.ts';
import { count, runExample } from './shared.ts';

const SETTINGS: StreamSettings = { messages: 20_000, batch: 100, dieOnBatch: 5, minIdleMs: 100, timeoutMs: 60_000 };

await runExample('stream', async (session, stop) => {
  const key = `${session.prefix}stream:orders`;
  console.log(
    `stream ${key}: ${count(SETTINGS.messages)} messages XADDed while group "workers" (A and B) reads ` +
      `${SETTINGS.batch} at a time; A dies on its batch ${SETTINGS.dieOnBatch} after acking half of it; ` +
      `B XAUTOCLAIMs entries idle ${SETTINGS.minIdleMs} ms`,
  );
  const clients = { producer: session.client, a: await session.connectAnother(), b: await session.connectAnother() };
  const counts = await runStream(clients, key, SETTINGS, stop);
  console.log(
    `  produced ${count(counts.produced)}, processed ${count(counts.processed)}, acked ${count(counts.acked)}; ` +
      `A left ${counts.stranded} pending, B claimed ${counts.claimed}; XPENDING at the end: ${counts.pendingLeft}`,
  );
  console.log(
    `  lost ${counts.lost}, processed twice ${counts.processedTwice}, processed after their ack ${counts.processedAfterAck}`,
  );
  console.log(
    `figure: ${count(counts.acked / (counts.elapsedMs / 1000))} messages/s processed end to end ` +
      `(${count(counts.acked)} in ${(counts.elapsedMs / 1000).toFixed(2)} s); ` +
      `${counts.lost} lost, ${counts.processedAfterAck} processed again after an ack`,
  );
});
