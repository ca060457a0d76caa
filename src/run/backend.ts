/**
 * What a run's suites read through: a Redis session (the user's or a
 * throwaway) and the seeded source — or, when only offline suites (simulate)
 * run, nothing at all, so such a run needs no Redis. Traces are read here too,
 * before either starts.
 */
import type { Settings } from '../config/options.ts';
import { resolveRedisTarget } from '../config/redisTarget.ts';
import { UsageError } from '../errors.ts';
import { openRedisSession } from '../redis/redisSession.ts';
import { describeEnvironment } from '../report/environment.ts';
import type { SnapshotEnv } from '../report/snapshotFormat.ts';
import { SqliteDriver } from '../source/sqliteDriver.ts';
import type { Lab, Progress } from '../suites/context.ts';
import type { Suite } from '../suites/suite.ts';
import { describeTrace, type LoadedTrace, loadTrace, traceKey } from '../suites/traceInput.ts';
import { firstSightSizes } from '../workload/trace/sizes.ts';
import { createLab, type RunAccount } from './lab.ts';

export type Plan = { suite: Suite; production: Settings }[];

/** How the run talks back: output lines and the environment. */
export interface BackendIo {
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** Where the suites' reads go: Redis and the source, or nothing for offline suites. */
export interface Backend {
  lab: Lab;
  display: string;
  env: SnapshotEnv;
  close(io: BackendIo, say: (line: string) => void): Promise<void>;
}

/** No Redis and no source: only offline suites (simulate) run, and the lab refuses use. */
export function offlineBackend(timer: string): Backend {
  const refuse = (): never => {
    throw new Error('an offline suite used the lab: it needs Redis and the source');
  };
  const lab: Lab = { prefix: '', source: refuse, newService: refuse, measureRow: refuse, rawGet: refuse };
  return {
    lab,
    display: 'none (offline suites only)',
    env: describeEnvironment({ version: 'none', mode: 'none' }, { kind: 'none', version: 'none' }, timer),
    close: async () => {},
  };
}

export interface BackendRun {
  signal: AbortSignal;
  progress: Progress;
  say: (line: string) => void;
  traces: TraceTable;
}

export async function openBackend(
  plan: Plan,
  run: Settings,
  io: BackendIo,
  account: RunAccount,
  { signal, progress, say, traces }: BackendRun,
): Promise<Backend> {
  const session = await openRedisSession(resolveRedisTarget(run.redisUrl, io.env), {
    commandTimeoutMs: run.redisTimeoutMs,
    onError: () => {
      account.connectionErrors++;
    },
  });
  const driver = new SqliteDriver();
  const close = async (bench: BackendIo, log: (line: string) => void) => {
    await driver.close();
    const { removedKeys, error } = await session.close();
    // Said even under --quiet: keys left on a user's server are worth a line.
    if (error) bench.err(`warning: could not remove the run's keys under ${session.prefix}: ${error}`);
    else
      log(
        `cleanup: removed ${removedKeys} keys under ${session.prefix}${session.throwaway ? ', stopped the throwaway redis-server' : ''}`,
      );
  };
  try {
    say(`redis: ${session.display} (Redis ${session.server.version}), run prefix ${session.prefix}`);
    await seedSource(driver, plan, run.seed ?? 1, traces, say);
  } catch (error) {
    await close(io, say);
    throw error;
  }
  return {
    lab: createLab(session, driver, account, { signal, progress }),
    display: session.display,
    env: describeEnvironment(session.server, { kind: driver.kind, version: driver.version }, run.timer ?? 'thread'),
    close,
  };
}

/** Rows for every suite's key space; a trace's keys become rows 1..K, sized as the trace first saw them. */
async function seedSource(
  driver: SqliteDriver,
  plan: Plan,
  seed: number,
  traces: TraceTable,
  say: (line: string) => void,
): Promise<void> {
  const online = plan.filter(({ suite }) => !suite.offline);
  const replayed = online
    .filter(({ suite }) => suite.uses.includes('trace'))
    .map(({ production }) => traces.get(traceKey(production) ?? ''))
    .find((t) => t !== undefined);
  const sizes = replayed ? firstSightSizes(replayed.trace) : undefined;
  const rows = Math.max(sizes?.length ?? 0, ...online.map(({ suite, production: p }) => rowsNeeded(suite, p, traces)));
  const seeded = await driver.seed(rows, seed, sizes);
  const sized = sizes ? `, rows 1..${sizes.length} sized as the trace's values` : '';
  say(
    `source: SQLite ${driver.version}, ${rows.toLocaleString('en-US')} rows seeded in ${(seeded.ms / 1000).toFixed(1)} s${sized}`,
  );
}

/**
 * Before anything starts: a suite that needs a trace and has none is bad
 * input; a suite that does not replay one while others do gets a note (the
 * run-wide note for unused flags stays silent when any suite uses --trace).
 */
export function checkTracePlan(plan: Plan, unusedNote: string | undefined, io: BackendIo): void {
  for (const { suite, production } of plan) {
    if (suite.needsTrace && production.trace === undefined) {
      throw new UsageError(
        `${suite.name} needs a trace: expected --trace FILE (csv, twitter or cachebench; plain or .gz)`,
      );
    }
  }
  const untraced = plan.filter(
    ({ suite, production }) => production.trace !== undefined && !suite.uses.includes('trace'),
  );
  if (untraced.length > 0 && !unusedNote?.includes('--trace')) {
    const names = untraced.map(({ suite }) => suite.name).join(', ');
    io.err(`note: --trace is not used by ${names} (it measures reads of seeded rows); ignored there`);
  }
}

export type TraceTable = ReadonlyMap<string, LoadedTrace>;

/** Every trace the plan names, read once each, its profile said. */
export async function loadTraces(plan: Plan, say: (line: string) => void): Promise<TraceTable> {
  const traces = new Map<string, LoadedTrace>();
  for (const { suite, production } of plan) {
    const key = suite.uses.includes('trace') ? traceKey(production) : undefined;
    if (key === undefined || traces.has(key)) continue;
    const loaded = await loadTrace(production);
    traces.set(key, loaded);
    for (const line of describeTrace(loaded)) say(line);
  }
  return traces;
}

/** Rows the source needs for a suite: its key space, its hot keys, or its trace's keys. */
function rowsNeeded(suite: Suite, settings: Settings, traces: TraceTable): number {
  // Only a suite that replays the trace reads its keys; read-path reads its own --keys.
  const traced = suite.uses.includes('trace') ? traces.get(traceKey(settings) ?? '') : undefined;
  if (traced) return traced.trace.uniqueKeys;
  return Math.max(settings.keys ?? 0, suite.uses.includes('hotKeys') ? (settings.hotKeys ?? 0) : 0);
}
