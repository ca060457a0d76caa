/**
 * The snapshot-to-chart mapping: which row fields feed which of the five
 * charts. Everything here reads today's row fields (src/types.ts); the
 * drawing is in ./svg/, which knows nothing of snapshots. A snapshot draws
 * alone, or two draw together for compare (OLD dashed and hollow, NEW solid).
 * Predictions and Redis INFO marks come from the newest run only, so that a
 * compare chart stays readable, and are labelled with the run they belong to.
 */

import { fmtCount, fmtPct, fmtRate, fmtRatio } from '../metrics/format.ts';
import { decodeHistogram, type Histogram } from '../metrics/latencyHistogram.ts';
import type { FreshnessRow } from '../suites/freshness.ts';
import type { StampedeRow } from '../suites/stampede.ts';
import type { TtlSweepRow } from '../suites/ttlSweep.ts';
import {
  barColumn,
  look,
  MEASURED,
  measuredSeries,
  PREDICTED,
  predictedSeries,
  type Run,
  SERVER,
  speedupNote,
  suiteRuns,
  ttlAxis,
  ttlSeries,
  ttlText,
} from './chartParts.ts';
import type { Snapshot } from './snapshotFormat.ts';
import { type BarSeries, barChart } from './svg/barChart.ts';
import { type LineChartSpec, type LineSeries, lineChart, type RefLine } from './svg/lineChart.ts';
import { type PercentileSeries, percentilePlot } from './svg/percentilePlot.ts';
import { NEUTRAL, paletteColor } from './svg/theme.ts';

export interface Chart {
  name: string;
  file: string;
  title: string;
  /** The suite whose rows it draws. */
  suite: string;
  svg: string;
}

/** Every chart there is: its name, file and title; the suite whose rows it draws. */
export const CHARTS = {
  hitRatio: { name: 'hit-ratio', file: 'hit-ratio.svg', title: 'Hit ratio vs TTL', suite: 'ttl-sweep' },
  sourceReads: { name: 'source-reads', file: 'source-reads.svg', title: 'Source reads/s vs TTL', suite: 'ttl-sweep' },
  latency: {
    name: 'latency-percentiles',
    file: 'latency-percentiles.svg',
    title: 'Read latency by percentile, one line per TTL',
    suite: 'ttl-sweep',
  },
  staleReads: {
    name: 'stale-reads',
    file: 'stale-reads.svg',
    title: 'Stale-read ratio vs TTL, one line per invalidation',
    suite: 'freshness',
  },
  loadsPerExpiry: {
    name: 'loads-per-expiry',
    file: 'loads-per-expiry.svg',
    title: 'Source loads per expiry, by stampede strategy',
    suite: 'stampede',
  },
} as const satisfies Record<string, Omit<Chart, 'svg'>>;

const sweepRows = (s: Snapshot) => s.suites['ttl-sweep']?.rows as TtlSweepRow[] | undefined;
const freshRows = (s: Snapshot) => s.suites.freshness?.rows as FreshnessRow[] | undefined;
const herdRows = (s: Snapshot) => s.suites.stampede?.rows as StampedeRow[] | undefined;

type ChartMeta = Omit<Chart, 'svg'>;

/** A line chart over the TTLs of every run's rows, with the speed-up noted when the run was time-scaled. */
function ttlChart(
  meta: ChartMeta,
  data: readonly { run: Run; rows: { ttlMs: number | null }[] }[],
  spec: Omit<LineChartSpec, 'title' | 'x'>,
): Chart {
  const newest = data[data.length - 1];
  const notes = [...(spec.notes ?? []), ...(newest ? speedupNote(newest.run.snapshot) : [])];
  const x = ttlAxis(data.flatMap((d) => d.rows.map((r) => r.ttlMs)));
  return { ...meta, svg: lineChart({ ...spec, title: meta.title, x, notes }) };
}

