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
import { stopTimer } from '../load/preciseTimer.ts';
import type { BenchRedis } from '../redis/openSession.ts';
import { calibrationTable } from '../report/calibrate.ts';
import { hitCurveChart, ttlSweepCharts } from '../report/chart.ts';
import { chartSection } from '../report/chartFiles.ts';
import { snapshotCharts } from '../report/charts.ts';
import { describeEnvironment } from '../report/environment.ts';
import { renderHtml } from '../report/html.ts';
import { createProgress } from '../report/progress.ts';
import { asciiChartSection, renderMarkdown, renderTerminal } from '../report/render.ts';
import { saveSnapshot } from '../report/snapshotFile.ts';
import { SCHEMA_VERSION, type Snapshot, type SuiteSection } from '../report/snapshotFormat.ts';
import { snapshotTables } from '../report/tables.ts';
import type { SourceDriver } from '../source/driver.ts';
import type { Lab, Progress } from '../suites/context.ts';
import { freshness } from '../suites/freshness.ts';
import { SUITES } from '../suites/registry.ts';
import type { SimulateResult } from '../suites/simulate.ts';
import type { Suite } from '../suites/suite.ts';
import { traceKey } from '../suites/traceInput.ts';
import type { TtlSweepResult } from '../suites/ttlSweep.ts';
import { createRng } from '../workload/rng.ts';
import { checkTracePlan, loadTraces, offlineLab, rowsNeeded, type TraceTable, traceSizes } from './backend.ts';
import { createLab, newRunAccount, type RunAccount, runErrors } from './lab.ts';
import type { LoadWorkers } from './loadWorkers.ts';
import { calibrating, runPasses } from './passes.ts';
import { describeRedis, loadWorkers, stoppedNote, workerNotes } from './runScale.ts';
import { fitKeysToIds, openSource, planSource, poolSize, seedSource, sourceDefaults, sourceLine } from './runSource.ts';
import { connect, describeMemory } from './throwawayRedis.ts';

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

type Plan = { suite: Suite; production: Settings }[];

export async function runBench(request: BenchRequest, io: BenchIo): Promise<BenchOutcome> {
  const started = performance.now();
  const run = calibrating(resolveRun(request), request);
  const chosen = SUITES.filter((s) => request.suites.includes(s.name));
  // Checked before anything starts: a bad source URL or mode exits 2.
  const sourcePlan = planSource(run, io.env, chosen);
  const plan: Plan = chosen.map((suite) => ({
    suite,
    production: resolveSettings(suite, request, sourceDefaults(sourcePlan)),
  }));
  const say = (line: string) => {
    if (!request.quiet) io.err(line);
  };
  const unused = unusedFlagsNote(request, (name) => SUITES.find((s) => s.name === name)?.uses ?? []);
  if (unused) io.err(unused);
  for (const line of workerNotes(run, request.suites)) io.err(line);
  checkTracePlan(plan, unused, io);
  // Read before anything starts: a bad trace is refused (exit 2) without starting Redis.
  const traces = await loadTraces(plan, say);
  if (plan.every(({ suite }) => suite.offline)) return runOffline({ request, run, plan, traces, started, io, say });
  const account = newRunAccount();
  const session = await connect(run, plan, io, account);
  let driver: SourceDriver | undefined;
  let workers: LoadWorkers | undefined;
  try {
    say(`redis: ${session.display} (${describeRedis(session)}), run prefix ${session.prefix}`);
    if (session.mode === 'standalone' && session.throwawayMemory)
      say(`redis: ${describeMemory(session.throwawayMemory)}`);
    driver = await openSource(sourcePlan, runIdOf(session.prefix), poolSize(plan));
    await prepareSource(driver, plan, run, { request, io, say, traces });
    const progress = createProgress(request.quiet);
    const rows = Math.max(...plan.map(({ suite, production: p }) => rowsNeeded(suite, p, traces)));
    workers = loadWorkers(run, session, driver, rows, io.err);
    const lab = createLab(session, driver, account, { signal: io.signal, progress, workers });
    const sections = await runSuites(plan, { lab, progress, say, traces }, run, io);
    const pool = poolSize(plan);
    const snapshot = buildSnapshot({ request, run, session, driver, pool, account, sections, started });
    snapshot.answer = answerFor({
      sections,
      run,
      given: (key: OptionKey) => request.given[key] !== undefined || request.pinned[RUN]?.[key] !== undefined,
      freshnessSettings: resolveSettings(freshness, request, sourceDefaults(sourcePlan)),
      redisErrors: snapshot.errors.redis,
    });
    const written = await report(snapshot, request.quiet, run, io);
    return { snapshot, written };
  } finally {
    await cleanUp(session, driver, workers, { io, say });
  }
}

/**
 * Only offline suites (simulate): no Redis, no source, no timer thread, and
 * no answer (it weighs measured rows; there are none).
 */
