/**
 * One contender of the lock example, as its own process: connects to the
 * Redis in CAB_LOCK_URL (the environment, so a password in the URL never
 * shows in `ps`), reports ready, then runs each contest its parent sends and
 * answers with the result. It exits when its parent disconnects or goes away.
 */
import { parseRedisUrl } from '../../src/config/redisTarget.ts';
import { connectRedis } from '../../src/redis/connection.ts';
import { type RoundsResult, runRounds } from './locks.ts';

export interface ContestTask {
  prefix: string;
  rounds: number;
  ttlMs: number;
  useLock: boolean;
}

export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'done'; result: RoundsResult }
  | { kind: 'failed'; error: string };

const send = (message: WorkerMessage) => process.send?.(message);
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

process.on('disconnect', () => process.exit(0));

try {
  // The example's own reply deadline (see shared.ts), not the bench's 500 ms: a loaded machine is no failure here.
  const client = await connectRedis(parseRedisUrl(process.env.CAB_LOCK_URL ?? '', 'REDIS_URL'), {
    commandTimeoutMs: 5000,
  });
  process.on('message', (task: ContestTask) => {
    runRounds(client, task.prefix, task).then(
      (result) => send({ kind: 'done', result }),
      (error: unknown) => send({ kind: 'failed', error: reason(error) }),
    );
  });
  send({ kind: 'ready' });
} catch (error) {
  send({ kind: 'failed', error: reason(error) });
}
