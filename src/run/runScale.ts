/**
 * The run's scale-out parts: load worker threads (`--workers`) and how a
 * session — a single server or a cluster, throwaway or the user's — is
 * described when the run opens and when it cleans up.
 */
import type { Settings } from '../config/options.ts';
import type { BenchRedis } from '../redis/openSession.ts';
import { storeTarget } from '../redis/storeTarget.ts';
import type { SourceDriver } from '../source/driver.ts';
import { LoadWorkers } from './loadWorkers.ts';

/** `--workers N` above 1: the threads, started when a row first needs them. */
export function loadWorkers(
  run: Settings,
  session: BenchRedis,
  driver: SourceDriver,
  rows: number,
  err: (line: string) => void,
): LoadWorkers | undefined {
  const count = run.workers ?? 1;
  if (count <= 1) return undefined;
  // Each worker seeds its own in-memory copy of the rows: only the in-memory SQLite source can be copied so.
  if (driver.kind !== 'sqlite' || driver.readOnly || driver.display !== 'sqlite (in memory)') {
    err(
      `note: --workers ${count} needs the in-memory SQLite source (each worker seeds its own copy); with ${driver.display} every row runs in this thread`,
    );
    return undefined;
  }
  return new LoadWorkers(count, (worker) => ({
    worker,
    redis: storeTarget(session),
    redisOptions: { commandTimeoutMs: run.redisTimeoutMs },
    seed: run.seed ?? 1,
    rows,
    timer: run.timer ?? 'wait',
  }));
}

/** What `--workers` does not reach, said rather than silently ignored. */
export function workerNotes(run: Settings, suites: readonly string[]): string[] {
  const workers = run.workers ?? 1;
  if (workers <= 1) return [];
  const notes: string[] = [];
  const inThread = suites.filter((name) => !WORKER_SUITES.includes(name));
  if (inThread.length > 0)
    notes.push(
      `note: --workers ${workers} applies to ${WORKER_SUITES.join(', ')} rows; ${inThread.join(', ')} run in this thread`,
    );
  if (run.trace !== undefined)
    notes.push(`note: --workers ${workers} does not apply to --trace replay rows: they run in this thread`);
  return notes;
}

/** Suites whose rows --workers spreads over threads. */
const WORKER_SUITES = ['ttl-sweep'];

export function describeRedis(session: BenchRedis): string {
  const version = `Redis ${session.server.version}`;
  return session.mode === 'cluster' ? `${version}, cluster of ${session.server.masters.length} masters` : version;
}

export function stoppedNote(session: BenchRedis): string {
  if (!session.throwaway) return session.mode === 'cluster' ? ` on every master` : '';
  return session.mode === 'cluster' ? ', stopped the throwaway cluster' : ', stopped the throwaway redis-server';
}
