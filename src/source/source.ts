/**
 * The source as the cache sees it: any driver (SQLite, MySQL, PostgreSQL)
 * behind a connection-pool bound and an injected latency, with every query
 * counted here so the harness never infers source load.
 *
 * The latency is split around the query, half for the request and half for
 * the response, because the row a reader gets back is already old when it
 * arrives — which is what lets a delete-on-write race happen, as it does
 * against a real MySQL. The pool slot is held for the whole round trip, as a
 * connection would be.
 */

import { ioEnded, ioStarted, preciseSleep as sleep } from '../load/preciseTimer.ts';
import { type Histogram, newLatencyHistogram, recordMs } from '../metrics/latencyHistogram.ts';
import type { SourceDriver, SourceRow } from './driver.ts';
import type { LatencySampler } from './latency.ts';
import { Pool } from './pool.ts';
import { VersionLog } from './versionLog.ts';

export interface SourceRead {
  row: SourceRow | undefined;
  /** performance.now() when the query ran: the row is as of this moment. */
  queriedAt: number;
}

export interface SourceOptions {
  /** Delay per query in ms; none when omitted. */
  latency?: LatencySampler;
  /** Queries in flight at most. */
  poolSize: number;
  /** The mean of `latency`, as asked: reported beside the achieved delay. */
  requestedDelayMs?: number;
  /** Clock for `updated_at` and stale ages; `Date.now` by default. */
  now?: () => number;
  /** The rows' versions, shared by every `Source` on one database; a new log when omitted. */
  versions?: VersionLog;
}

/** What the source's own timing looked like over a window. */
export class SourceTiming {
  /** Achieved injected delay per query (both halves), to compare with the requested one. */
  delay: Histogram = newLatencyHistogram();
  /** Time spent waiting for a pool slot, per query. */
  poolWait: Histogram = newLatencyHistogram();
  reset(): void {
    this.delay = newLatencyHistogram();
    this.poolWait = newLatencyHistogram();
  }
}

export class Source {
  /** Queries answered, counted here so the harness never infers source load. */
  reads = 0;
  /** Reads whose query came back (answered or failed): those the server has seen, once they are all back. */
  settledReads = 0;
  writes = 0;
  readonly pool: Pool;
  readonly versions: VersionLog;
  readonly timing = new SourceTiming();
  readonly requestedDelayMs: number;
  private readonly latency: LatencySampler;
  private readonly now: () => number;

  constructor(
    readonly driver: SourceDriver,
    options: SourceOptions,
  ) {
    this.pool = new Pool(options.poolSize);
    this.latency = options.latency ?? (() => 0);
    this.requestedDelayMs = options.requestedDelayMs ?? 0;
    this.now = options.now ?? Date.now;
    this.versions = options.versions ?? new VersionLog(driver.readOnly ? 0 : 1);
  }

  get kind(): SourceDriver['kind'] {
    return this.driver.kind;
  }

  /** Point read by id: what a cache miss pays, pool wait included. */
  async read(id: number): Promise<SourceRead> {
    const asked = performance.now();
    if (!this.pool.tryAcquire()) await this.pool.acquire();
    try {
      const started = performance.now();
      recordMs(this.timing.poolWait, started - asked);
      const delay = this.latency();
      await sleep(delay / 2);
      const sent = performance.now();
      this.reads++;
      let row: SourceRow | undefined;
      ioStarted();
      try {
        row = await this.driver.read(id);
      } finally {
        this.settledReads++;
        ioEnded();
      }
      const queriedAt = performance.now();
      await sleep(delay / 2);
      if (delay > 0) recordMs(this.timing.delay, sent - started + (performance.now() - queriedAt));
      return { row, queriedAt };
    } finally {
      this.pool.release();
    }
  }

  /** Updates a row (bumping `version`) through the same pool and delay; returns the new row. */
  async update(id: number): Promise<SourceRow | undefined> {
    if (!this.pool.tryAcquire()) await this.pool.acquire();
    try {
      const delay = this.latency();
      await sleep(delay / 2);
      const row = await this.updateNow(id);
      await sleep(delay / 2);
      return row;
    } finally {
      this.pool.release();
    }
  }

  /** The same update without delay or pool, for scripted tests. */
  async updateNow(id: number): Promise<SourceRow | undefined> {
    this.writes++;
    const at = this.now();
    ioStarted();
    const row = await this.driver.update(id, at).finally(ioEnded);
    if (row) this.versions.record(row.id, row.version, at);
    return row;
  }

  /** The row's current version: the stale-read check, outside the timed path. */
  currentVersion(id: number): number {
    return this.versions.current(id);
  }

  /**
   * The database's count of statements served beside this source's count of
   * settled reads, both taken while the driver holds every connection (so
   * none is mid-query): the two move together unless something else queries
   * the database. Null on SQLite. It stalls reads for a round trip or two.
   */
  async serverReads(): Promise<{ server: number; client: number } | null> {
    let client = this.settledReads;
    const server = await this.driver.serverReads(() => {
      client = this.settledReads;
    });
    return server === null ? null : { server, client };
  }

  close(): Promise<{ droppedTable: string | null; error?: string }> {
    return this.driver.close();
  }
}
