/**
 * `npm run bench -- --calibrate`: how far this machine's passes of the same
 * configuration wander apart, figure by figure, so that compare's
 * `--threshold` can be chosen from data rather than guessed. The spread is
 * the range of the passes (max − min) over their median, in percent, and in
 * percentage points for ratios: the units `--threshold` is read in.
 */
import { SUITES } from '../suites/registry.ts';
import { keyedRows } from '../suites/repeats.ts';
import type { MetricRule, TableData } from '../suites/suite.ts';
import { formatValue } from './compareRender.ts';
import type { Snapshot } from './snapshotFormat.ts';

export interface Spread {
  suite: string;
  rowKey: string;
  metric: string;
  unit: 'points' | 'percent';
  median: number;
  min: number;
  max: number;
  /** max − min, in points for ratios, else in percent of the median (null when the median is 0). */
  spread: number | null;
  passes: number;
}

/** Each gating figure's spread over the snapshot's passes (needs `--repeat` 2 or more). */
export function spreads(snapshot: Snapshot): Spread[] {
  const out: Spread[] = [];
  for (const suite of SUITES) {
    const rows = keyedRows(suite, snapshot.suites[suite.name]?.rows ?? []);
    for (const [rowKey, row] of rows) {
      for (const rule of suite.metrics.filter((r) => r.gates !== false)) {
        const values = ((row.repeats as Record<string, (number | null)[]> | undefined)?.[rule.metric] ?? []).filter(
          (v): v is number => typeof v === 'number',
        );
        if (values.length < 2) continue;
        out.push(spreadOf(suite.name, rowKey, rule, values));
      }
    }
  }
  return out;
}

function spreadOf(suite: string, rowKey: string, rule: MetricRule, values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  const median = ((sorted[Math.floor(mid)] as number) + (sorted[Math.ceil(mid)] as number)) / 2;
  const [min, max] = [sorted[0] as number, sorted[sorted.length - 1] as number];
  const unit = rule.unit === 'ratio' ? 'points' : 'percent';
  const spread = unit === 'points' ? (max - min) * 100 : median === 0 ? null : ((max - min) / Math.abs(median)) * 100;
  return { suite, rowKey, metric: rule.metric, unit, median, min, max, spread, passes: values.length };
}

const ruleOf = (s: Spread) =>
  SUITES.find((suite) => suite.name === s.suite)?.metrics.find((r) => r.metric === s.metric) as MetricRule;

export function calibrationTable(snapshot: Snapshot): TableData {
  const all = spreads(snapshot);
  const fmt = (s: Spread, v: number) => formatValue(v, ruleOf(s).unit);
  const widest = (unit: Spread['unit']) =>
    all.filter((s) => s.unit === unit && s.spread !== null).sort((a, b) => (b.spread ?? 0) - (a.spread ?? 0))[0];
  const notes: string[] = [];
  const pct = widest('percent');
  const pts = widest('points');
  if (pct) notes.push(`widest in percent: ${pct.suite} ${pct.rowKey} ${pct.metric}, ${pct.spread?.toFixed(1)}%`);
  if (pts) notes.push(`widest in points: ${pts.suite} ${pts.rowKey} ${pts.metric}, ${pts.spread?.toFixed(2)} pts`);
  notes.push(
    "compare calls a change only when it is significant and beyond --threshold: a threshold above a figure's spread keeps this machine's noise from failing CI even when another run's passes all land on one side",
  );
  return {
    title: `calibration: run-to-run spread of every judged figure over ${all[0]?.passes ?? 0} passes on this machine`,
    head: ['suite', 'row', 'figure', 'median', 'min', 'max', 'spread (max − min)'],
    rows: all.map((s) => [
      s.suite,
      s.rowKey,
      s.metric,
      fmt(s, s.median),
      fmt(s, s.min),
      fmt(s, s.max),
      s.spread === null ? '—' : s.unit === 'points' ? `${s.spread.toFixed(2)} pts` : `${s.spread.toFixed(1)}%`,
    ]),
    notes,
  };
}
