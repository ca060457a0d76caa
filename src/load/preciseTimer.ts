/**
 * Sleeps that end when asked, not a millisecond late. setTimeout rounds up to
 * whole milliseconds and overshoots, which would add about a millisecond to
 * every "1 ms" source query and to every open-loop send. One shared heap
 * keeps every pending wake-up; the earliest is handed to a wake source:
 *
 * - `wait` (default): while no Redis command or database query is in flight
 *   (counted by `ioStarted`/`ioEnded`), the event loop itself sleeps in
 *   `Atomics.wait` until the next wake-up — nothing can arrive that needed
 *   handling, so nothing is delayed. While something is in flight the loop
 *   stays free for its reply: each reply re-checks the heap, and a
 *   millisecond timer is the backstop should none come before the target.
 *   Measured on this 2-core VM at 2,000 Poisson wake-ups/s: 0.053 of a core,
 *   lateness p50 0.08 ms, p99 0.6–0.7 ms (a bare `Atomics.wait` loop).
 * - `thread`: a timer thread wakes the loop (timerThread.ts): 0.17 of a core
 *   for the same wake-ups (the worker's futex wake and the loop's
 *   `Atomics.waitAsync` wake-up each cost tens of microseconds on a VM),
 *   lateness p50 0.11 ms, p99 0.8–1.1 ms — but punctual however busy the
 *   connection is.
 * - `spin`: the loop yields with setImmediate whenever a wake-up is under
 *   1.5 ms away — punctual to microseconds, but at 2,000 sends/s that is
 *   always, and it takes a whole core.
 */
import type { TimerMode } from '../config/types.ts';
import { SleeperHeap } from './sleeperHeap.ts';
import { TimerThread } from './timerThread.ts';

/** In spin mode, below this distance the loop yields instead of arming a timer. */
const SPIN_MS = 1.5;
/**
 * In wait mode, the longest the loop sleeps in Atomics.wait: further wake-ups
 * first take a millisecond timer to within this distance (a libuv timer
 * fires up to a millisecond either side of its time), so that anything the
 * count does not see (an INFO on the stats connection) waits at most this.
 */
const BLOCK_MAX_MS = 3;

const heap = new SleeperHeap();
let mode: TimerMode = 'wait';
let thread: TimerThread | undefined;
/** When the wake source is armed for, Infinity when it is not. */
let armedFor = Number.POSITIVE_INFINITY;
let spinTimer: NodeJS.Timeout | undefined;
let spinning = false;
/** Wait mode: commands and queries in flight, a decision queued, the millisecond backstop. */
let inFlight = 0;
let deciding = false;
let backstop: NodeJS.Timeout | undefined;
let backstopDue = Number.POSITIVE_INFINITY;
let blocks = 0;
const blockCell = new Int32Array(new SharedArrayBuffer(4));

/** Chooses how sleeps end; takes effect for the next wake-up. */
export function setTimerMode(next: TimerMode): void {
  mode = next;
  armedFor = Number.POSITIVE_INFINITY;
  if (heap.size > 0) arm();
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
  clearBackstop();
  await ending?.terminate();
  if (heap.size > 0) arm();
}

export function timerMode(): TimerMode {
  return mode;
}

/** A Redis command or database query was sent: until it settles the loop must stay free for its reply. */
export function ioStarted(): void {
  inFlight++;
}

/** It settled, either way. The last one out lets the loop sleep; any reply lets a due sleeper go. */
export function ioEnded(): void {
  if (inFlight > 0) inFlight--;
  if (mode !== 'wait' || heap.size === 0) return;
  if (inFlight === 0 || heap.earliest() <= performance.now()) decideSoon();
}

/** `ioStarted` now and `ioEnded` when `reply` settles; returns `reply`. */
export function trackIo<T>(reply: Promise<T>): Promise<T> {
  ioStarted();
  reply.then(ioEnded, ioEnded);
  return reply;
}

/** How often wait mode put the loop to sleep in Atomics.wait (for tests: it must not while anything is in flight). */
export function loopSleeps(): number {
  return blocks;
}

export function sleepUntil(targetMs: number): Promise<void> {
  if (targetMs <= performance.now()) return Promise.resolve();
  return new Promise((wake) => {
    heap.push({ at: targetMs, wake });
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
  heap.wakeDue(performance.now());
  if (heap.size > 0) arm();
  else {
    thread?.idle();
    clearBackstop();
  }
}

function arm(): void {
  const at = heap.earliest();
  armedFor = at;
  if (mode === 'wait') {
    // Armed while a reply is awaited (an open loop right after a send): the
    // reply decides, the backstop if it is late; otherwise decide once this turn is done.
    if (inFlight > 0) armBackstop(Math.max(1, Math.floor(at - performance.now())));
    else decideSoon();
    return;
  }
  if (mode === 'thread') {
    thread ??= new TimerThread(tick);
    thread.arm(at, heap.second());
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

/**
 * Wait mode decides in the loop's check phase: after this turn's callbacks,
 * microtasks and socket writes, so a command a woken sleeper sends is
 * already counted (and on the wire) before the loop may sleep.
 */
function decideSoon(): void {
  if (deciding) return;
  deciding = true;
  setImmediate(decide);
}

function decide(): void {
  deciding = false;
  if (heap.size === 0) {
    clearBackstop();
    return;
  }
  const gap = heap.earliest() - performance.now();
  if (gap <= 0) tick();
  else if (inFlight > 0) armBackstop(Math.max(1, Math.floor(gap)));
  else if (gap > BLOCK_MAX_MS) armBackstop(Math.floor(gap) - 2);
  else {
    // A backstop still armed is left to fire: it finds nothing due, which is cheaper than a timer cleared and set per send.
    blocks++;
    Atomics.wait(blockCell, 0, 0, gap);
    tick();
  }
}

function armBackstop(delayMs: number): void {
  const due = performance.now() + delayMs;
  if (backstop !== undefined && backstopDue <= due) return;
  clearBackstop();
  backstopDue = due;
  backstop = setTimeout(fromBackstop, delayMs);
}

function fromBackstop(): void {
  backstop = undefined;
  backstopDue = Number.POSITIVE_INFINITY;
  decide();
}

function clearBackstop(): void {
  if (backstop === undefined) return;
  clearTimeout(backstop);
  backstop = undefined;
  backstopDue = Number.POSITIVE_INFINITY;
}
