/**
 * The run's Redis, opened once its options are checked: a throwaway server
 * started with the memory settings asked for, or the user's, which memory
 * settings and throwaway-only suites are refused on (exit 2) before anything
 * connects — the harness never reconfigures a user's server.
 */
import { formatBytes } from '../config/memory.ts';
import { displayName } from '../config/option.ts';
import { type Settings, specOf } from '../config/options.ts';
import { UsageError } from '../errors.ts';
import { startTimer, stopTimer } from '../load/preciseTimer.ts';
import { type BenchRedis, openSession } from '../redis/openSession.ts';
import type { ThrowawayMemory } from '../redis/redisSession.ts';
import type { Suite } from '../suites/suite.ts';
import type { RunAccount } from './lab.ts';
import { sessionTarget } from './sessionTarget.ts';

type Plan = readonly { suite: Suite }[];

/** Checks the Redis options before anything starts, then starts the timer and opens the session. */
export async function connect(
  run: Settings,
  plan: Plan,
  io: { env: NodeJS.ProcessEnv; err(line: string): void },
  account: RunAccount,
): Promise<BenchRedis> {
  // --throwaway-cluster, --redis-url (one URL or a cluster's seeds), REDIS_URL, REDIS_HOST…, or a throwaway server.
  const { target, note } = sessionTarget(run, io.env);
  if (note) io.err(note);
  const memory = throwawayMemory(run, plan, target.kind === 'throwaway');
  await startTimer(run.timer ?? 'wait');
  const onError = () => {
    account.connectionErrors++;
  };
  // A throwaway cluster is stopped by openSession itself when opening fails, and by close() on every later path.
  return openSession(target, { commandTimeoutMs: run.redisTimeoutMs, onError }, memory).catch(
    async (error: unknown) => {
      await stopTimer();
      throw error;
    },
  );
}

/** Redis's own default; the throwaway server samples more, to come closer to true LRU (and LFU). */
const THROWAWAY_SAMPLES = 10;

/**
 * How the throwaway server is started. On a Redis the user named, memory
 * flags and throwaway-only suites are refused before anything connects: the
 * harness never reconfigures a user's server (no CONFIG SET).
 */
function throwawayMemory(run: Settings, plan: Plan, throwaway: boolean): ThrowawayMemory {
  const given = (['maxmemoryBytes', 'maxmemoryPolicy', 'maxmemorySamples'] as const).filter(
    (key) => run[key] !== undefined,
  );
  if (!throwaway) {
    const flags = given.map((key) => displayName(specOf(key)));
    if (flags.length > 0) {
      throw new UsageError(
        `${flags.join(', ')} ${flags.length === 1 ? 'sets' : 'set'} the throwaway redis-server, but a Redis was named (--redis-url or REDIS_*): the harness never reconfigures your server; set maxmemory on it yourself, or run without a Redis URL`,
      );
    }
    const only = plan.find(({ suite }) => suite.throwawayOnly !== undefined)?.suite;
    if (only) {
      throw new UsageError(
        `suite ${only.name} runs only on a throwaway redis-server (${only.throwawayOnly}), but a Redis was named (--redis-url or REDIS_*): run it without a Redis URL`,
      );
    }
  }
  return {
    maxmemoryBytes: run.maxmemoryBytes ?? 0,
    // Redis's default, noeviction, fails the cache's SETs once memory is full.
    maxmemoryPolicy: run.maxmemoryPolicy ?? 'allkeys-lru',
    maxmemorySamples: run.maxmemorySamples ?? THROWAWAY_SAMPLES,
  };
}

export function describeMemory(memory: ThrowawayMemory): string {
  const limit = memory.maxmemoryBytes === 0 ? 'no maxmemory' : `maxmemory ${formatBytes(memory.maxmemoryBytes)}`;
  const samples =
    memory.maxmemorySamples === THROWAWAY_SAMPLES
      ? `maxmemory-samples ${THROWAWAY_SAMPLES} (Redis's default is 5; more samples come closer to true LRU)`
      : `maxmemory-samples ${memory.maxmemorySamples}`;
  return `${limit}, ${memory.maxmemoryPolicy}, ${samples}`;
}
