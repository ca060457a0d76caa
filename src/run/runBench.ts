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
import { type BenchRedis, openSession } from '../redis/openSession.ts';
import { storeTarget } from '../redis/storeTarget.ts';
import { ttlSweepCharts } from '../report/chart.ts';
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
import { SqliteDriver } from '../source/sqliteDriver.ts';
import type { Lab, Progress } from '../suites/context.ts';
import { freshness } from '../suites/freshness.ts';
import { SUITES } from '../suites/registry.ts';
import type { Suite } from '../suites/suite.ts';
import type { TtlSweepResult } from '../suites/ttlSweep.ts';
import { createRng } from '../workload/rng.ts';
import { createLab, newRunAccount, type RunAccount, runErrors } from './lab.ts';
import { LoadWorkers } from './loadWorkers.ts';
import { sessionTarget } from './sessionTarget.ts';

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
  const account = newRunAccount();
  const session = await openRunSession(run, request, io, account);
  const driver = new SqliteDriver();
  let workers: LoadWorkers | undefined;
  try {
    say(`redis: ${session.display} (${describeRedis(session)}), run prefix ${session.prefix}`);
    const rows = Math.max(...plan.map(({ suite, production: p }) => rowsNeeded(suite, p)));
    const seeded = await driver.seed(rows, run.seed ?? 1);
    say(
      `source: SQLite ${driver.version}, ${rows.toLocaleString('en-US')} rows seeded in ${(seeded.ms / 1000).toFixed(1)} s`,
    );
    const progress = createProgress(request.quiet);
    workers = loadWorkers(run, session, rows);
    const lab = createLab(session, driver, account, { signal: io.signal, progress, workers });
    const sections = await runSuites(plan, { lab, progress, say }, run, io);
    const snapshot = buildSnapshot({ request, run, session, driver, account, sections, started });
    snapshot.answer = answerFor({
      sections,
      run,
      given: (key: OptionKey) => request.given[key] !== undefined || request.pinned[RUN]?.[key] !== undefined,
      freshnessSettings: resolveSettings(freshness, request),
      redisErrors: snapshot.errors.redis,
    });
    const written = await report(snapshot, request.quiet, run, io);
    return { snapshot, written };
  } finally {
    // Ended while the rest is cleaned up: a timer thread alive at exit slows the exit.
    const timerStopped = stopTimer();
    await workers?.close();
    await driver.close();
    const { removedKeys, error } = await session.close();
    await timerStopped;
    // Said even under --quiet: keys left on a user's server are worth a line.
    if (error) io.err(`warning: could not remove the run's keys under ${session.prefix}: ${error}`);
    else say(`cleanup: removed ${removedKeys} keys under ${session.prefix}${stoppedNote(session)}`);
  }
}

/**
 * The run's Redis, after the notes on what was chosen and the timer's start.
 * A throwaway cluster is stopped by openSession itself when opening fails,
 * and by close() on every later path.
 */
async function openRunSession(run: Settings, request: BenchRequest, io: BenchIo, account: RunAccount) {
  const { target, note } = sessionTarget(run, io.env);
  if (note) io.err(note);
  for (const line of workerNotes(run, request.suites)) io.err(line);
  await startTimer(run.timer ?? 'thread');
  return openSession(target, {
    commandTimeoutMs: run.redisTimeoutMs,
    onError: () => {
      account.connectionErrors++;
    },
  }).catch(async (error: unknown) => {
    await stopTimer();
    throw error;
  });
}

/** `--workers N` above 1: the threads, started when a row first needs them. */
function loadWorkers(run: Settings, session: BenchRedis, rows: number): LoadWorkers | undefined {
  const count = run.workers ?? 1;
  if (count <= 1) return undefined;
  return new LoadWorkers(count, (worker) => ({
    worker,
    redis: storeTarget(session),
    redisOptions: { commandTimeoutMs: run.redisTimeoutMs },
    seed: run.seed ?? 1,
    rows,
    timer: run.timer ?? 'thread',
  }));
}

/** What `--workers` does not reach, said rather than silently ignored. */
function workerNotes(run: Settings, suites: readonly string[]): string[] {
  const workers = run.workers ?? 1;
  const inThread = suites.filter((name) => !WORKER_SUITES.includes(name));
  if (workers <= 1 || inThread.length === 0) return [];
  return [
    `note: --workers ${workers} applies to ${WORKER_SUITES.join(', ')} rows; ${inThread.join(', ')} run in this thread`,
  ];
}

/** Suites whose rows --workers spreads over threads. */
const WORKER_SUITES = ['ttl-sweep'];

function describeRedis(session: BenchRedis): string {
  const version = `Redis ${session.server.version}`;
  return session.mode === 'cluster' ? `${version}, cluster of ${session.server.masters.length} masters` : version;
}

function stoppedNote(session: BenchRedis): string {
  if (!session.throwaway) return session.mode === 'cluster' ? ` on every master` : '';
  return session.mode === 'cluster' ? ', stopped the throwaway cluster' : ', stopped the throwaway redis-server';
}

interface Finished {
  request: BenchRequest;
  run: Settings;
  session: BenchRedis;
  driver: SourceDriver;
  account: RunAccount;
  sections: Record<string, SuiteSection>;
  started: number;
}

function buildSnapshot({ request, run, session, driver, account, sections, started }: Finished): Snapshot {
  const errors = runErrors(account);
  return {
    schemaVersion: SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    status: errors.redis + errors.connection > 0 ? 'degraded' : 'complete',
    durationSec: (performance.now() - started) / 1000,
    env: describeEnvironment(session.server, { kind: driver.kind, version: driver.version }, run.timer ?? 'thread'),
    config: {
      scenario: request.scenario.name,
      scenarioDescription: request.scenario.description,
      redis: session.display,
      ...recordRunSettings(run),
    },
    errors,
    suitesRun: request.suites.filter((name) => sections[name] !== undefined),
    suites: sections,
  };
}

/** Rows the source needs for a suite: its key space, or its hot keys. */
function rowsNeeded(suite: Suite, settings: Settings): number {
  return Math.max(settings.keys ?? 0, suite.uses.includes('hotKeys') ? (settings.hotKeys ?? 0) : 0);
}

/** Each suite in turn; an interrupted run throws, so nothing is saved. */
async function runSuites(
  plan: Plan,
  { lab, progress, say }: { lab: Lab; progress: Progress; say: (line: string) => void },
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
    const ctx = { settings, production, rng, signal: io.signal, results, progress, lab, log: say };
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
