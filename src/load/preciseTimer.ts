/**
 * Sleeps that end when asked, not a millisecond late. setTimeout rounds up to
 * whole milliseconds and overshoots, which would add about a millisecond to
 * every "1 ms" source query and to every open-loop send. One shared loop keeps
 * all pending wake-ups in a binary heap: it arms a timer while the next one is
 * far and yields with setImmediate (letting I/O run) when it is near, so the
 * cost is one loop however many sleepers there are.
 */

/** Below this distance the loop yields instead of arming a timer. */
const SPIN_MS = 1.5;

const heap: Array<{ at: number; wake: () => void }> = [];
let looping = false;
/** The armed timer, if the loop is waiting on one, and when it means to wake. */
let timer: NodeJS.Timeout | undefined;
let timerFor = 0;

export function sleepUntil(targetMs: number): Promise<void> {
  if (targetMs <= performance.now()) return Promise.resolve();
  return new Promise((wake) => {
    push({ at: targetMs, wake });
    if (!looping) {
      looping = true;
      setImmediate(tick);
    } else if (timer !== undefined && targetMs < timerFor) {
      // A sleeper due before the armed timer: wake the loop now instead.
      clearTimeout(timer);
      timer = undefined;
      setImmediate(tick);
    }
  });
}

export function preciseSleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : sleepUntil(performance.now() + ms);
}

function tick(): void {
  timer = undefined;
  const now = performance.now();
  while (heap.length > 0 && (heap[0] as { at: number }).at <= now) pop().wake();
  if (heap.length === 0) {
    looping = false;
    return;
  }
  const gap = (heap[0] as { at: number }).at - now;
  if (gap > SPIN_MS) {
    timerFor = now + gap - SPIN_MS;
    timer = setTimeout(tick, gap - SPIN_MS);
  } else setImmediate(tick);
}

function push(item: { at: number; wake: () => void }): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((heap[parent] as typeof item).at <= item.at) break;
    heap[i] = heap[parent] as typeof item;
    i = parent;
  }
  heap[i] = item;
}

function pop(): { at: number; wake: () => void } {
  const top = heap[0] as { at: number; wake: () => void };
  const last = heap.pop() as typeof top;
  if (heap.length > 0) {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && (heap[right] as typeof top).at < (heap[left] as typeof top).at ? right : left;
      if ((heap[child] as typeof top).at >= last.at) break;
      heap[i] = heap[child] as typeof top;
      i = child;
    }
    heap[i] = last;
  }
  return top;
}
