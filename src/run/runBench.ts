/**
 * One `npm run bench`: resolve each suite's settings, connect (or start a
 * throwaway Redis), seed the source, run the suites, print the tables, save
 * the snapshot, and always clean up — the run's keys, the clients, a server
 * it started — whatever happened.
 */
import { answerFor } from '../answer/fromRun.ts';
import { answerLines } from '../answer/text.ts';
import type { BenchRequest } from '../config/args.ts';
import { unusedFlagsNote } from '../config/args.ts';
import type { OptionKey, Settings } from '../config/options.ts';
import { RUN, recordRunSettings, recordSettings, resolveRun, resolveSettings } from '../config/resolve.ts';
import { toRunUnits } from '../config/speedup.ts';
import { InterruptedError } from '../errors.ts';
import { startTimer, stopTimer } from '../load/preciseTimer.ts';
import { hitCurveChart, ttlSweepCharts } from '../report/chart.ts';
import { chartSection } from '../report/chartFiles.ts';
import { snapshotCharts } from '../report/charts.ts';
import { renderHtml } from '../report/html.ts';
import { createProgress } from '../report/progress.ts';
import { asciiChartSection, renderMarkdown, renderTerminal } from '../report/render.ts';
import { saveSnapshot } from '../report/snapshotFile.ts';
import { SCHEMA_VERSION, type Snapshot, type SuiteSection } from '../report/snapshotFormat.ts';
import { snapshotTables } from '../report/tables.ts';
import type { Lab, Progress } from '../suites/context.ts';
import { freshness } from '../suites/freshness.ts';
import { SUITES } from '../suites/registry.ts';
import type { SimulateResult } from '../suites/simulate.ts';
import { traceKey } from '../suites/traceInput.ts';
import type { TtlSweepResult } from '../suites/ttlSweep.ts';
import { createRng } from '../workload/rng.ts';
import {
  type Backend,
  checkTracePlan,
  loadTraces,
  offlineBackend,
  openBackend,
  type Plan,
  type TraceTable,
} from './backend.ts';
import { newRunAccount, type RunAccount, runErrors } from './lab.ts';

export interface BenchIo {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
}

export interface BenchOutcome {
  snapshot: Snapshot;
  written: string[];
}

export async function runBench(request: BenchRequest, io: BenchIo): Promise<BenchOutcome> {
  const started = performance.now();
  const run = resolveRun(request);
  const plan: Plan = SUITES.filter((s) => request.suites.includes(s.name)).map((suite) => ({
    suite,
    production: resolveSettings(suite, request),
  }));
  const say = (line: string) => {
    if (!request.quiet) io.err(line);
  };
  const unused = unusedFlagsNote(request, (name) => SUITES.find((s) => s.name === name)?.uses ?? []);
  if (unused) io.err(unused);
  checkTracePlan(plan, unused, io);
  // Read before anything starts: a bad trace is refused (exit 2) without starting Redis.
  const traces = await loadTraces(plan, say);
  await startTimer(run.timer ?? 'thread');
  const account = newRunAccount();
  const progress = createProgress(request.quiet);
  let backend: Backend | undefined;
  try {
    const offline = plan.every(({ suite }) => suite.offline);
    backend = offline
      ? offlineBackend(run.timer ?? 'thread')
      : await openBackend(plan, run, io, account, { signal: io.signal, progress, say, traces });
    const sections = await runSuites(plan, { lab: backend.lab, progress, say, traces }, run, io);
    const snapshot = buildSnapshot({ request, run, backend, account, sections, started });
    // The answer weighs measured rows: a run of offline suites (simulate) has none.
    if (!offline) {
      snapshot.answer = answerFor({
        sections,
        run,
        given: (key: OptionKey) => request.given[key] !== undefined || request.pinned[RUN]?.[key] !== undefined,
        freshnessSettings: resolveSettings(freshness, request),
        redisErrors: snapshot.errors.redis,
      });
    }
    const written = await report(snapshot, request.quiet, run, io);
    return { snapshot, written };
  } finally {
    // Ended while the rest is cleaned up: a timer thread alive at exit slows the exit.
    const timerStopped = stopTimer();
    await backend?.close(io, say);
    await timerStopped;
  }
}

interface Finished {
  request: BenchRequest;
  run: Settings;
  backend: Backend;
  account: RunAccount;
  sections: Record<string, SuiteSection>;
  started: number;
}

