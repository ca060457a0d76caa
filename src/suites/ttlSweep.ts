/**
 * `ttl-sweep`: for each TTL, from an empty cache, what the cache buys —
 * hit ratio (measured by the client, by Redis, and predicted), latency
 * percentiles, and source load (measured and predicted).
 */
import { z } from 'zod';
import { formatTtl } from '../config/duration.ts';
import type { TtlMs } from '../config/types.ts';
import { fmtCount, fmtMs, fmtPct, fmtRate, fmtRatio, NA } from '../metrics/format.ts';
import { createKeySampler } from '../workload/keySampler.ts';
import { predictFilling } from '../workload/model.ts';
import { loadShape, required, type SuiteContext } from './context.ts';
import { hitRatioCounts, sourceReadCounts } from './figureCounts.ts';
import { type PredictionBasis, predictionNotes, predictRow } from './rowPrediction.ts';
import { deriveWarmup, measureRows, memoryFields, ROW_OPTIONS, rowDurationMs } from './rows.ts';
import { defineSuite, type TableData, type TableView } from './suite.ts';
import { measureSweepRow } from './sweepRow.ts';
import { capacityNotes, figure, harnessNotes, ttlCell } from './tableKit.ts';
import { planReplay } from './traceReplay.ts';
import { replayRow, traceSweep } from './ttlSweepReplay.ts';
import { sweepFigures, type TtlSweepResult, type TtlSweepRow } from './ttlSweepRow.ts';

export type { CurvePoint, TtlSweepResult, TtlSweepRow } from './ttlSweepRow.ts';
export type { PredictionBasis };

export const ttlSweep = defineSuite<TtlSweepResult>({
  name: 'ttl-sweep',
  summary: 'hit ratio, latency and source load per TTL',
  uses: ['keys', 'dist', 'ttl', 'slidingTtl', 'invalidation', ...ROW_OPTIONS],
  defaults: { ttl: [0, 100, 500, 2000, null], rate: 2000, durationMs: 4000 },
  derive: deriveWarmup,
  run: runTtlSweep,
  rowKey: (row) => `ttl=${ttlCell(row.ttlMs)}`,
  metrics: [
    { metric: 'hitRatio', unit: 'ratio', worse: 'down', counts: hitRatioCounts },
    { metric: 'p99Ms', unit: 'ms', worse: 'up', harnessSensitive: true },
    { metric: 'sourceReadsPerSec', unit: 'perSec', worse: 'up', counts: sourceReadCounts },
    // The source's time: what a read that reaches it takes (median), and what one load costs (mean Δ).
    { metric: 'sourceP50Ms', unit: 'ms', worse: 'up' },
    { metric: 'loadMs', unit: 'ms', worse: 'up', gates: false },
  ],
  tables: (section, view) => [sweepTable(section, view)],
  schema: z.looseObject({
    rows: z.array(
      z.looseObject({
        ttlMs: z.number().nullable(),
        hitRatio: z.number().nullable(),
        p99Ms: z.number(),
        sourceReadsPerSec: z.number(),
      }),
    ),
  }),
});

async function runTtlSweep(ctx: SuiteContext): Promise<TtlSweepResult> {
  const replay = planReplay(ctx, ctx.rng.fork('ttl-sweep:trace'));
  const rows = await measureRows(ctx, required(ctx.settings, 'ttl'), (ttlMs, index) =>
    replay ? replayRow(ctx, index, ttlMs, replay) : sweepRow(ctx, index, ttlMs),
  );
  if (!replay) return { rows };
  return { rows, ...traceSweep(ctx, replay) };
}

async function sweepRow(ctx: SuiteContext, index: number, ttlMs: TtlMs): Promise<TtlSweepRow> {
  const { settings } = ctx;
  const load = loadShape(settings);
  const warmupMs = required(settings, 'warmupMs');
  const durationMs = rowDurationMs(required(settings, 'durationMs'), ttlMs);
  const rng = ctx.rng.fork(`ttl-sweep:${index}`);
  const sampler = createKeySampler(required(settings, 'dist'), required(settings, 'keys'), rng.fork('keys'));
  const window = { warmupMs, durationMs };
  const run = await measureSweepRow(ctx, { index, ttlMs, rng, sampler, load, window });
  const memory = memoryFields(run);
  const predicted = predictRow(run, memory, { sampler, rng: rng.fork('prediction'), ttlMs, settings: ctx.settings });
  // Memory, not time, bounds a capacity-bound cache: LRU has a steady state, the filling does not apply.
  const filling =
    ttlMs === null && !memory.capacityBound
      ? predictFilling(
          sampler.probabilities,
          'rate' in load ? load.rate : run.driver.achievedRate,
          warmupMs + durationMs,
        )
      : null;
  return sweepFigures(ctx, index, ttlMs, run, { predicted, memory, readsPerSec: run.driver.achievedRate, filling });
}

/** Client and Redis hit ratios further apart than this get a note. */
const SERVER_DISAGREEMENT = 0.01;
/** Source reads counted by the client and by the database further apart than this (relative) are flagged. */
const SOURCE_DISAGREEMENT = 0.02;

/** Whether the database's count of a row's source reads is more than 2% from the client's. */
export function sourceCountsDisagree(row: Pick<TtlSweepRow, 'sourceReadsPerSec' | 'serverSourceReadsPerSec'>): boolean {
  const server = row.serverSourceReadsPerSec;
  if (server === null || server === undefined) return false;
  const client = row.sourceReadsPerSec;
  return Math.abs(server - client) > SOURCE_DISAGREEMENT * Math.max(client, server);
}

