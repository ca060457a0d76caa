/**
 * Which Redis a run opens: `--throwaway-cluster N`, else `--redis-url` (one
 * URL or several comma-separated seeds; the server then says whether it is a
 * cluster), else `REDIS_URL`, else `REDIS_HOST`…, else a throwaway
 * redis-server. A note says when a lower choice was set but not used.
 */
import type { Settings } from '../config/options.ts';
import { parseRedisSeeds } from '../config/redisSeeds.ts';
import { resolveRedisTarget } from '../config/redisTarget.ts';
import { UsageError } from '../errors.ts';
import type { SessionTarget } from '../redis/openSession.ts';

export function sessionTarget(run: Settings, env: NodeJS.ProcessEnv): { target: SessionTarget; note?: string } {
  if (run.throwawayCluster !== undefined) {
    if (run.redisUrl !== undefined) {
      throw new UsageError(
        `--throwaway-cluster ${run.throwawayCluster} and --redis-url are both given: expected one of them (a cluster started here, or the user's Redis)`,
      );
    }
    const fromEnv = ['REDIS_URL', 'REDIS_HOST', 'REDIS_PORT'].filter((name) => (env[name] ?? '') !== '');
    return {
      target: { kind: 'throwaway-cluster', masters: run.throwawayCluster },
      ...(fromEnv.length > 0 ? { note: `note: --throwaway-cluster given, so ${fromEnv.join(', ')} is not used` } : {}),
    };
  }
  if (run.redisUrl !== undefined)
    return { target: { kind: 'seeds', seeds: parseRedisSeeds(run.redisUrl, '--redis-url') } };
  const envUrl = env.REDIS_URL;
  if (envUrl !== undefined && envUrl !== '')
    return { target: { kind: 'seeds', seeds: parseRedisSeeds(envUrl, 'REDIS_URL') } };
  return { target: resolveRedisTarget(undefined, env) };
}
