/**
 * Sleeps that end when asked, not a millisecond late. setTimeout rounds up to
 * whole milliseconds and overshoots, which would add about a millisecond to
 * every "1 ms" source query and to every open-loop send. One shared heap
 * keeps every pending wake-up; the earliest is handed to a wake source:
 * - `thread` (default): a timer thread wakes the loop (timerThread.ts), at a
 *   small cost in CPU and about 0.15 ms of lateness at the median;
 * - `spin`: the loop yields with setImmediate whenever a wake-up is under
 *   1.5 ms away — punctual to microseconds, but at 2,000 sends/s that is
 *   always, and it takes a whole core (`--timer spin`, for machines with one
 *   to spare).
 */
import type { TimerMode } from '../config/types.ts';
import { TimerThread } from './timerThread.ts';

/** In spin mode, below this distance the loop yields instead of arming a timer. */
const SPIN_MS = 1.5;

interface Sleeper {
  at: number;
  wake: () => void;
}

const heap: Sleeper[] = [];
let mode: TimerMode = 'thread';
let thread: TimerThread | undefined;
/** When the wake source is armed for, Infinity when it is not. */
let armedFor = Number.POSITIVE_INFINITY;
let spinTimer: NodeJS.Timeout | undefined;
let spinning = false;

/** Chooses how sleeps end; takes effect for the next wake-up. */
export function setTimerMode(next: TimerMode): void {
  mode = next;
  armedFor = Number.POSITIVE_INFINITY;
  if (heap.length > 0) arm();
}

/**
 * Chooses the mode and makes sure its wake source is running: a worker
 * thread takes some milliseconds to start, which would make the first
 * measured sleeps late. Call once before anything is timed.
 */
export async function startTimer(next: TimerMode): Promise<void> {
  setTimerMode(next);
  await preciseSleep(1);
}

/**
 * Ends the timer thread (a sleep after this starts another). A worker still
 * alive when the process exits costs a few hundred ms of teardown on a busy
 * machine, so a run ends it while it cleans up, not at exit.
 */
export async function stopTimer(): Promise<void> {
  const ending = thread;
  thread = undefined;
  armedFor = Number.POSITIVE_INFINITY;
  await ending?.terminate();
  if (heap.length > 0) arm();
}

export function timerMode(): TimerMode {
  return mode;
}

export function sleepUntil(targetMs: number): Promise<void> {
  if (targetMs <= performance.now()) return Promise.resolve();
  return new Promise((wake) => {
    push({ at: targetMs, wake });
    if (targetMs < armedFor) arm();
  });
}

export function preciseSleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : sleepUntil(performance.now() + ms);
}

/** Wakes every sleeper that is due, then arms for the next. */
function tick(): void {
  armedFor = Number.POSITIVE_INFINITY;
  spinTimer = undefined;
  spinning = false;
  const now = performance.now();
  while (heap.length > 0 && (heap[0] as Sleeper).at <= now) pop().wake();
  if (heap.length > 0) arm();
  else thread?.idle();
}

function arm(): void {
  const at = (heap[0] as Sleeper).at;
  armedFor = at;
  if (mode === 'thread') {
    thread ??= new TimerThread(tick);
    thread.arm(at, secondAt());
    return;
  }
  if (spinTimer !== undefined) clearTimeout(spinTimer);
  spinTimer = undefined;
  const gap = at - performance.now();
  if (gap > SPIN_MS) spinTimer = setTimeout(tick, gap - SPIN_MS);
  else if (!spinning) {
    spinning = true;
    setImmediate(tick);
  }
}

/** The second-earliest wake-up: one of the root's two children. */
function secondAt(): number | undefined {
  const left = heap[1]?.at;
  const right = heap[2]?.at;
  if (left === undefined) return right;
  return right === undefined ? left : Math.min(left, right);
}

function push(item: Sleeper): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((heap[parent] as Sleeper).at <= item.at) break;
    heap[i] = heap[parent] as Sleeper;
    i = parent;
  }
  heap[i] = item;
}

function pop(): Sleeper {
  const top = heap[0] as Sleeper;
  const last = heap.pop() as Sleeper;
  if (heap.length > 0) {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && (heap[right] as Sleeper).at < (heap[left] as Sleeper).at ? right : left;
      if ((heap[child] as Sleeper).at >= last.at) break;
      heap[i] = heap[child] as Sleeper;
      i = child;
    }
    heap[i] = last;
  }
  return top;
}
