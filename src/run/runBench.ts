/**
 * One `npm run bench`: connect (or start a throwaway Redis), seed the source,
 * run the suites, print the tables, save the snapshot, and always clean up —
 * the run's keys, the clients, a server it started — whatever happened.
 */
import { resolveRedisTarget } from '../config/redisTarget.ts';
import { toRunUnits } from '../config/speedup.ts';
import { type BenchOptions, SUITE_NAMES, type SuiteName } from '../config/types.ts';
import { InterruptedError } from '../errors.ts';
import { openRedisSession } from '../redis/redisSession.ts';
import { adviseMaxStale, recommendTtl } from '../report/advice.ts';
import { ttlSweepCharts } from '../report/chart.ts';
import { describeEnvironment } from '../report/environment.ts';
import { createProgress } from '../report/progress.ts';
import { renderMarkdown, renderTerminal } from '../report/render.ts';
import { saveSnapshot } from '../report/snapshotFile.ts';
import { snapshotTables } from '../report/tables.ts';
import { DEFAULT_SOURCE_LATENCY, latencySampler } from '../source/latency.ts';
import { SqliteSource } from '../source/sqliteSource.ts';
import type { SuiteContext } from '../suites/context.ts';
import { freshness } from '../suites/freshness.ts';
import { readPath } from '../suites/readPath.ts';
import { stampede } from '../suites/stampede.ts';
import { ttlSweep } from '../suites/ttlSweep.ts';
import { SCHEMA_VERSION, type Snapshot, type SuiteResults } from '../types.ts';
import { createRng } from '../workload/rng.ts';

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

/** ttl-sweep runs first so that read-path's break-even can use its measured hit ratio. */
const RUN_ORDER: SuiteName[] = ['ttl-sweep', 'read-path', 'freshness', 'stampede'];

export async function runBench(production: BenchOptions, io: BenchIo): Promise<BenchOutcome> {
  const started = performance.now();
  const options = toRunUnits(production);
  const target = resolveRedisTarget(options.redisUrl, io.env);
  const say = (line: string) => {
    if (!options.quiet) io.err(line);
  };
  let redisEvents = 0;
  const session = await openRedisSession(target, {
    commandTimeoutMs: options.redisTimeoutMs,
    onError: () => {
      redisEvents++;
    },
  });
  const errors = { redis: 0, source: 0 };
  const rng = createRng(options.seed);
  const source = new SqliteSource({
    latency: latencySampler(options.sourceLatency ?? DEFAULT_SOURCE_LATENCY, rng.fork('source-latency')),
  });
  try {
    say(`redis: ${session.display} (Redis ${session.server.version}), run prefix ${session.prefix}`);
    source.seed(options.keys, options.seed);
    say(`source: SQLite ${source.version}, ${options.keys.toLocaleString('en-US')} rows`);
    const results: SuiteResults = {};
    const ctx: SuiteContext = {
      options,
      production,
      session,
      source,
      rng,
      progress: createProgress(options.quiet),
      signal: io.signal,
      results,
      errors,
      log: say,
    };
    for (const suite of RUN_ORDER.filter((s) => options.suites.includes(s))) {
      if (io.signal.aborted) break;
      say(`running ${suite} …`);
      const suiteStart = performance.now();
      try {
        await runSuite(suite, ctx);
      } catch (error) {
        // A suite cut short may fail on what it did not measure (no samples yet):
        // the run is interrupted all the same.
        if (io.signal.aborted) break;
        throw error;
      }
      say(`  ${suite} done in ${((performance.now() - suiteStart) / 1000).toFixed(1)} s`);
    }
    if (io.signal.aborted)
      throw new InterruptedError('interrupted: the run was stopped; its keys were removed and nothing was saved');
    if (results['ttl-sweep']) results['ttl-sweep'].advice = recommendTtl(results['ttl-sweep'].rows);
    if (results.freshness && options.maxStalePct !== undefined) {
      results.freshness.advice = adviseMaxStale(results.freshness.rows, options.maxStalePct);
    }
    const redisErrors = errors.redis + redisEvents;
    const snapshot: Snapshot = {
      schemaVersion: SCHEMA_VERSION,
      createdAt: new Date().toISOString(),
      status: redisErrors > 0 ? 'degraded' : 'complete',
      durationSec: (performance.now() - started) / 1000,
      env: describeEnvironment(session.server, source.version),
      config: snapshotConfig(production, session.display),
      errors: { redis: redisErrors, source: errors.source },
      suites: orderSuites(results),
      suitesRun: SUITE_NAMES.filter((s) => results[s] !== undefined),
    };
    const tables = snapshotTables(snapshot);
    const charts = results['ttl-sweep'] ? ttlSweepCharts(results['ttl-sweep'].rows, false) : '';
    io.out(renderTerminal(tables, io.color));
    if (results['ttl-sweep'] && !options.quiet) io.out(`\n${ttlSweepCharts(results['ttl-sweep'].rows, io.color)}`);
    const written = await saveSnapshot(snapshot, renderMarkdown(snapshot, tables, charts), {
      outDir: options.out,
      save: options.save,
      jsonFile: options.json,
    });
    if (snapshot.status === 'degraded') {
      io.out(`\nstatus: degraded — ${redisErrors} Redis errors; those reads were served by the source`);
    }
    io.out(
      `\ntotal time ${snapshot.durationSec.toFixed(1)} s${written.length ? `; saved ${written.join(', ')}` : '; nothing saved'}`,
    );
    return { snapshot, written };
  } finally {
    source.close();
    const { removedKeys, error } = await session.close();
    // Said even under --quiet: keys left on a user's server are worth a line.
    if (error) io.err(`warning: could not remove the run's keys under ${session.prefix}: ${error}`);
    else
      say(
        `cleanup: removed ${removedKeys} keys under ${session.prefix}${session.throwaway ? ', stopped the throwaway redis-server' : ''}`,
      );
  }
}

async function runSuite(suite: SuiteName, ctx: SuiteContext): Promise<void> {
  switch (suite) {
    case 'read-path':
      ctx.results['read-path'] = await readPath(ctx);
      return;
    case 'ttl-sweep':
      ctx.results['ttl-sweep'] = await ttlSweep(ctx);
      return;
    case 'freshness':
      ctx.results.freshness = await freshness(ctx);
      return;
    case 'stampede':
      ctx.results.stampede = await stampede(ctx);
      return;
  }
}

function orderSuites(results: SuiteResults): SuiteResults {
  const ordered: SuiteResults = {};
  for (const name of SUITE_NAMES) if (results[name]) Object.assign(ordered, { [name]: results[name] });
  return ordered;
}

/** Every resolved option, as the user wrote it, with the Redis URL's password redacted. */
function snapshotConfig(options: BenchOptions, redisDisplay: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ ...options, redisUrl: undefined, redis: redisDisplay })) as Record<
    string,
    unknown
  >;
}