function buildSnapshot({ request, run, backend, account, sections, started }: Finished): Snapshot {
  const errors = runErrors(account);
  return {
    schemaVersion: SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    status: errors.redis + errors.connection > 0 ? 'degraded' : 'complete',
    durationSec: (performance.now() - started) / 1000,
    env: backend.env,
    config: {
      scenario: request.scenario.name,
      scenarioDescription: request.scenario.description,
      redis: backend.display,
      ...recordRunSettings(run),
    },
    errors,
    suitesRun: request.suites.filter((name) => sections[name] !== undefined),
    suites: sections,
  };
}

/** Each suite in turn; an interrupted run throws, so nothing is saved. */
async function runSuites(
  plan: Plan,
  { lab, progress, say, traces }: { lab: Lab; progress: Progress; say: (line: string) => void; traces: TraceTable },
  run: Settings,
  io: BenchIo,
) {
  const rng = createRng(run.seed ?? 1);
  const results: Record<string, unknown> = {};
  const sections: Record<string, SuiteSection> = {};
  for (const { suite, production } of plan) {
    if (io.signal.aborted) break;
    say(`running ${suite.name} …`);
    const suiteStart = performance.now();
    const settings = toRunUnits(production, run.speedup ?? 1);
    const trace = (s: Settings) => traces.get(traceKey(s) ?? '');
    const speedup = run.speedup ?? 1;
    const ctx = { settings, production, speedup, rng, signal: io.signal, results, progress, lab, trace, log: say };
    try {
      results[suite.name] = await suite.run(ctx);
    } catch (error) {
      // A suite cut short may fail on what it did not measure (no samples yet):
      // the run is interrupted all the same.
      if (io.signal.aborted) break;
      throw error;
    }
    sections[suite.name] = {
      settings: recordSettings(suite, production),
      ...(results[suite.name] as object),
    } as SuiteSection;
    say(`  ${suite.name} done in ${((performance.now() - suiteStart) / 1000).toFixed(1)} s`);
  }
  if (io.signal.aborted)
    throw new InterruptedError('interrupted: the run was stopped; its keys were removed and nothing was saved');
  return sections;
}

async function report(snapshot: Snapshot, quiet: boolean, run: Settings, io: BenchIo): Promise<string[]> {
  const tables = snapshotTables(snapshot);
  const sweep = snapshot.suites['ttl-sweep'] as unknown as TtlSweepResult | undefined;
  io.out(renderTerminal(tables, io.color));
  if (sweep && !quiet) io.out(`\n${ttlSweepCharts(sweep.rows, io.color)}`);
  const simulated = snapshot.suites.simulate as unknown as SimulateResult | undefined;
  // One line: simulate's first invalidation, or the ttl-sweep's curve over a trace.
  const first = simulated?.rows[0]?.invalidation;
  const curve = simulated ? simulated.rows.filter((r) => r.invalidation === first) : sweep?.curve;
  if (curve && !quiet) io.out(`\n${hitCurveChart(curve, io.color)}`);
  // SVG charts (deterministic: the same snapshot gives the same bytes) and an HTML report beside latest.md.
  const charts = run.noCharts || run.noSave ? [] : snapshotCharts(snapshot);
  const html = charts.length > 0 ? 'latest.html' : undefined;
  const section = html
    ? chartSection(
        charts.map((c) => c.file),
        html,
      )
    : asciiChartSection(sweep ? ttlSweepCharts(sweep.rows, false) : '');
  const beside = charts.map((c) => ({ file: c.file, content: c.svg }));
  if (html) beside.push({ file: html, content: renderHtml(snapshot, charts) });
  const written = await saveSnapshot(snapshot, renderMarkdown(snapshot, tables, section), {
    outDir: run.out ?? 'results',
    save: run.noSave !== true,
    jsonFile: run.json,
    beside,
  });
  if (snapshot.status === 'degraded') {
    const { redis, connection } = snapshot.errors;
    io.out(
      `\nstatus: degraded — ${redis} Redis errors (${connection} connection errors); those reads were served by the source`,
    );
  }
  io.out(
    `\ntotal time ${snapshot.durationSec.toFixed(1)} s${written.length ? `; saved ${written.join(', ')}` : '; nothing saved'}`,
  );
  // Printed last: what the run was for.
  if (snapshot.answer) io.out(`\n${answerLines(snapshot.answer).join('\n')}`);
  return written;
}