function hitRatioChart(runs: readonly Run[]): Chart | null {
  const data = suiteRuns(runs, sweepRows);
  const newest = data[data.length - 1];
  if (!newest) return null;
  const ratio = (v: number) => `hit ratio ${fmtRatio(v)}`;
  const { suffix } = look(newest.run.role);
  const series: LineSeries[] = [
    ...measuredSeries(data, (r) => r.hitRatio, ratio, { label: 'measured', color: MEASURED }),
    predictedSeries(newest, (r) => r.predictedHitRatio, ratio, { label: 'predicted (ttl-model.md)', color: PREDICTED }),
    ttlSeries(
      newest.rows,
      (r) => r.serverHitRatio,
      (r, v) => `TTL ${ttlText(r.ttlMs)}: Redis INFO ${fmtRatio(v)}`,
      {
        label: `Redis INFO keyspace hits${suffix}`,
        color: SERVER,
        line: 'none',
        marker: 'square',
        hollow: true,
      },
    ),
  ];
  return ttlChart(CHARTS.hitRatio, data, {
    subtitle: 'each TTL from an empty cache; TTL 0 (no cache) has no hits',
    y: { kind: 'linear', label: 'hit ratio', domain: [0, 1], format: (v) => v.toFixed(1) },
    series,
  });
}

/** The TTL 0 rows of a run: every read goes to the source, a level rather than a point. */
function uncachedRefs(run: Run, rows: readonly TtlSweepRow[]): RefLine[] {
  const { suffix } = look(run.role);
  return rows
    .filter((r) => r.ttlMs === 0)
    .map((r) => ({
      y: r.sourceReadsPerSec,
      label: `uncached (TTL 0)${suffix}: ${fmtRate(r.sourceReadsPerSec)}/s`,
      title: `TTL 0 (no cache)${suffix}: every read goes to the source, ${fmtRate(r.sourceReadsPerSec)} source reads/s`,
      color: NEUTRAL,
      line: run.role === 'new' ? 'solid' : 'dashed',
    }));
}

function sourceReadsChart(runs: readonly Run[]): Chart | null {
  const data = suiteRuns(runs, sweepRows);
  const newest = data[data.length - 1];
  if (!newest) return null;
  const rate = (v: number) => `${fmtRate(v)} source reads/s`;
  const series: LineSeries[] = [
    ...measuredSeries(data, (r) => r.sourceReadsPerSec, rate, { label: 'measured', color: MEASURED }),
    predictedSeries(newest, (r) => r.predictedSourceReadsPerSec, rate, {
      label: 'predicted (ttl-model.md)',
      color: PREDICTED,
    }),
  ];
  return ttlChart(CHARTS.sourceReads, data, {
    subtitle: 'the load left on the database; the line across is the load without a cache',
    y: { kind: 'linear', label: 'source reads/s' },
    series,
    refs: data.flatMap(({ run, rows }) => uncachedRefs(run, rows)),
  });
}

function latencyChart(runs: readonly Run[]): Chart | null {
  const data = suiteRuns(runs, sweepRows);
  if (data.length === 0) return null;
  // One colour per TTL, the same in OLD and NEW, so that a TTL's two runs pair up.
  const ttlKeys = [...new Set(data.flatMap((d) => d.rows.map((r) => ttlText(r.ttlMs))))];
  const series: PercentileSeries[] = [];
  const notes: string[] = [];
  for (const { run, rows } of data) {
    const { line, hollow, suffix } = look(run.role);
    for (const row of rows) {
      const label = `TTL ${ttlText(row.ttlMs)}${suffix}`;
      let histogram: Histogram;
      try {
        histogram = decodeHistogram(row.histogram);
      } catch {
        notes.push(`${label}: the row's histogram could not be decoded, so it is not drawn`);
        continue;
      }
      series.push({ label, color: paletteColor(ttlKeys.indexOf(ttlText(row.ttlMs))), line, hollow, histogram });
    }
  }
  const svg = percentilePlot({
    title: CHARTS.latency.title,
    subtitle: "from each row's HDR histogram of all measured reads",
    series,
    notes,
  });
  return { ...CHARTS.latency, svg };
}

const INVALIDATIONS: readonly FreshnessRow['invalidation'][] = ['ttl', 'delete', 'write-through'];

