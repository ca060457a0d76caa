/**
 * Real processes contending for one lock: each runs `lockWorker.ts` under
 * tsx; every contest starts on all of them at once and the parent adds up
 * what they saw. Stopping (the signal, or `stop()`) ends the children and
 * waits for them, so no worker writes a key after the caller's cleanup.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RedisClient } from '../../src/redis/connection.ts';
import { contestKeys, type RoundsResult } from './locks.ts';
import type { ContestTask, WorkerMessage } from './lockWorker.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./lockWorker.ts', import.meta.url));

export interface ContestResult extends RoundsResult {
  processes: number;
  /** The shared balance at the end: all rounds when no update was lost. */
  balance: number;
  elapsedMs: number;
}

/** The next message from `child` (a failure or an early exit rejects). */
function nextMessage(child: ChildProcess): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: WorkerMessage) => {
      settle();
      if (message.kind === 'failed') reject(new Error(`a lock worker failed: ${message.error}`));
      else resolve(message);
    };
    const onExit = (code: number | null, signal: string | null) => {
      settle();
      reject(new Error(`a lock worker exited early (${signal ?? `code ${code}`})`));
    };
    const settle = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export class Contenders {
  private constructor(
    private readonly children: ChildProcess[],
    private readonly exited: Promise<void>[],
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', this.kill, { once: true });
  }

  /** `processes` workers connected to `url` and ready. */
  static async start(url: string, processes: number, signal?: AbortSignal): Promise<Contenders> {
    signal?.throwIfAborted();
    const children = Array.from({ length: processes }, () =>
      // cwd at the repository root: that is where `--import tsx` resolves from.
      spawn(process.execPath, ['--import', 'tsx', WORKER], {
        cwd: ROOT,
        env: { ...process.env, CAB_LOCK_URL: url },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const exited = children.map((child) => new Promise<void>((resolve) => child.once('exit', () => resolve())));
    const contenders = new Contenders(children, exited, signal);
    try {
      await Promise.all(children.map(nextMessage));
    } catch (error) {
      await contenders.stop();
      throw error;
    }
    return contenders;
  }

  /** One contest: every worker runs `task` at once; their counts summed, the balance read at the end. */
  async run(client: RedisClient, task: ContestTask): Promise<ContestResult> {
    const started = performance.now();
    const replies = this.children.map(nextMessage);
    for (const child of this.children) child.send(task);
    const results = (await Promise.all(replies)).map((reply) => (reply as { result: RoundsResult }).result);
    const elapsedMs = performance.now() - started;
    const sum = (pick: (r: RoundsResult) => number) => results.reduce((total, r) => total + pick(r), 0);
    return {
      processes: this.children.length,
      rounds: sum((r) => r.rounds),
      violations: sum((r) => r.violations),
      waits: sum((r) => r.waits),
      refusedReleases: sum((r) => r.refusedReleases),
      balance: Number((await client.get(contestKeys(task.prefix).balance)) ?? 0),
      elapsedMs,
    };
  }

  /** Ends the workers and waits until they have exited. Safe to call twice. */
  async stop(): Promise<void> {
    this.signal?.removeEventListener('abort', this.kill);
    this.kill();
    await Promise.all(this.exited);
  }

  private readonly kill = () => {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
}
