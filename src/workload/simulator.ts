/**
 * Replays requests against an exact model of the service's cache-aside
 * semantics, with no Redis: the whole hit-ratio-over-TTL curve of a trace in
 * milliseconds per TTL.
 *
 * - A read hits when the key's entry is present; a miss loads the row: the
 *   source read happens at t + Δ − δ and the store (SET with TTL) at t + Δ.
 *   Reads in between miss too, and each issues its own load that stores at its
 *   own completion (the uncoordinated 'none' strategy the service uses), so a
 *   later store starts a new TTL.
 * - A write bumps the row's version and, per invalidation, does nothing
 *   (`ttl`), deletes the entry (`delete`), or stores the new row with a fresh
 *   TTL (`write-through`).
 * - A hit is stale when the row's version moved past the one the entry holds.
 * - Optional LRU capacity (entries), for memory-bound caches.
 *
 * Ties: events due at t (source reads, stores) happen before a request at t.
 * Requests must come in non-decreasing time (a `Trace` does).
 */
import type { Invalidation, TtlMs } from '../config/types.ts';
import { PendingLoads } from './pendingLoads.ts';
import { OP_READ } from './trace/traceBuilder.ts';
import { LruCache, type TtlCache, UnboundedCache } from './ttlCaches.ts';

/** Any request stream: times in ms (non-decreasing), key ids in 1..uniqueKeys, OP_READ / OP_WRITE. */
export interface RequestArrays {
  timeMs: Float64Array;
  key: Int32Array;
  op: Uint8Array;
  uniqueKeys: number;
}

export interface SimulationConfig {
  /** 0: no cache; null: no expiry. */
  ttlMs: TtlMs;
  /** Every hit renews the TTL (GETEX ... PX). Default false. */
  sliding?: boolean;
  /** Default 'ttl'. */
  invalidation?: Invalidation;
  /** Δ, from a miss to its store. Default 0. */
  loadMs?: number;
  /** δ, from the source read to the store; default Δ/2, at most Δ. */
  readToStoreMs?: number;
  /** LRU capacity in entries; omitted: unbounded. */
  capacity?: number;
  /** Requests before this time are replayed but not counted. Default 0. */
  warmupMs?: number;
  /** Measured span for the per-second rate; default last request time − warmup. */
  durationMs?: number;
}

export interface SimulationResult {
  ttlMs: TtlMs;
  hitRatio: number;
  sourceReadsPerSec: number;
  /** Stale hits over all reads. */
  staleReadRatio: number;
  reads: number;
  hits: number;
  staleHits: number;
  /** Source loads: one per miss. */
  loads: number;
  /** LRU evictions over the whole replay (warmup included); 0 when unbounded. */
  evictions: number;
}

interface Counts {
  reads: number;
  hits: number;
  staleHits: number;
  loads: number;
}

const WRITE_NOTHING = 0;
const WRITE_DELETE = 1;
const WRITE_THROUGH = 2;

export function simulate(requests: RequestArrays, config: SimulationConfig): SimulationResult {
  const ttl = config.ttlMs === null ? Number.POSITIVE_INFINITY : config.ttlMs;
  const loadMs = config.loadMs ?? 0;
  const readToStore = config.readToStoreMs ?? loadMs / 2;
  checkConfig(ttl, loadMs, readToStore, config);
  const keys = requests.uniqueKeys;
  const sliding = config.sliding ?? false;
  const cache: TtlCache =
    config.capacity === undefined
      ? new UnboundedCache(keys, ttl, sliding)
      : new LruCache(keys, config.capacity, ttl, sliding);
  const writeMode =
    config.invalidation === 'delete'
      ? WRITE_DELETE
      : config.invalidation === 'write-through'
        ? WRITE_THROUGH
        : WRITE_NOTHING;
  const warmupMs = config.warmupMs ?? 0;
  const pending = loadMs > 0 ? new PendingLoads(loadMs, loadMs - readToStore) : undefined;
  const counts = replay(requests, cache, writeMode, warmupMs, pending);
  const n = requests.timeMs.length;
  const lastMs = n > 0 ? (requests.timeMs[n - 1] as number) : 0;
  const durationMs = config.durationMs ?? Math.max(0, lastMs - warmupMs);
  return {
    ttlMs: config.ttlMs,
    hitRatio: counts.reads > 0 ? counts.hits / counts.reads : 0,
    sourceReadsPerSec: durationMs > 0 ? (counts.loads * 1000) / durationMs : 0,
    staleReadRatio: counts.reads > 0 ? counts.staleHits / counts.reads : 0,
    ...counts,
    evictions: cache.evictions,
  };
}

