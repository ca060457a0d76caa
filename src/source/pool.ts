/**
 * A connection pool's bound on a source: at most `size` queries in flight,
 * the rest wait in FIFO order, as mysql2's pool (default 10 connections)
 * queues them. Without it the stand-in would serve any number of slow
 * queries at once — 64 parallel 1 ms queries make 64,000 reads/s where a
 * real pool of 10 makes 10,000 — and a stampede would cost nothing extra.
 */
export class Pool {
  inUse = 0;
  /** The longest the line got. */
  maxQueue = 0;
  /**
   * The line, read from `head`: Array.shift is O(n) on a large array, and an
   * overloaded run (every read falling back to the source) queued 120,000
   * here — releasing them took 20 s of CPU.
   */
  private queue: Array<() => void> = [];
  private head = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be a whole number >= 1, got ${size}`);
  }

  /** Takes a slot now if one is free (the common case, without a promise). */
  tryAcquire(): boolean {
    if (this.inUse >= this.size) return false;
    this.inUse++;
    return true;
  }

  /** Waits in line for a slot. */
  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => {
      this.queue.push(resolve);
      if (this.queued > this.maxQueue) this.maxQueue = this.queued;
    });
  }

  /** Hands the slot to the next in line, or frees it. */
  release(): void {
    if (this.head === this.queue.length) {
      this.inUse--;
      return;
    }
    const next = this.queue[this.head++] as () => void;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    next();
  }

  get queued(): number {
    return this.queue.length - this.head;
  }
}
