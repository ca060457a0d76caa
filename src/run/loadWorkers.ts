/**
 * The run's load worker threads (`--workers N`), started on the first row
 * that needs them and kept for the run: each connects once and seeds its own
 * source once. A row is sent to all of them with one common start time, so
 * their windows coincide; Redis INFO is read here at the window's start and
 * end, once for all of them. Closed on every exit path of the run.
 */
import { Worker } from 'node:worker_threads';
import { SourceError } from '../errors.ts';
import type { KeyspaceCounts } from '../redis/serverStats.ts';
import type { WorkerRowSpec } from '../suites/context.ts';
import type { LoadShape } from '../suites/readRun.ts';
import { type FromWorker, shareOf, toEpochMs, type WorkerRowResult, type WorkerSetup } from './workerProtocol.ts';

/** Time for the threads to be ready to send at the common start once the row is posted. */
const START_MARGIN_MS = 200;
/** A worker that does not end after its close message is terminated. */
const CLOSE_WAIT_MS = 3000;

export interface WorkerRow {
  results: WorkerRowResult[];
  /** Redis INFO at the window's start and end (for the server-side hit ratio), null when unread. */
  serverBefore: KeyspaceCounts | null;
  serverAfter: KeyspaceCounts | null;
  connectionErrors: number;
}

interface Thread {
  worker: Worker;
  /** The row in progress: settles on its done or failed message, or when the thread dies. */
  pending?: { resolve(message: FromWorker): void; reject(error: Error): void };
  onProgress?: (fraction: number) => void;
  /** Connection errors the thread had reported by its last row (its count is cumulative). */
  errorsSeen: number;
}

export class LoadWorkers {
  private threads: Promise<Thread[]> | undefined;
  /** Every thread started, ready or not: close() ends them all, also after one of them failed to start. */
  private readonly started: Worker[] = [];

  constructor(
    readonly count: number,
    private readonly setup: (worker: number) => WorkerSetup,
  ) {}

  async runRow(
    spec: WorkerRowSpec,
    io: { signal: AbortSignal; onProgress(fraction: number): void; serverCounts(): Promise<KeyspaceCounts | null> },
  ): Promise<WorkerRow> {
    this.threads ??= Promise.all(Array.from({ length: this.count }, (_, w) => this.start(w)));
    const threads = await this.threads;
    const startLocal = performance.now() + START_MARGIN_MS;
    const onAbort = () => {
      for (const t of threads) t.worker.postMessage({ type: 'abort' });
    };
    const replies = threads.map((thread, w) => this.send(thread, w, spec, startLocal, io.onProgress));
    // After the rows were posted (a worker takes an abort for the row it is running), and at once
    // when the run was stopped while the threads were starting: that abort fired before anyone listened.
    io.signal.addEventListener('abort', onAbort, { once: true });
    if (io.signal.aborted) onAbort();
    // INFO at the window's start, read once for every worker (each counts only its own reads).
    await abortableWait(START_MARGIN_MS + spec.window.warmupMs, io.signal);
    const serverBefore = io.signal.aborted ? null : await io.serverCounts();
    try {
      const messages = await Promise.all(replies);
      const serverAfter = await io.serverCounts();
      let connectionErrors = 0;
      const results = messages.map((message, w) => {
        if (message.type !== 'done') throw new Error(`load worker ${w} sent ${message.type}`);
        const thread = threads[w] as Thread;
        connectionErrors += message.connectionErrors - thread.errorsSeen;
        thread.errorsSeen = message.connectionErrors;
        return message.result;
      });
      return { results, serverBefore, serverAfter, connectionErrors };
    } finally {
      io.signal.removeEventListener('abort', onAbort);
    }
  }

  /** Ends every thread: asks, then terminates those still running. Never throws; safe twice. */
  async close(): Promise<void> {
    this.threads = undefined;
    await Promise.all(
      this.started.splice(0).map(async (worker) => {
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        worker.postMessage({ type: 'close' });
        // A thread that already died never sends 'exit' again: terminate() settles for it too.
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise((resolve) => {
          timer = setTimeout(() => resolve(worker.terminate()), CLOSE_WAIT_MS);
        });
        await Promise.race([exited, late]);
        clearTimeout(timer);
      }),
    );
  }

  private send(thread: Thread, w: number, spec: WorkerRowSpec, startLocal: number, onProgress: (f: number) => void) {
    return new Promise<FromWorker>((resolve, reject) => {
      thread.pending = { resolve, reject };
      thread.worker.postMessage({
        type: 'row',
        spec,
        load: splitLoad(spec.load, this.count, w),
        sourcePool: Math.max(1, shareOf(spec.sourcePool, this.count, w)),
        startAtEpochMs: toEpochMs(startLocal),
        reportProgress: w === 0,
      });
      if (w === 0) thread.onProgress = onProgress;
    }).then((message) => {
      thread.pending = undefined;
      if (message.type === 'failed') throw rebuildError(message);
      return message;
    });
  }

  /** A thread that runs loadWorker.ts: TypeScript through tsx's loader, registered in the thread itself. */
  private start(w: number): Promise<Thread> {
    const entry = new URL('./loadWorker.ts', import.meta.url).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    // Node 20 does not hand the main thread's --import loader to a worker: the worker registers tsx itself.
    const code = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
    const worker = new Worker(code, { eval: true, workerData: this.setup(w) });
    this.started.push(worker);
    const thread: Thread = { worker, errorsSeen: 0 };
    return new Promise<Thread>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') resolve(thread);
        else if (message.type === 'progress') thread.onProgress?.(message.fraction);
        else thread.pending?.resolve(message);
      });
      const died = (error: Error) => {
        reject(error);
        thread.pending?.reject(error);
      };
      worker.on('error', died);
      worker.on('exit', (code) => died(new Error(`load worker ${w} exited (code ${code})`)));
    });
  }
}

function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function splitLoad(load: LoadShape, n: number, w: number): LoadShape {
  if ('rate' in load) return { rate: load.rate / n };
  // Fewer in flight than workers: some workers offer none, so the total stays what was asked.
  return { concurrency: shareOf(load.concurrency, n, w) };
}

/** A worker's failure as the error class the CLI maps to an exit code. */
function rebuildError(message: { name: string; message: string }): Error {
  if (message.name === 'SourceError') return new SourceError(message.message);
  return new Error(`load worker: ${message.message}`);
}
