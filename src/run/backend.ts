/**
 * What a run does with traces before anything starts: checks that a suite
 * needing one has it, reads each trace once (a bad file exits 2 before Redis
 * or the source start), and sizes the source's rows after a trace's keys.
 * And the lab of a run of offline suites only (simulate), which refuses use.
 */
import type { Settings } from '../config/options.ts';
import { UsageError } from '../errors.ts';
import type { Lab } from '../suites/context.ts';
import type { Suite } from '../suites/suite.ts';
import { describeTrace, type LoadedTrace, loadTrace, traceKey } from '../suites/traceInput.ts';
import { firstSightSizes } from '../workload/trace/sizes.ts';

export type Plan = { suite: Suite; production: Settings }[];
export type TraceTable = ReadonlyMap<string, LoadedTrace>;

/** No Redis and no source: only offline suites (simulate) run, and the lab refuses use. */
export function offlineLab(): Lab {
  const refuse = (): never => {
    throw new Error('an offline suite used the lab: it needs Redis and the source');
  };
  return {
    prefix: '',
    throwaway: undefined,
    source: refuse,
    newService: refuse,
    measureRow: refuse,
    workers: 1,
    measureInWorkers: refuse,
    rawGet: refuse,
    memoryStats: refuse,
    memoryUsage: refuse,
    deleteKeys: refuse,
    setMaxmemory: refuse,
  };
}

/**
 * Before anything starts: a suite that needs a trace and has none is bad
 * input; a suite that does not replay one while others do gets a note (the
 * run-wide note for unused flags stays silent when any suite uses --trace).
 */
export function checkTracePlan(plan: Plan, unusedNote: string | undefined, io: { err(text: string): void }): void {
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

/** Every trace the plan's suites replay, read once each, its profile said. */
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

/** The first replayed trace's value sizes, one per key id (row 1..K); undefined without one. */
export function traceSizes(plan: Plan, traces: TraceTable): Int32Array | undefined {
  const replayed = plan
    .filter(({ suite }) => !suite.offline && suite.uses.includes('trace'))
    .map(({ production }) => traces.get(traceKey(production) ?? ''))
    .find((t) => t !== undefined);
  return replayed ? firstSightSizes(replayed.trace) : undefined;
}

/** Rows the source needs for a suite: its key space, its hot keys, or the keys of the trace it replays. */
export function rowsNeeded(suite: Suite, settings: Settings, traces: TraceTable): number {
  if (suite.offline) return 0;
  // Only a suite that replays the trace reads its keys; read-path reads its own --keys.
  const traced = suite.uses.includes('trace') ? traces.get(traceKey(settings) ?? '') : undefined;
  if (traced) return traced.trace.uniqueKeys;
  return Math.max(settings.keys ?? 0, suite.uses.includes('hotKeys') ? (settings.hotKeys ?? 0) : 0);
}
