/** The stampede suite's rows and its table (stampede.ts measures them). */
import { formatTtl } from '../config/duration.ts';
import type { TtlMs } from '../config/types.ts';
import { fmtCount, fmtMs, fmtRatio, NA } from '../metrics/format.ts';
import type { HarnessReport } from '../metrics/harness.ts';
import { fmtWithInterval } from '../metrics/intervalFormat.ts';
import type { Interval } from '../metrics/sample.ts';
import { SMALL_SAMPLE_EVENTS } from '../metrics/smallSample.ts';
import type { TraceProfile } from '../workload/trace/profile.ts';
import type { MemoryFields } from './rows.ts';
import type { TableData } from './suite.ts';
import { capacityNotes, figure, harnessNotes } from './tableKit.ts';

/** The window is lengthened to see this many expiries: below it a ratio is a small sample. */
export const MIN_EVENTS = SMALL_SAMPLE_EVENTS;

const count = (v: number | null) => (v === null ? NA : fmtCount(Math.round(v)));

export interface StampedeRow extends MemoryFields {
  strategy: string;
  ttlMs: TtlMs;
  hotKeys: number;
  /** The measured window (run units). */
  windowMs: number;
  /** Whether the window was lengthened past the asked duration to reach enough expiries. */
  lengthened: boolean;
  expiries: number;
  loads: number;
  loadsPerExpiry: number | null;
  /** Its 95% interval when it rests on fewer than 30 expiries (a small sample), else null. */
  loadsPerExpiryInterval: Interval | null;
  predictedLoadsPerExpiry: number | null;
  /** With --trace: first loads of keys the trace had not read before (cold misses), left out of `loads`. */
  coldLoads?: number;
  /** With --trace: the simulator's hit ratio on the same requests (null for XFetch, which it does not model). */
  predictedHitRatio?: number | null;
  /** Misses that waited on another reader's lock. */
  lockWaits: number;
  /** XFetch: loads started before the key expired (counted in `loads`). */
  earlyRecomputes?: number;
  /** The counts behind `hitRatio`: hits out of the reads that asked Redis. */
  hits: number;
  cacheReads: number;
  hitRatio: number | null;
  p99Ms: number;
  /** Δ as measured: pool wait + delay + query + SET. */
  loadMs: number | null;
  harness: HarnessReport;
}

export interface StampedeResult {
  rows: StampedeRow[];
  /** With --trace: its profile, and what the table says about the replay. */
  trace?: TraceProfile;
  traceNotes?: string[];
}

export function stampedeTable(section: StampedeResult): TableData {
  const rows = section.rows;
  const notes: string[] = [...(section.traceNotes ?? [])];
  for (const r of rows) {
    const at = `${r.strategy} at TTL ${formatTtl(r.ttlMs)}`;
    if (r.lengthened)
      notes.push(`${at}: window lengthened to ${formatTtl(r.windowMs)} to see about ${MIN_EVENTS} expiries`);
    if (r.expiries < MIN_EVENTS)
      notes.push(`${at}: only ${r.expiries} expiries — a small sample, read its ratio with care`);
    const early = r.earlyRecomputes ?? 0;
    if (early > 0)
      notes.push(
        r.expiries === 0
          ? `${at}: all ${fmtCount(r.loads)} loads were early recomputes — no key expired in the window, which is what XFetch is for`
          : `${at}: ${fmtCount(early)} of its ${fmtCount(r.loads)} loads were early recomputes before the key expired, counted in loads per expiry against the ${fmtCount(r.expiries)} expiries that did happen`,
      );
  }
  notes.push(...capacityNotes(rows, (i) => `${rows[i]?.strategy} at TTL ${formatTtl(rows[i]?.ttlMs ?? null)}`));
  notes.push(...harnessNotes(rows, (i) => `${rows[i]?.strategy} at TTL ${formatTtl(rows[i]?.ttlMs ?? null)}`));
  return {
    title: section.trace
      ? 'stampede (trace replay, keys = the trace keys; predicted loads/expiry 1 when coordinated)'
      : 'stampede (hot keys, slow source; predicted loads/expiry = 1 + λΔ per key with Δ measured, 1 when coordinated)',
    head: [
      'strategy',
      'TTL',
      'hot keys',
      'window',
      'expiries',
      'loads',
      'loads/expiry',
      'predicted',
      'hit ratio',
      ...(section.trace ? ['predicted hit ratio'] : []),
      'p99 ms',
    ],
    rows: rows.map((r) => [
      r.strategy,
      formatTtl(r.ttlMs),
      r.hotKeys === undefined ? NA : fmtCount(r.hotKeys),
      r.windowMs === undefined ? NA : formatTtl(r.windowMs),
      figure(r, 'expiries', count),
      figure(r, 'loads', count),
      r.loadsPerExpiryInterval
        ? fmtWithInterval(r.loadsPerExpiry, r.loadsPerExpiryInterval)
        : figure(r, 'loadsPerExpiry', (v) => (v === null ? NA : v.toFixed(2))),
      r.predictedLoadsPerExpiry === null ? NA : r.predictedLoadsPerExpiry.toFixed(2),
      figure(r, 'hitRatio', fmtRatio),
      ...(section.trace ? [fmtRatio(r.predictedHitRatio ?? null)] : []),
      figure(r, 'p99Ms', fmtMs),
    ]),
    notes,
  };
}
