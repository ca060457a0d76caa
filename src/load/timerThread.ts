/**
 * A thread whose only job is to wake the event loop on time. Node's own
 * timers have millisecond granularity and overshoot a 1 ms wait by up to a
 * millisecond; spinning the event loop (`--timer spin`) is punctual but takes
 * a whole core, which on a 2-core machine is half of what redis-server needs.
 *
 * The worker sleeps in `Atomics.wait` with a fractional timeout (microsecond
 * resolution), then bumps a shared counter and notifies; the main thread
 * awaits that counter with `Atomics.waitAsync`, which wakes the event loop
 * through the platform's task queue. A probe on this 2-core VM measured
 * wake-ups 0.13–0.17 ms late at the median for 0.09–0.13 of a core at
 * 2,000 wake-ups/s.
 *
 * Most of that cost was the worker's own wake-ups: one to take each new
 * target, one when it is due. So the main thread hands over the next two
 * targets at once, and wakes the worker only when it is idle or sleeping
 * past the earliest target: in a steady stream the worker goes straight
 * from one target to the next.
 */
import { Worker } from 'node:worker_threads';

const REQUEST = 0; // bumped by the main thread with every new pair of targets
const WAKE = 1; // bumped by the worker when a target is reached
const STOP = 2;
const PHASE = 3; // 1 while the worker sleeps until `current`, 0 while it waits for a request
const SEEN = 4; // the WAKE count the main thread had seen when it made the request

/**
 * Runs in the worker (a CommonJS script). Both threads count time on the
 * monotonic clock behind process.hrtime, which is one clock for the whole
 * process. (Each thread's performance.timeOrigin is sampled from the wall
 * clock when the thread starts; on a busy machine two samples can disagree by
 * milliseconds, and a target the worker thought reached was then not yet due
 * on the main thread.)
 *
 * A target at or before the last one fired is skipped only when the main
 * thread had not yet seen that wake-up when it asked (it is about to take
 * it); asked again after seeing it, the worker fires again rather than
 * leave the loop waiting for a wake-up that never comes.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const flags = new Int32Array(workerData, 0, 5);
const times = new Float64Array(workerData, 24, 3); // [first, second, current]
const hrNow = () => Number(process.hrtime.bigint()) / 1e6;
let handled = 0;
let fired = 0;
outer: for (;;) {
  if (Atomics.load(flags, ${STOP}) !== 0) break;
  Atomics.store(flags, ${PHASE}, 0);
  const seq = Atomics.load(flags, ${REQUEST});
  if (seq === handled) { Atomics.wait(flags, ${REQUEST}, seq); continue; }
  handled = seq;
  const seen = Atomics.load(flags, ${SEEN});
  const pair = [times[0], times[1]];
  for (const at of pair) {
    if (!(at > 0)) continue;
    if (at <= fired && seen !== Atomics.load(flags, ${WAKE})) continue;
    times[2] = at;
    Atomics.store(flags, ${PHASE}, 1);
    for (;;) {
      const remaining = at - hrNow();
      if (remaining <= 0) break;
      // A new request that needs us earlier notifies; one that does not waits for this wake-up.
      // A notify can also arrive late, for the request this loop already took: that one must
      // not end the sleep, or its target is dropped and the loop waits forever.
      if (Atomics.wait(flags, ${REQUEST}, seq, remaining) === 'timed-out') continue;
      if (Atomics.load(flags, ${REQUEST}) !== seq) continue outer;
    }
    fired = Math.max(fired, at);
    Atomics.add(flags, ${WAKE}, 1);
    Atomics.notify(flags, ${WAKE});
    if (Atomics.load(flags, ${REQUEST}) !== seq) continue outer;
  }
}
`;

export class TimerThread {
  private readonly memory = new SharedArrayBuffer(48);
  private readonly flags = new Int32Array(this.memory, 0, 5);
  private readonly times = new Float64Array(this.memory, 24, 3);
  /** performance.now() + hrOrigin = the worker's clock (process.hrtime in ms). */
  private readonly hrOrigin = hrOriginMs();
  private readonly worker: Worker;
  private waiting = false;
  private referenced = false;

  /** `onWake` runs on the main thread each time the worker reaches a target (possibly a superseded one). */
  constructor(private readonly onWake: () => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.memory });
    this.worker.unref();
    // Tell the worker to leave its wait as the process exits: otherwise the
    // exit waits for Node to interrupt a thread blocked in Atomics.wait.
    process.once('exit', () => this.stop());
  }

  /**
   * Asks for wake-ups at `atMs` and then `thenMs` (performance.now() times;
   * `thenMs` may be undefined); replaces any earlier request.
   */
  arm(atMs: number, thenMs?: number): void {
    // Read before arming: a target already past fires at once, and a wake-up
    // counted before we listen must not be waited for again.
    const seen = Atomics.load(this.flags, WAKE);
    const first = this.hrOrigin + atMs;
    this.times[0] = first;
    this.times[1] = thenMs === undefined ? 0 : this.hrOrigin + thenMs;
    Atomics.store(this.flags, SEEN, seen);
    Atomics.add(this.flags, REQUEST, 1);
    // A worker asleep until no later than `first` takes the new pair when it wakes.
    const onTime = Atomics.load(this.flags, PHASE) === 1 && (this.times[2] as number) <= first;
    if (!onTime) Atomics.notify(this.flags, REQUEST);
    // The worker keeps the process alive only while someone is waiting on it.
    if (!this.referenced) {
      this.referenced = true;
      this.worker.ref();
    }
    if (!this.waiting) this.listen(seen);
  }

  /** Nothing is waiting any more: let the process exit. */
  idle(): void {
    this.referenced = false;
    this.worker.unref();
  }

  stop(): void {
    Atomics.store(this.flags, STOP, 1);
    Atomics.add(this.flags, REQUEST, 1);
    Atomics.notify(this.flags, REQUEST);
    this.worker.unref();
  }

  /** Ends the worker; resolves once it is gone. */
  async terminate(): Promise<void> {
    this.stop();
    await this.worker.terminate();
  }

  private listen(seen: number): void {
    this.waiting = true;
    const result = Atomics.waitAsync(this.flags, WAKE, seen);
    const wake = () => {
      this.waiting = false;
      this.onWake();
    };
    if (result.async) result.value.then(wake);
    else queueMicrotask(wake);
  }
}

/**
 * The offset from performance.now() to process.hrtime in ms. Node computes
 * performance.now() from the same clock, so the offset is a constant; of a
 * few samples, the largest is the one least delayed between the two reads.
 */
function hrOriginMs(): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < 5; i += 1) {
    const hr = Number(process.hrtime.bigint()) / 1e6;
    best = Math.max(best, hr - performance.now());
  }
  return best;
}