async function runOffline(o: {
  request: BenchRequest;
  run: Settings;
  plan: Plan;
  traces: TraceTable;
  started: number;
  io: BenchIo;
  say: (line: string) => void;
}): Promise<BenchOutcome> {
  const progress = createProgress(o.request.quiet);
  const sections = await runSuites(o.plan, { lab: offlineLab(), progress, say: o.say, traces: o.traces }, o.run, o.io);
  const snapshot = buildSnapshot({ ...o, pool: 0, account: newRunAccount(), sections });
  const written = await report(snapshot, o.request.quiet, o.run, o.io);
  return { snapshot, written };
}

/** `cab:<run id>:` → the run id, which also names the run's tables. */
function runIdOf(prefix: string): string {
  return prefix.split(':')[1] ?? prefix;
}

/** Seeds the owned table with the rows the suites need, or fits the suites' keys to the user's ids. */
async function prepareSource(
  driver: SourceDriver,
  plan: Plan,
  run: Settings,
  { request, io, say, traces }: { request: BenchRequest; io: BenchIo; say: (line: string) => void; traces: TraceTable },
): Promise<void> {
  if (driver.readOnly) {
    fitKeysToIds(plan, driver.keys(), request, io.err);
    say(sourceLine(driver, null));
    return;
  }
  // A trace's keys become rows 1..K, sized as the trace first showed their values.
  const sizes = traceSizes(plan, traces);
  const rows = Math.max(sizes?.length ?? 0, ...plan.map(({ suite, production: p }) => rowsNeeded(suite, p, traces)));
  say(sourceLine(driver, await seedSource(driver, rows, run.seed ?? 1, io.signal, sizes)));
}

/**
 * Every exit path ends here (normal end, error, Ctrl-C): the timer thread
 * stops, the owned table is dropped, the run's keys are removed, a throwaway
 * server is stopped. Failures to clean up are said even under --quiet.
 */
async function cleanUp(
  session: BenchRedis,
  driver: SourceDriver | undefined,
  workers: LoadWorkers | undefined,
  { io, say }: { io: BenchIo; say: (line: string) => void },
): Promise<void> {
  // Ended while the rest is cleaned up: a timer thread alive at exit slows the exit.
  const timerStopped = stopTimer();
  await workers?.close();
  const dropped = await driver?.close();
  const { removedKeys, error } = await session.close();
  await timerStopped;
  if (dropped?.error) io.err(`warning: ${dropped.error}`);
  if (error) io.err(`warning: could not remove the run's keys under ${session.prefix}: ${error}`);
  else {
    const table = dropped?.droppedTable ? `, dropped table ${dropped.droppedTable}` : '';
    say(`cleanup: removed ${removedKeys} keys under ${session.prefix}${table}${stoppedNote(session)}`);
  }
}

interface Finished {
  request: BenchRequest;
  run: Settings;
  /** Both absent when only offline suites ran. */
  session?: BenchRedis;
  driver?: SourceDriver;
  /** Connections the database pool holds (SQLite: queries in flight at most). */
  pool: number;
  account: RunAccount;
  sections: Record<string, SuiteSection>;
  started: number;
}

function buildSnapshot({ request, run, session, driver, pool, account, sections, started }: Finished): Snapshot {
  const errors = runErrors(account);
  return {
    schemaVersion: SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    status: errors.redis + errors.connection > 0 ? 'degraded' : 'complete',
    durationSec: (performance.now() - started) / 1000,
    env: describeEnvironment(
      session?.server ?? { version: 'none', mode: 'none' },
      driver ? { kind: driver.kind, version: driver.version, pool } : { kind: 'none', version: 'none' },
      run.timer ?? 'wait',
    ),
    config: {
      scenario: request.scenario.name,
      scenarioDescription: request.scenario.description,
      redis: session?.display ?? 'none (offline suites only)',
      ...(session?.mode === 'standalone' && session.throwawayMemory ? { redisServer: session.throwawayMemory } : {}),
      source: driver?.display ?? 'none (offline suites only)',
      ...(driver?.readOnly ? { sourceQuery: run.sourceQuery, sourceIds: run.sourceIds } : {}),
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
    say(`running ${suite.name}${(run.repeat ?? 1) > 1 ? ` × ${run.repeat} passes` : ''} …`);
    const suiteStart = performance.now();
    const settings = toRunUnits(production, run.speedup ?? 1);
    const speedup = run.speedup ?? 1;
    const trace = (s: Settings) => traces.get(traceKey(s) ?? '');
    const ctx = { settings, production, speedup, rng, signal: io.signal, results, progress, lab, trace, log: say };
    try {
      results[suite.name] = await runPasses(suite, ctx, run.repeat ?? 1);
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
  if (run.calibrate) tables.push(calibrationTable(snapshot));
  const sweep = snapshot.suites['ttl-sweep'] as unknown as TtlSweepResult | undefined;
  io.out(renderTerminal(tables, io.color));
  if (sweep && !quiet) io.out(`\n${ttlSweepCharts(sweep.rows, io.color)}`);
  // One line: simulate's first invalidation, or the ttl-sweep's curve over a trace.
  const simulated = snapshot.suites.simulate as unknown as SimulateResult | undefined;
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
