/**
 * The connection the measured read path uses, with a bounded wait that costs
 * almost nothing per command.
 *
 * node-redis 6 can time commands out itself, but it arms an
 * `AbortSignal.timeout` per command; profiled at 64 reads in flight that was
 * about 40% of the process's CPU (timers, DOMException, GC), and a wrapper
 * promise per command still cost a third of the throughput. Here a command
 * costs a slot in a ring of send times and one `.then`: replies on one
 * connection come back in order, so the oldest unanswered command is always
 * at `settled`. A sweep every quarter timeout checks its age; when Redis has
 * not answered within the timeout (a stalled or partitioned server), the
 * connection is destroyed — every pending command rejects at once and its
 * read falls back to the source — and a fresh one takes its place.
 * A dead server needs none of this: the socket closes and node-redis rejects.
 */
import { ioEnded, ioStarted } from '../load/preciseTimer.ts';
import { type RedisClient, withoutClientTimeout } from './connection.ts';

const RING = 1 << 16;

export class GuardedConnection {
  /** The current client, without node-redis's per-command timeout; replaced after a stall, so read it per command. */
  client: RedisClient;
  private base: RedisClient;
  /** Stalls detected: each one destroyed the connection and opened another (the cache stores report them). */
  stalls = 0;
  private readonly sentAt = new Float64Array(RING);
  private sent = 0;
  private settled = 0;
  private readonly settle = () => {
    this.settled++;
    ioEnded();
  };
  private timer: NodeJS.Timeout | undefined;
  /**
   * Send times are stamped with a clock the sweep advances, not with
   * performance.now() per command: a stall is then detected between one
   * timeout and one timeout plus a tick, which is all a bound needs.
   */
  private now = 0;
  private readonly tick: number;
  /** When the sweep last ran, and whether it put off its verdict once (see sweep). */
  private lastSweep = 0;
  private deferred = false;
  private replacing = false;
  private closed = false;

  /** Takes over `client`: give it a connection of its own, since a stall destroys it. */
  constructor(
    client: RedisClient,
    readonly timeoutMs: number,
    private readonly onStall?: (error: Error) => void,
  ) {
    this.base = client;
    this.client = withoutClientTimeout(client);
    this.tick = Math.max(5, timeoutMs / 4);
  }

  /** Tracks one command sent on `client`; returns the same promise. */
  track<T>(reply: Promise<T>): Promise<T> {
    this.sending();
    reply.then(this.settle, this.settle);
    return reply;
  }

  /**
   * The hot path's split form of `track`, without the extra `.then`: call
   * `sending()` right before the command and `answered()` exactly once when it
   * settles, either way.
   */
  sending(): void {
    if (this.timer === undefined) {
      this.now = performance.now();
      this.lastSweep = this.now;
      this.timer = setInterval(() => this.sweep(), this.tick);
    }
    // Past the ring the oldest slot would be overwritten: commandsQueueMaxLength keeps us far below it.
    this.sentAt[this.sent & (RING - 1)] = this.now;
    this.sent++;
    // In flight until answered: the precise timer must not put the loop to sleep meanwhile.
    ioStarted();
  }

  answered(): void {
    this.settled++;
    ioEnded();
  }

  /** Stops the watchdog and closes the connection. */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.base.destroy();
  }

  private sweep(): void {
    const now = performance.now();
    // A late sweep means this process was not running (a busy machine, a long
    // synchronous task), and Node runs timers before it reads sockets: the
    // replies that came meanwhile are still unread, so every command looks
    // old. Measured: 64 GETs in flight, the event loop held 3 timeouts, all 64
    // failed as a stall (test/redis/guardedConnection.test.ts). The verdict
    // waits for the next sweep, after this turn's I/O — once in a row at
    // most, so a server that really stalls is still caught a tick later.
    const late = now - this.lastSweep > 2 * this.tick;
    this.lastSweep = now;
    this.now = now;
    if (this.settled >= this.sent) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    if (late && !this.deferred) {
      this.deferred = true;
      return;
    }
    this.deferred = false;
    const oldest = this.sentAt[this.settled & (RING - 1)] as number;
    if (!this.replacing && this.now - oldest >= this.timeoutMs) void this.replace();
  }

  private async replace(): Promise<void> {
    this.replacing = true;
    this.stalls++;
    this.onStall?.(new Error(`Redis did not answer within ${this.timeoutMs} ms; reconnecting`));
    const stalled = this.base;
    // Commands sent meanwhile go to the destroyed client and fail at once: their reads fall back.
    stalled.destroy();
    for (let attempt = 0; !this.closed; attempt++) {
      const fresh = stalled.duplicate() as unknown as RedisClient;
      fresh.on('error', () => {});
      // Held as `base` while it connects, so that close() destroys it too: a
      // reconnecting client would otherwise keep the process alive.
      this.base = fresh;
      try {
        await fresh.connect();
        if (!this.closed) this.client = withoutClientTimeout(fresh);
        break;
      } catch {
        fresh.destroy();
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 1000)));
      }
    }
    this.replacing = false;
  }
}