function sweepNotes(rows: readonly TtlSweepRow[]): string[] {
  const notes: string[] = [];
  for (const r of rows) {
    const at = `TTL ${formatTtl(r.ttlMs)}`;
    if (
      r.hitRatio !== null &&
      r.serverHitRatio !== null &&
      Math.abs(r.hitRatio - r.serverHitRatio) > SERVER_DISAGREEMENT
    ) {
      notes.push(
        `${at}: client (${fmtRatio(r.hitRatio)}) and Redis INFO (${fmtRatio(r.serverHitRatio)}) disagree by more than one point — other clients on this server?`,
      );
    }
    if (r.load.targetRate !== null && r.load.achievedRate < r.load.targetRate * 0.98) {
      notes.push(
        `${at}: achieved ${fmtRate(r.load.achievedRate)} reads/s of ${fmtRate(r.load.targetRate)} offered (Poisson, so a short window varies by ±${fmtPct(1 / Math.sqrt(Math.max(1, r.reads)), 1)})`,
      );
    }
    if (sourceCountsDisagree(r)) {
      notes.push(
        `${at}: the source's own count (${fmtRate(r.serverSourceReadsPerSec)} reads/s) is more than 2% from the client's (${fmtRate(r.sourceReadsPerSec)}) — other clients of this database?`,
      );
    }
    if (r.redisErrors > 0)
      notes.push(`${at}: ${fmtCount(r.redisErrors)} Redis errors, those reads were served by the source`);
  }
  const label = (i: number) => `TTL ${formatTtl(rows[i]?.ttlMs ?? null)}`;
  return [...notes, ...capacityNotes(rows, label), ...predictionNotes(rows, label), ...harnessNotes(rows, label)];
}

/** The no-expiry row is not at a steady state: say where it stood and where it is going (older snapshots lack it). */
function fillingNotes(rows: readonly TtlSweepRow[]): string[] {
  return rows.flatMap((r) =>
    r.filling
      ? [
          `TTL none has no steady state: at the window's end ${fmtPct(r.filling.residentShare, 1)} of the key space was resident and reads hit ${fmtRatio(r.filling.hitRatioNow)}; it is still climbing toward ${fmtRatio(r.filling.steadyHitRatio)} (all predicted, ttl-model.md "No expiry"); its row is not "worse" than a finite TTL, only younger`,
        ]
      : [],
  );
}

function sweepTable(section: TtlSweepResult, view: TableView): TableData {
  const { speedup } = view;
  const prod = speedup !== 1;
  const notes = [...(section.traceNotes ?? []), ...sweepNotes(section.rows), ...fillingNotes(section.rows)];
  // Only a database counts its own reads: SQLite runs show no column for it.
  const server = section.rows.some((r) => r.serverSourceReadsPerSec != null);
  if (server) {
    notes.push(
      "server reads/s: the window's source reads counted by the database itself (MariaDB/MySQL Com_select, PostgreSQL pg_stat_database transactions); ! = more than 2% from the client's count",
    );
  }
  if (prod) {
    notes.push(
      `run ${speedup}× faster than the scenario's production units: rates × ${speedup}, TTLs ÷ ${speedup}; hit ratios are the same in both, (prod) columns convert back`,
    );
  }
  return {
    title: section.trace
      ? 'ttl-sweep (trace replay, every row from an empty cache; predicted = the simulator on the same requests)'
      : 'ttl-sweep (every row from an empty cache; predicted = ttl-model.md on the same key popularity)',
    head: [
      'TTL',
      ...(prod ? [`TTL ×${speedup} (prod)`] : []),
      'hit ratio',
      'predicted',
      'Redis INFO',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'p99.9 ms',
      'service p99 ms',
      'reads/s',
      'source reads/s',
      ...(server ? ['server reads/s'] : []),
      'predicted',
      ...(prod ? ['source reads/s (prod)'] : []),
      'late sends',
    ],
    rows: section.rows.map((r) => [
      ttlCell(r.ttlMs),
      ...(prod ? [r.productionTtlMs === 0 ? '0' : formatTtl(r.productionTtlMs)] : []),
      figure(r, 'hitRatio', fmtRatio),
      fmtRatio(r.predictedHitRatio),
      figure(r, 'serverHitRatio', fmtRatio),
      figure(r, 'p50Ms', fmtMs),
      figure(r, 'p95Ms', fmtMs),
      figure(r, 'p99Ms', fmtMs),
      figure(r, 'p999Ms', fmtMs),
      figure(r, 'service.p99Ms', fmtMs),
      figure(r, 'readsPerSec', fmtRate),
      figure(r, 'sourceReadsPerSec', fmtRate),
      ...(server ? [serverCell(r)] : []),
      fmtRate(r.predictedSourceReadsPerSec),
      ...(prod ? [fmtRate(r.sourceReadsPerSec / speedup)] : []),
      r.load.mode === 'closed' ? NA : fmtCount(r.load.lateSends),
    ]),
    notes,
  };
}

function serverCell(r: TtlSweepRow): string {
  const value = r.serverSourceReadsPerSec ?? null;
  if (value === null) return NA;
  return `${fmtRate(value)}${sourceCountsDisagree(r) ? ' !' : ''}`;
}
