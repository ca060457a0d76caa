/**
 * What the run's thread and a load worker thread say to each other, all plain
 * data (structured clone): histograms travel in their compressed HDR form,
 * which merges exactly (hdr-histogram-js `add`).
 */
import type { ReadOutcome } from '../cache/cacheAside.ts';
import type { CacheCounters } from '../cache/counters.ts';
import type { TimerMode } from '../config/types.ts';
import type { DriverReport } from '../load/drivers.ts';
import type { HarnessReport } from '../metrics/harness.ts';
import type { ConnectOptions } from '../redis/connection.ts';
import type { StoreTarget } from '../redis/storeTarget.ts';
import type { WorkerRowSpec } from '../suites/context.ts';
import type { LoadShape } from '../suites/readRun.ts';

/** workerData: where Redis is (with credentials, never printed), and the source every worker seeds alike. */
export interface WorkerSetup {
  worker: number;
  redis: StoreTarget;
  redisOptions: Pick<ConnectOptions, 'commandTimeoutMs' | 'connectTimeoutMs'>;
  seed: number;
  rows: number;
  timer: TimerMode;
}

export type ToWorker =
  | {
      type: 'row';
      spec: WorkerRowSpec;
      /** This worker's share of the load. */
      load: LoadShape;
      sourcePool: number;
      /** When every worker starts the row, ms since the epoch (each thread has its own performance.now origin). */
      startAtEpochMs: number;
      reportProgress: boolean;
    }
  | { type: 'abort' }
  | { type: 'close' };

export interface WorkerRowResult {
  all: string;
  service: string;
  byOutcome: Record<ReadOutcome, string>;
  sourceServed: string;
  counts: Record<ReadOutcome, number>;
  driver: DriverReport;
  /** The window's cache counters, and the whole row's (warm-up included) for the run's error totals. */
  cache: CacheCounters;
  total: CacheCounters;
  sourceReadsPerSec: number;
  sourceReads: number;
  harness: HarnessReport;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; fraction: number }
  | { type: 'done'; result: WorkerRowResult; connectionErrors: number }
  | { type: 'failed'; name: string; message: string };

/** The epoch time of this thread's `performance.now()` reading, and back. */
export const toEpochMs = (localMs: number) => performance.timeOrigin + localMs;
export const fromEpochMs = (epochMs: number) => epochMs - performance.timeOrigin;

/** Worker `w`'s share of `total` among `n`: the remainder goes to the first ones. */
export function shareOf(total: number, n: number, w: number): number {
  return Math.floor(total / n) + (w < total % n ? 1 : 0);
}
