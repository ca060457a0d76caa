/**
 * The pending wake-ups of every sleeper in this thread, earliest first: a
 * binary heap, because the stampede suite keeps hundreds of lock back-offs
 * and source delays asleep at once.
 */
export interface Sleeper {
  at: number;
  wake: () => void;
}

export class SleeperHeap {
  private readonly items: Sleeper[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The earliest wake-up time; Infinity when nobody sleeps. */
  earliest(): number {
    return this.items[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  /** The second-earliest wake-up: one of the root's two children. */
  second(): number | undefined {
    const left = this.items[1]?.at;
    const right = this.items[2]?.at;
    if (left === undefined) return right;
    return right === undefined ? left : Math.min(left, right);
  }

  push(item: Sleeper): void {
    const heap = this.items;
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

  /** Wakes every sleeper due at `now`, earliest first. */
  wakeDue(now: number): void {
    while (this.items.length > 0 && (this.items[0] as Sleeper).at <= now) this.pop().wake();
  }

  private pop(): Sleeper {
    const heap = this.items;
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
}
