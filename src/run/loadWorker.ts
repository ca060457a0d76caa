/**
 * A load worker thread (`--workers N`): its own Redis connection (or cluster
 * client), its own in-memory copy of the seeded source, its own timer. For
 * each row it builds the row's service from the row's description, waits for
 * the common start, offers its share of the load and sends back the row's
 * histograms and counts. Started by loadWorkers.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CacheAsideService } from '../cache/cacheAside.ts';
import { newCacheCounters } from '../cache/counters.ts';
import { sleepUntil, startTimer, stopTimer } from '../load/preciseTimer.ts';
import { encodeHistogram } from '../metrics/latencyHistogram.ts';
import { openStore } from '../redis/storeTarget.ts';
import { latencySampler, meanLatencyMs } from '../source/latency.ts';
import { Source } from '../source/source.ts';
import { SqliteDriver } from '../source/sqliteDriver.ts';
import { VersionLog } from '../source/versionLog.ts';
import { OUTCOMES, runReads } from '../suites/readRun.ts';
import { createKeySampler } from '../workload/keySampler.ts';
import { createRng } from '../workload/rng.ts';
import {
  type FromWorker,
  fromEpochMs,
  type ToWorker,
  type WorkerRowResult,
  type WorkerSetup,
} from './workerProtocol.ts';

const setup = workerData as WorkerSetup;
const port = parentPort;
if (!port) throw new Error('loadWorker.ts runs as a worker thread');
const post = (message: FromWorker) => port.postMessage(message);

let connectionErrors = 0;
let aborting: AbortController | undefined;

await startTimer(setup.timer);
const own = await openStore(setup.redis, {
  ...setup.redisOptions,
  onError: () => {
    connectionErrors++;
  },
});
const driver = new SqliteDriver();
// The same rows as the run's thread seeded (ids and values come from the seed), in this thread's own memory.
await driver.seed(setup.rows, setup.seed);
const versions = new VersionLog(1);
post({ type: 'ready' });

port.on('message', (message: ToWorker) => {
  if (message.type === 'abort') aborting?.abort();
  else if (message.type === 'close') void close();
  else
    runRow(message).then(
      (result) => post({ type: 'done', result, connectionErrors }),
      (error: Error) => post({ type: 'failed', name: error.name, message: error.message }),
    );
});

async function runRow(message: Extract<ToWorker, { type: 'row' }>): Promise<WorkerRowResult> {
  const { spec } = message;
  const rowRng = createRng(setup.seed).fork(`${spec.suite}:${spec.index}`);
  const rng = rowRng.fork(`worker:${setup.worker}`);
  // The row's key popularity (its hot ids) as the other workers have it, drawn from this worker's own stream.
  const sampler = createKeySampler(spec.dist, spec.keys, rowRng.fork('keys')).withRng(rng.fork('keys'));
  const source = new Source(driver, {
    latency: latencySampler(spec.sourceLatency, rng.fork('source')),
    requestedDelayMs: meanLatencyMs(spec.sourceLatency),
    poolSize: message.sourcePool,
    versions,
  });
  const total = newCacheCounters();
  const service = new CacheAsideService({
    store: own.store,
    source,
    counters: total,
    keyPrefix: spec.keyPrefix,
    ttlMs: spec.ttlMs,
    slidingTtl: spec.slidingTtl,
    ttlJitterPct: spec.ttlJitterPct,
    rng: rng.fork('jitter'),
  });
  aborting = new AbortController();
  await sleepUntil(fromEpochMs(message.startAtEpochMs));
  const run = await runReads({
    service,
    source,
    sampler,
    load: message.load,
    window: spec.window,
    rng,
    signal: aborting.signal,
    ...(message.reportProgress ? { onProgress: (fraction: number) => post({ type: 'progress', fraction }) } : {}),
  });
  return {
    all: encodeHistogram(run.all),
    service: encodeHistogram(run.service),
    byOutcome: Object.fromEntries(
      OUTCOMES.map((o) => [o, encodeHistogram(run.byOutcome[o])]),
    ) as WorkerRowResult['byOutcome'],
    sourceServed: encodeHistogram(run.sourceServed),
    counts: run.counts,
    driver: run.driver,
    cache: run.cache,
    total: { ...total },
    sourceReadsPerSec: run.sourceReadsPerSec,
    sourceReads: run.sourceReads,
    harness: run.harness,
  };
}

async function close(): Promise<void> {
  own.close();
  await driver.close();
  await stopTimer();
  port?.close();
}
