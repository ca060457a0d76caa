/**
 * `npm run soak -- [--minutes N]`: a long ttl-sweep-like workload (TTLs 250ms,
 * 2s and none at 2000 reads/s, every sweep from an empty cache) on a
 * throwaway redis-server, to catch memory that grows with time. Every 30 s it
 * prints the process's RSS and used heap (after a full GC, so the heap figure
 * is what is live); at the end, the growth from the first sample after one
 * minute of warm-up to the last. Exit 1 when either grew by 20% or more, 2 on
 * a bad flag. Not part of `npm test`: the default is 10 minutes.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Settings } from '../src/config/options.ts';
import { optionDefaults } from '../src/config/options.ts';
import { exitCodeOf, formatError, UsageError } from '../src/errors.ts';
import { startTimer } from '../src/load/preciseTimer.ts';
import { deleteByPrefix } from '../src/redis/keyspace.ts';
import { openRedisSession } from '../src/redis/redisSession.ts';
import { silentProgress } from '../src/report/progress.ts';
import { createLab, newRunAccount, runErrors } from '../src/run/lab.ts';
import { SqliteDriver } from '../src/source/sqliteDriver.ts';
import type { SuiteContext } from '../src/suites/context.ts';
import type { TtlSweepResult } from '../src/suites/ttlSweep.ts';
import { ttlSweep } from '../src/suites/ttlSweep.ts';
import { createRng } from '../src/workload/rng.ts';

const SAMPLE_EVERY_MS = 30_000;
const WARMUP_MS = 60_000;
const MAX_GROWTH_PCT = 20;
/** Length of one TTL row; a sweep is three rows. */
const ROW_MS = 10_000;

interface Sample {
  atMs: number;
  rss: number;
  heapUsed: number;
}

function parseMinutes(argv: string[]): number {
  if (argv.length === 0) return 10;
  const [flag, value, ...rest] = argv;
  const minutes = Number(value);
  if (flag !== '--minutes' || value === undefined || rest.length > 0 || !(minutes > 0) || minutes > 24 * 60) {
    throw new UsageError(
      `soak takes only --minutes N (a number of minutes above 0, at most 1440), got "${argv.join(' ')}"`,
    );
  }
  return minutes;
}

/** A full GC before each sample, so heapUsed is the live set rather than wherever the collector happened to be. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;
const growth = (from: number, to: number) => ((to - from) / from) * 100;

async function main(): Promise<number> {
  const minutes = parseMinutes(process.argv.slice(2));
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping the soak and cleaning up (again to exit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const gc = exposeGc();
  const options = { ...optionDefaults(), ttl: [250, 2000, null], rate: 2000, warmupMs: 0 } as Settings;
  const keys = options.keys ?? 10_000;
  await startTimer('thread');
  const account = newRunAccount();
  const session = await openRedisSession(
    { kind: 'throwaway' },
    {
      commandTimeoutMs: options.redisTimeoutMs,
      onError: () => {
        account.connectionErrors++;
      },
    },
  );
  const rng = createRng(options.seed ?? 1);
  const driver = new SqliteDriver();
  const samples: Sample[] = [];
  const started = performance.now();
  const sample = (label?: string) => {
    gc();
    const { rss, heapUsed } = process.memoryUsage();
    const atMs = performance.now() - started;
    samples.push({ atMs, rss, heapUsed });
    process.stdout.write(
      `${(label ?? clock(atMs)).padStart(6)}  rss ${mb(rss).padStart(9)}  heap used ${mb(heapUsed).padStart(9)}\n`,
    );
  };
  const timer = setInterval(() => sample(), SAMPLE_EVERY_MS);
  let reads = 0;
  try {
    process.stdout.write(
      `soak: ${minutes} min of ttl-sweep (TTLs 250ms, 2s, none; ${options.rate} reads/s; ${keys} keys) on ${session.display}, Redis ${session.server.version}\n`,
    );
    await driver.seed(keys, options.seed ?? 1);
    const lab = createLab(session, driver, account, { signal: controller.signal, progress: silentProgress });
    const ctx: SuiteContext = {
      settings: options,
      production: options,
      speedup: 1,
      lab,
      rng,
      progress: silentProgress,
      signal: controller.signal,
      results: {},
      trace: () => undefined,
      log: () => {},
    };
    const endAt = started + minutes * 60_000;
    while (!controller.signal.aborted) {
      const rowMs = Math.min(ROW_MS, (endAt - performance.now()) / 3);
      if (rowMs < 500) break;
      ctx.settings = { ...options, durationMs: rowMs };
      try {
        const { rows } = (await ttlSweep.run(ctx)) as TtlSweepResult;
        for (const row of rows) reads += row.reads;
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      }
      // The next sweep starts from an empty cache, as ttl-sweep's rows do.
      await deleteByPrefix(session.client, session.prefix);
    }
  } finally {
    clearInterval(timer);
    await driver.close();
    await session.close();
  }
  if (controller.signal.aborted) {
    process.stderr.write('error: interrupted: the soak was stopped; the throwaway redis-server was stopped\n');
    return 1;
  }
  sample('end');
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `\n${reads.toLocaleString('en-US')} reads in ${seconds.toFixed(0)} s; Redis errors ${runErrors(account).redis + account.connectionErrors}, source errors ${runErrors(account).source}\n`,
  );
  const last = samples.at(-1) as Sample;
  const base = samples.find((s) => s.atMs >= WARMUP_MS);
  if (!base || base === last) {
    process.stdout.write(`too short to judge growth: it is measured after ${WARMUP_MS / 60_000} min of warm-up\n`);
    return 0;
  }
  const rssGrowth = growth(base.rss, last.rss);
  const heapGrowth = growth(base.heapUsed, last.heapUsed);
  const verdict = Math.max(rssGrowth, heapGrowth) >= MAX_GROWTH_PCT ? 'FAIL' : 'ok';
  process.stdout.write(
    `growth from ${clock(base.atMs)} to ${clock(last.atMs)}: rss ${rssGrowth.toFixed(1)}% (${mb(base.rss)} → ${mb(last.rss)}), heap used ${heapGrowth.toFixed(1)}% (${mb(base.heapUsed)} → ${mb(last.heapUsed)}); limit ${MAX_GROWTH_PCT}%: ${verdict}\n`,
  );
  return verdict === 'ok' ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${formatError(error)}\n`);
    process.exitCode = exitCodeOf(error);
  },
);
