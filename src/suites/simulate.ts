/**
 * `simulate`: the whole hit-ratio-over-TTL curve of a trace, with no Redis
 * and no source. The simulator (src/workload/simulator.ts) replays the
 * trace's requests against an exact model of the service — fixed or sliding
 * TTL, invalidation on writes, Δ from a miss to its store — in production
 * units (the trace's own clock; --speedup does not apply). With no --ttl it
 * takes about 20 log-spaced TTLs from 100 ms to the trace's length.
 */
import { z } from 'zod';
import { formatTtl } from '../config/duration.ts';
import type { Invalidation, TtlMs } from '../config/types.ts';
import { UsageError } from '../errors.ts';
import { fmtPct, fmtRate, fmtRatio } from '../metrics/format.ts';
import { meanLatencyMs } from '../source/latency.ts';
import { logSpacedTtls, simulate } from '../workload/simulator.ts';
import type { TraceProfile } from '../workload/trace/profile.ts';
import type { SuiteContext } from './context.ts';
import { defineSuite, type TableData } from './suite.ts';
import { ttlCell } from './tableKit.ts';
import { profileLine } from './traceInput.ts';

export interface SimulateRow {
  invalidation: Invalidation;
  ttlMs: TtlMs;
  hitRatio: number;
  sourceReadsPerSec: number;
  staleReadRatio: number;
}

export interface SimulateResult {
  rows: SimulateRow[];
  trace: TraceProfile;
  /** Requests replayed per second of simulation, over all rows (this run, this machine). */
  requestsPerSec: number;
  /** Lines of the trace read per second (parse, intern, select). */
  parseLinesPerSec: number;
  /** Δ the simulation used: the mean --source-latency. */
  loadMs: number;
  /** Whether the TTLs were given or log-spaced over the trace. */
  ttls: 'given' | 'log-spaced';
}

export const simulateSuite = defineSuite<SimulateResult>({
  name: 'simulate',
  summary:
    'hit ratio, source reads/s, stale reads per TTL (default ~20, log-spaced) of a --trace, simulated (no Redis)',
  uses: [
    'ttl',
    'slidingTtl',
    'invalidation',
    'sourceLatency',
    'warmupMs',
    'trace',
    'traceFormat',
    'traceWindow',
    'traceLimit',
  ],
  defaults: { invalidation: ['ttl'], warmupMs: 0 },
  offline: true,
  onlyWhenNamed: true,
  needsTrace: true,
  run: runSimulate,
  rowKey: (row) => `${row.invalidation} ttl=${ttlCell(row.ttlMs)}`,
  metrics: [
    { metric: 'hitRatio', unit: 'ratio', worse: 'down' },
    { metric: 'sourceReadsPerSec', unit: 'perSec', worse: 'up' },
    { metric: 'staleReadRatio', unit: 'ratio', worse: 'up' },
  ],
  tables: (section) => [simulateTable(section)],
  schema: z.looseObject({
    rows: z.array(
      z.looseObject({
        ttlMs: z.number().nullable(),
        hitRatio: z.number(),
        sourceReadsPerSec: z.number(),
        staleReadRatio: z.number(),
      }),
    ),
    requestsPerSec: z.number(),
  }),
});

async function runSimulate(ctx: SuiteContext): Promise<SimulateResult> {
  // Production units: the trace's own clock and the TTLs as given.
  const settings = ctx.production;
  const loaded = ctx.trace(ctx.settings);
  if (loaded === undefined) {
    throw new UsageError('simulate needs a trace: expected --trace FILE (csv, twitter or cachebench; plain or .gz)');
  }
  const { trace } = loaded;
  const ttls = settings.ttl ?? logSpacedTtls(trace.durationMs);
  const loadMs = meanLatencyMs(settings.sourceLatency ?? { kind: 'fixed', ms: 0 });
  const rows: SimulateRow[] = [];
  const config = (ttlMs: TtlMs, invalidation: Invalidation) => ({
    ttlMs,
    sliding: settings.slidingTtl,
    invalidation,
    loadMs,
    warmupMs: settings.warmupMs ?? 0,
  });
  // One untimed pass first, so the speed reported is the optimized loop's, not the first call's compile.
  simulate(trace, config(ttls[0] ?? null, 'ttl'));
  let simulatedMs = 0;
  for (const invalidation of settings.invalidation ?? ['ttl']) {
    for (const ttlMs of ttls) {
      const started = performance.now();
      const r = simulate(trace, config(ttlMs, invalidation));
      simulatedMs += performance.now() - started;
      rows.push({
        invalidation,
        ttlMs,
        hitRatio: r.hitRatio,
        sourceReadsPerSec: r.sourceReadsPerSec,
        staleReadRatio: r.staleReadRatio,
      });
    }
  }
  return {
    rows,
    trace: loaded.profile,
    requestsPerSec: simulatedMs > 0 ? (trace.requests * rows.length) / (simulatedMs / 1000) : 0,
    parseLinesPerSec: loaded.readMs > 0 ? trace.lines / (loaded.readMs / 1000) : 0,
    loadMs,
    ttls: settings.ttl === undefined ? 'log-spaced' : 'given',
  };
}

function simulateTable(section: SimulateResult): TableData {
  const several = new Set(section.rows.map((r) => r.invalidation)).size > 1;
  const notes = [
    `trace ${section.trace.file}: ${profileLine(section.trace)}`,
    `trace as synthetic flags: ${section.trace.synthetic}`,
    `TTLs ${section.ttls === 'given' ? 'as given' : 'log-spaced from 100ms to the trace length'}; Δ (miss to store) ${section.loadMs} ms, the mean --source-latency; production units (the trace's clock)`,
    `speed: ${fmtRate(section.requestsPerSec)} simulated requests/s per TTL; trace read at ${fmtRate(section.parseLinesPerSec)} lines/s (measured in this run)`,
  ];
  return {
    title: 'simulate (the trace replayed against an exact model of the service, no Redis; every figure predicted)',
    head: [...(several ? ['invalidation'] : []), 'TTL', 'hit ratio', 'source reads/s', 'stale reads'],
    rows: section.rows.map((r) => [
      ...(several ? [r.invalidation] : []),
      r.ttlMs === 0 ? '0' : formatTtl(r.ttlMs),
      fmtRatio(r.hitRatio),
      fmtRate(r.sourceReadsPerSec),
      fmtPct(r.staleReadRatio),
    ]),
    notes,
  };
}