function staleReadsChart(runs: readonly Run[]): Chart | null {
  const data = suiteRuns(runs, freshRows);
  const newest = data[data.length - 1];
  if (!newest) return null;
  const stale = (v: number) => `${fmtPct(v)} stale reads`;
  const series = INVALIDATIONS.flatMap((inv, i) => {
    const text = { label: inv, color: paletteColor(i), prefix: `${inv}, ` };
    const mine = (rows: FreshnessRow[]) => rows.filter((r) => r.invalidation === inv);
    const measured = data.map((d) => ({ run: d.run, rows: mine(d.rows) })).filter((d) => d.rows.length > 0);
    if (measured.length === 0) return [];
    const predicted = { run: newest.run, rows: mine(newest.rows) };
    return [
      ...measuredSeries(measured, (r) => r.staleReadRatio, stale, text),
      predictedSeries(predicted, (r) => r.predictedStaleReadRatio, stale, { ...text, label: `${inv} predicted` }),
    ];
  });
  const uncached = data.some((d) => d.rows.some((r) => r.ttlMs === 0));
  return ttlChart(CHARTS.staleReads, data, {
    subtitle: 'stale = a hit older than the source row, as a share of all reads',
    y: { kind: 'linear', label: 'stale reads (% of reads)', format: (v) => `${(v * 100).toFixed(0)}%` },
    series,
    notes: uncached ? ['TTL 0 (no cache) rows serve no hits, so no stale reads: not drawn'] : [],
  });
}

function loadsPerExpiryChart(runs: readonly Run[]): Chart | null {
  const data = suiteRuns(runs, herdRows);
  const newest = data[data.length - 1];
  if (!newest) return null;
  const ttls = [...new Set(data.flatMap((d) => d.rows.map((r) => r.ttlMs)))];
  // With one TTL the strategy names a row; with several, the TTL is part of the name.
  const key = (r: StampedeRow) => (ttls.length > 1 ? `${r.strategy} @ ${ttlText(r.ttlMs)}` : r.strategy);
  const categories = [...new Set([...newest.rows, ...data.flatMap((d) => d.rows)].map(key))];
  const series: BarSeries[] = data.map(({ run, rows }) => {
    const { suffix, hollow } = look(run.role);
    const hover = (r: StampedeRow, v: number | null) =>
      `${key(r)}${suffix}: ${v === null ? 'no expiries' : v.toFixed(2)} loads per expiry (${fmtCount(r.loads)} loads, ${fmtCount(r.expiries)} expiries)`;
    return {
      label: `measured${suffix}`,
      color: MEASURED,
      fillOpacity: hollow ? 0.3 : 0.85,
      outline: hollow ? 'dashed' : 'solid',
      ...barColumn(categories, rows, key, (r) => r.loadsPerExpiry, hover),
    };
  });
  const predicted = (r: StampedeRow, v: number | null) =>
    `${key(r)}: ${v === null ? 'no prediction for this strategy' : `predicted ${v.toFixed(2)} loads per expiry`}`;
  series.push({
    label: `predicted${look(newest.run.role).suffix}`,
    color: PREDICTED,
    fillOpacity: 0,
    outline: 'solid',
    ...barColumn(categories, newest.rows, key, (r) => r.predictedLoadsPerExpiry, predicted),
  });
  const ttlNote = ttls.length === 1 ? `TTL ${ttlText(ttls[0] ?? null)}; ` : '';
  const svg = barChart({
    title: CHARTS.loadsPerExpiry.title,
    subtitle: `${ttlNote}1 = each expiry costs one source load; predicted = 1 + λΔ uncoordinated, 1 coordinated`,
    categories,
    xLabel: 'strategy',
    y: { kind: 'linear', label: 'source loads per expiry' },
    series,
  });
  return { ...CHARTS.loadsPerExpiry, svg };
}

const BUILDERS = [hitRatioChart, sourceReadsChart, latencyChart, staleReadsChart, loadsPerExpiryChart];

/** The charts of one snapshot, only for the suites it ran. */
export function snapshotCharts(snapshot: Snapshot): Chart[] {
  return BUILDERS.flatMap((build) => build([{ snapshot, role: 'only' }]) ?? []);
}

/** The same charts with both runs drawn on each: OLD dashed and hollow, NEW solid. */
export function compareCharts(oldSnapshot: Snapshot, newSnapshot: Snapshot): Chart[] {
  const runs: Run[] = [
    { snapshot: oldSnapshot, role: 'old' },
    { snapshot: newSnapshot, role: 'new' },
  ];
  return BUILDERS.flatMap((build) => build(runs) ?? []);
}
