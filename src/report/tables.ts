/**
 * The tables of a snapshot as plain data (a title, headers with units, rows
 * of strings, notes), so the terminal and the Markdown file show the same
 * thing. Predicted figures are always labelled as such.
 */
import type { LatencySpec } from '../config/types.ts';
import { DEFAULT_SOURCE_LATENCY, describeLatency } from '../source/latency.ts';
import { formatTtl } from '../suites/suiteDefaults.ts';
import type { Snapshot } from '../types.ts';
import { fmtCount, fmtMs, fmtPct, fmtRate, fmtRatio, NA } from './format.ts';

export interface TableData {
  title: string;
  head: string[];
  rows: string[][];
  notes: string[];
}

/** Client and Redis hit ratios further apart than this get a note. */
const SERVER_DISAGREEMENT = 0.01;

export function snapshotTables(snapshot: Snapshot): TableData[] {
  const tables: TableData[] = [];
  const { suites } = snapshot;
  const speedup = Number(snapshot.config.speedup ?? 1);

  const readPath = suites['read-path'];
  if (readPath) {
    const notes: string[] = [];
    const be = readPath.breakEvenSourceLatencyMs;
    const configured = snapshot.config.sourceLatency as LatencySpec | undefined;
    const source = describeLatency(configured ?? DEFAULT_SOURCE_LATENCY);
    notes.push(
      be === null
        ? 'break-even source latency: none (at this hit ratio cache-aside never beats the direct read)'
        : `break-even source latency: ${fmtMs(be)} ms — above it cache-aside beats a direct read, at hit ratio ${fmtRatio(readPath.breakEvenHitRatio)} (${readPath.breakEvenHitRatioFrom === 'measured' ? 'measured by ttl-sweep' : 'predicted at TTL 2s'}); this run's source latency: ${source}`,
    );
    if (readPath.hitPathVsRawGet !== null) {
      const rounds = readPath.hitPathVsRawGetRounds;
      const spread =
        rounds.length > 1 ? `, rounds ${fmtPct(Math.min(...rounds), 0)}–${fmtPct(Math.max(...rounds), 0)}` : '';
      notes.push(
        `cache-hit path keeps ${fmtPct(readPath.hitPathVsRawGet, 1)} of the throughput of a bare node-redis GET at ${readPath.concurrency} in flight ` +
          `(median of ${rounds.length} alternating rounds${spread}; the rows above ran one after another)`,
      );
    }
    tables.push({
      title: `read-path (${readPath.concurrency === 1 ? 'one request at a time' : `${readPath.concurrency} in flight: ops/s is throughput`})`,
      head: ['path', 'mean ms', 'p50 ms', 'p99 ms', 'ops/s', 'samples'],
      rows: readPath.rows.map((r) => [
        r.name,
        fmtMs(r.meanMs),
        fmtMs(r.p50Ms),
        fmtMs(r.p99Ms),
        fmtRate(r.opsPerSec),
        fmtCount(r.samples),
      ]),
      notes,
    });
  }

  const sweep = suites['ttl-sweep'];
  if (sweep) {
    const notes: string[] = [];
    for (const r of sweep.rows) {
      if (
        r.hitRatio !== null &&
        r.serverHitRatio !== null &&
        Math.abs(r.hitRatio - r.serverHitRatio) > SERVER_DISAGREEMENT
      ) {
        notes.push(
          `TTL ${formatTtl(r.ttlMs)}: client (${fmtRatio(r.hitRatio)}) and Redis INFO (${fmtRatio(r.serverHitRatio)}) disagree by more than one point — other clients on this server?`,
        );
      }
      if (r.load.targetRate !== null && r.load.achievedRate < r.load.targetRate * 0.98) {
        notes.push(
          `TTL ${formatTtl(r.ttlMs)}: achieved ${fmtRate(r.load.achievedRate)} reads/s of ${fmtRate(r.load.targetRate)} offered (Poisson, so a short window varies by ±${fmtPct(1 / Math.sqrt(Math.max(1, r.reads)), 1)})`,
        );
      }
      if (r.redisErrors > 0)
        notes.push(
          `TTL ${formatTtl(r.ttlMs)}: ${fmtCount(r.redisErrors)} Redis errors, those reads were served by the source`,
        );
    }
    if (sweep.advice) notes.push(sweep.advice);
    const prodColumn = speedup !== 1;
    if (prodColumn) {
      notes.push(
        `run ${speedup}× faster than the scenario's production units: rates × ${speedup}, TTLs ÷ ${speedup}; hit ratios are the same in both, (prod) columns convert back`,
      );
    }
    tables.push({
      title: 'ttl-sweep (every row from an empty cache; predicted = ttl-model.md on the same key popularity)',
      head: [
        'TTL',
        ...(prodColumn ? [`TTL ×${speedup} (prod)`] : []),
        'hit ratio',
        'predicted',
        'Redis INFO',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'p99.9 ms',
        'reads/s',
        'source reads/s',
        'predicted',
        ...(prodColumn ? ['source reads/s (prod)'] : []),
        'late sends',
      ],
      rows: sweep.rows.map((r) => [
        r.ttlMs === 0 ? '0 (no cache)' : formatTtl(r.ttlMs),
        ...(prodColumn ? [r.productionTtlMs === 0 ? '0' : formatTtl(r.productionTtlMs)] : []),
        fmtRatio(r.hitRatio),
        fmtRatio(r.predictedHitRatio),
        fmtRatio(r.serverHitRatio),
        fmtMs(r.p50Ms),
        fmtMs(r.p95Ms),
        fmtMs(r.p99Ms),
        fmtMs(r.p999Ms),
        fmtRate(r.readsPerSec),
        fmtRate(r.sourceReadsPerSec),
        fmtRate(r.predictedSourceReadsPerSec),
        ...(prodColumn ? [fmtRate(r.sourceReadsPerSec / speedup)] : []),
        r.load.mode === 'closed' ? NA : fmtCount(r.load.lateSends),
      ]),
      notes,
    });
  }

  const fresh = suites.freshness;
  if (fresh) {
    const notes: string[] = [];
    const raced = fresh.rows.filter((r) => r.racedStaleReads > 0);
    for (const r of raced) {
      notes.push(
        `${r.invalidation} at TTL ${formatTtl(r.ttlMs)}: ${fmtCount(r.racedStaleReads)} stale reads despite invalidation — a reader loaded the old row and stored it after the writer's ${r.invalidation === 'delete' ? 'delete' : 'set'} (the race leases close)`,
      );
    }
    if (fresh.advice) notes.push(fresh.advice);
    tables.push({
      title: 'freshness (stale = a hit older than the source row; ratios over all reads)',
      head: [
        'invalidation',
        'TTL',
        'writes',
        'hit ratio',
        'predicted',
        'stale reads',
        'predicted',
        'raced',
        'max stale age ms',
        'p99 ms',
      ],
      rows: fresh.rows.map((r) => [
        r.invalidation,
        formatTtl(r.ttlMs),
        fmtCount(r.writes),
        fmtRatio(r.hitRatio),
        fmtRatio(r.predictedHitRatio),
        fmtPct(r.staleReadRatio),
        fmtPct(r.predictedStaleReadRatio),
        fmtCount(r.racedStaleReads),
        fmtMs(r.maxStaleAgeMs),
        fmtMs(r.p99Ms),
      ]),
      notes,
    });
  }

  const herd = suites.stampede;
  if (herd) {
    tables.push({
      title: 'stampede (hot keys, slow source; predicted loads/expiry = 1 + λΔ with Δ measured, 1 when coordinated)',
      head: ['strategy', 'TTL', 'expiries', 'loads', 'loads/expiry', 'predicted', 'hit ratio', 'p99 ms'],
      rows: herd.rows.map((r) => [
        r.strategy,
        formatTtl(r.ttlMs),
        fmtCount(r.expiries),
        fmtCount(r.loads),
        r.loadsPerExpiry === null ? NA : r.loadsPerExpiry.toFixed(2),
        r.predictedLoadsPerExpiry === null ? NA : r.predictedLoadsPerExpiry.toFixed(2),
        fmtRatio(r.hitRatio),
        fmtMs(r.p99Ms),
      ]),
      notes: [],
    });
  }
  return tables;
}
