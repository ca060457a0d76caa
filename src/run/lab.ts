/**
 * The lab a run gives its suites: the Redis session and the seeded database,
 * and the run's accounting. Every cache-aside service is made here, so every
 * row's counters — including the stampede lock's errors — are summed into
 * the run's error counts in one place, and a run whose Redis failed (on any
 * path) ends "degraded".
 */
import { CacheAsideService } from '../cache/cacheAside.ts';
import { type CacheCounters, newCacheCounters } from '../cache/counters.ts';
import type { Settings } from '../config/options.ts';
import { deleteByPrefixOnCluster } from '../redis/clusterKeyspace.ts';
import type { BenchRedis } from '../redis/openSession.ts';
import type { SourceDriver } from '../source/driver.ts';
import { latencySampler, meanLatencyMs } from '../source/latency.ts';
import { Source } from '../source/source.ts';
import { VersionLog } from '../source/versionLog.ts';
import type { Lab, Progress, ServiceSpec } from '../suites/context.ts';
import { runReads } from '../suites/readRun.ts';
import type { Rng } from '../workload/rng.ts';
import type { LoadWorkers } from './loadWorkers.ts';
import { mergeWorkerRow, sumCounters } from './rowMerge.ts';

export interface RunAccount {
  /** Every service's counters, for the run's totals. */
  counters: CacheCounters[];
  /** Error events of the Redis connections (resets, failed reconnects). */
  connectionErrors: number;
}

export function newRunAccount(): RunAccount {
  return { counters: [], connectionErrors: 0 };
}

/** The run's totals: what decides "degraded". */
export function runErrors(account: RunAccount): { redis: number; source: number; connection: number } {
  let redis = 0;
  let source = 0;
  for (const c of account.counters) {
    redis += c.redisErrors;
    source += c.sourceErrors;
  }
  return { redis, source, connection: account.connectionErrors };
}

export function createLab(
  session: BenchRedis,
  driver: SourceDriver,
  account: RunAccount,
  run: { signal: AbortSignal; progress: Progress; workers?: LoadWorkers },
): Lab {
  const versions = new VersionLog(driver.readOnly ? 0 : 1);
  return {
    prefix: session.prefix,
    source(settings: Settings, rng: Rng): Source {
      const spec = settings.sourceLatency ?? { kind: 'fixed', ms: 0 };
      return new Source(driver, {
        latency: latencySampler(spec, rng),
        requestedDelayMs: meanLatencyMs(spec),
        poolSize: settings.sourcePool ?? 10,
        versions,
      });
    },
    newService(spec: ServiceSpec): CacheAsideService {
      const counters = newCacheCounters();
      account.counters.push(counters);
      return new CacheAsideService({ ...spec, store: session.store, counters });
    },
    async measureRow(label: string, settings: Parameters<Lab['measureRow']>[1]) {
      run.progress.start(label);
      try {
        return await runReads({
          ...settings,
          signal: run.signal,
          serverCounts: () => session.keyspaceCounts(),
          serverMemory: () => (session.mode === 'standalone' ? session.memoryStats() : Promise.resolve(null)),
          countKeys: (prefix) => (session.mode === 'standalone' ? session.countKeys(prefix) : Promise.resolve(null)),
          onProgress: (fraction) => run.progress.update(fraction),
        });
      } finally {
        run.progress.stop();
      }
    },
    workers: run.workers?.count ?? 1,
    async measureInWorkers(label, spec) {
      const workers = run.workers;
      if (!workers) throw new Error('measureInWorkers without --workers: a suite must check lab.workers');
      run.progress.start(label);
      try {
        const row = await workers.runRow(spec, {
          signal: run.signal,
          onProgress: (fraction) => run.progress.update(fraction),
          serverCounts: () => session.keyspaceCounts(),
        });
        // The run's totals include every worker's whole row, warm-up too, as an in-thread row's do.
        account.counters.push(sumCounters(row.results.map((r) => r.total)));
        account.connectionErrors += row.connectionErrors;
        return mergeWorkerRow(row);
      } finally {
        run.progress.stop();
      }
    },
    rawGet(key: string) {
      return session.store.rawGet(key);
    },
    ...memoryCapabilities(session),
  };
}

/** What the capacity suite asks of Redis's memory: a single server's; on a cluster the figures are null. */
function memoryCapabilities(
  session: BenchRedis,
): Pick<Lab, 'throwaway' | 'memoryStats' | 'memoryUsage' | 'deleteKeys' | 'setMaxmemory'> {
  return {
    throwaway: session.mode === 'standalone' ? session.throwawayMemory : undefined,
    memoryStats: () => (session.mode === 'standalone' ? session.memoryStats() : Promise.resolve(null)),
    memoryUsage: (prefix, sample) =>
      session.mode === 'standalone' ? session.memoryUsage(prefix, sample) : Promise.resolve([]),
    async deleteKeys(prefix) {
      if (session.mode === 'standalone') return session.deleteKeys(prefix);
      return (await deleteByPrefixOnCluster(session.cluster, prefix)).removed;
    },
    setMaxmemory: (bytes) =>
      session.mode === 'standalone'
        ? session.setMaxmemory(bytes)
        : Promise.reject(new Error('maxmemory is set on a throwaway redis-server only, not on a cluster')),
  };
}