/** One simulation per TTL, with the rest of the configuration shared. */
export function simulateTtls(
  requests: RequestArrays,
  ttls: readonly TtlMs[],
  config: Omit<SimulationConfig, 'ttlMs'> = {},
): SimulationResult[] {
  return ttls.map((ttlMs) => simulate(requests, { ...config, ttlMs }));
}

/**
 * About `count` TTLs spaced evenly on a log scale from `minMs` to `spanMs` (the
 * trace's length), each rounded to two significant digits so they read well
 * (1.2s, not 1.1937s; the last may pass the span by the rounding); duplicates
 * after rounding are dropped.
 */
export function logSpacedTtls(spanMs: number, count = 20, minMs = 100): number[] {
  if (!(spanMs > minMs)) return [minMs];
  const ratio = (spanMs / minMs) ** (1 / (count - 1));
  const ttls: number[] = [];
  for (let i = 0; i < count; i++) {
    const rounded = roundTwoDigits(i === count - 1 ? spanMs : minMs * ratio ** i);
    if (ttls[ttls.length - 1] !== rounded) ttls.push(rounded);
  }
  return ttls;
}

function roundTwoDigits(ms: number): number {
  const scale = 10 ** (Math.floor(Math.log10(ms)) - 1);
  return Math.round(ms / scale) * scale;
}

/** The hot loop: one pass over the requests, counting from `warmupMs` on. */
function replay(
  requests: RequestArrays,
  cache: TtlCache,
  writeMode: number,
  warmupMs: number,
  pending: PendingLoads | undefined,
): Counts {
  const { timeMs, key, op } = requests;
  const version = new Int32Array(requests.uniqueKeys + 1);
  let reads = 0;
  let hits = 0;
  let staleHits = 0;
  let loads = 0;
  for (let i = 0; i < timeMs.length; i++) {
    const t = timeMs[i] as number;
    const k = key[i] as number;
    if (pending !== undefined && t >= pending.nextDueAt) completeLoads(pending, t, version, cache);
    if (op[i] === OP_READ) {
      const held = cache.get(k, t);
      if (t >= warmupMs) {
        reads++;
        if (held < 0) loads++;
        else {
          hits++;
          if (held < (version[k] as number)) staleHits++;
        }
      }
      if (held >= 0) continue;
      if (pending === undefined) cache.set(k, version[k] as number, t);
      else pending.issue(k, t);
    } else {
      const v = (version[k] as number) + 1;
      version[k] = v;
      if (writeMode === WRITE_DELETE) cache.del(k);
      else if (writeMode === WRITE_THROUGH) cache.set(k, v, t);
    }
  }
  return { reads, hits, staleHits, loads };
}

/** Source reads and stores due at or before t, in time order. */
function completeLoads(pending: PendingLoads, t: number, version: Int32Array, cache: TtlCache): void {
  pending.readRows(t, version);
  while (pending.storeDue(t)) {
    cache.set(pending.nextKey(), pending.nextVersion(), pending.nextStoreAt());
    pending.pop();
  }
  pending.updateNextDue();
}

function checkConfig(ttl: number, loadMs: number, readToStore: number, config: SimulationConfig): void {
  if (!(ttl >= 0)) throw new RangeError(`ttlMs must be >= 0 or null, got ${config.ttlMs}`);
  if (!(loadMs >= 0) || !Number.isFinite(loadMs)) throw new RangeError(`loadMs must be finite and >= 0, got ${loadMs}`);
  if (!(readToStore >= 0 && readToStore <= loadMs)) {
    throw new RangeError(`readToStoreMs must be in [0, loadMs = ${loadMs}], got ${readToStore}`);
  }
  if (config.capacity !== undefined && !(Number.isInteger(config.capacity) && config.capacity >= 1)) {
    throw new RangeError(`capacity must be a whole number of entries >= 1, got ${config.capacity}`);
  }
}
