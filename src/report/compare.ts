/**
 * Side-by-side comparison of two snapshots of the same scenario. Rows are
 * aligned by what identifies them (TTL, name, strategy), never by position,
 * so adding a TTL to a sweep does not shift every other row.
 */
import Table from 'cli-table3';
import { SUITE_NAMES, type SuiteName } from '../config/types.ts';
import { UsageError } from '../errors.ts';
import type { Snapshot, SuiteResults } from '../types.ts';

export type MetricUnit = 'ratio' | 'ms' | 'perSec' | 'count';

export interface ComparisonRow {
  suite: SuiteName;
  rowKey: string;
  metric: string;
  unit: MetricUnit;
  old: number | null;
  new: number | null;
  delta: string;
  regressed: boolean;
  improved: boolean;
}

export interface Comparison {
  thresholdPct: number;
  rows: ComparisonRow[];
  regressions: number;
  /** Things that make the numbers less comparable: a degraded run, a changed option. */
  notes: string[];
}

export interface MetricRule {
  suite: SuiteName;
  metric: string;
  unit: MetricUnit;
  /** Ratios move in percentage points (90% → 85% is 5 points); everything else in percent of the old value. */
  change: 'points' | 'percent';
  worse: 'up' | 'down';
  /** Shown only: mean and p50 of read-path move with p99, gating on all three would count one slowdown thrice. */
  gates: boolean;
}

const rule = (suite: SuiteName, metric: string, unit: MetricUnit, worse: 'up' | 'down', gates = true): MetricRule => ({
  suite,
  metric,
  unit,
  change: unit === 'ratio' ? 'points' : 'percent',
  worse,
  gates,
});

export const METRIC_RULES: readonly MetricRule[] = [
  rule('read-path', 'meanMs', 'ms', 'up', false),
  rule('read-path', 'p50Ms', 'ms', 'up', false),
  rule('read-path', 'p99Ms', 'ms', 'up'),
  rule('read-path', 'opsPerSec', 'perSec', 'down'),
  rule('ttl-sweep', 'hitRatio', 'ratio', 'down'),
  rule('ttl-sweep', 'p99Ms', 'ms', 'up'),
  rule('ttl-sweep', 'sourceReadsPerSec', 'perSec', 'up'),
  rule('freshness', 'hitRatio', 'ratio', 'down'),
  rule('freshness', 'staleReadRatio', 'ratio', 'up'),
  rule('freshness', 'p99Ms', 'ms', 'up'),
  rule('stampede', 'loadsPerExpiry', 'count', 'up'),
  rule('stampede', 'hitRatio', 'ratio', 'down'),
  rule('stampede', 'p99Ms', 'ms', 'up'),
];

/** Options that say where output goes, not what was measured. */
const OUTPUT_OPTIONS = new Set(['json', 'out', 'save', 'quiet']);

/** Float noise (0.90 - 0.85 = 0.05000000000000004) must not turn "exactly at the threshold" into a regression. */
const EPSILON = 1e-9;

function formatMs(ms: number): string {
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function ttlLabel(ttlMs: number | null): string {
  if (ttlMs === null) return 'ttl=none';
  return ttlMs === 0 ? 'ttl=0 (no cache)' : `ttl=${formatMs(ttlMs)}`;
}

type RowOf<S extends SuiteName> = NonNullable<SuiteResults[S]>['rows'][number];

const ROW_KEYS: { [S in SuiteName]: (row: RowOf<S>) => string } = {
  'read-path': (row) => row.name,
  'ttl-sweep': (row) => ttlLabel(row.ttlMs),
  freshness: (row) => `${row.invalidation} ${ttlLabel(row.ttlMs)}`,
  stampede: (row) => `${row.strategy} ${ttlLabel(row.ttlMs)}`,
};

/** Rows by key; a repeated key (the same TTL listed twice) gets `#2` so no row is lost. */
function keyedRows<S extends SuiteName>(snap: Snapshot, suite: S): Map<string, Record<string, unknown>> {
  const rows = (snap.suites[suite]?.rows ?? []) as RowOf<S>[];
  const keyed = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const base = ROW_KEYS[suite](row);
    let key = base;
    for (let n = 2; keyed.has(key); n++) key = `${base} #${n}`;
    keyed.set(key, row as unknown as Record<string, unknown>);
  }
  return keyed;
}

function signed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? `+${(0).toFixed(digits)}` : value > 0 ? `+${text}` : text;
}

function judge(r: MetricRule, oldValue: number, newValue: number, thresholdPct: number) {
  let change: number;
  let delta: string;
  if (r.change === 'points') {
    change = (newValue - oldValue) * 100;
    delta = `${signed(change, 1)} pts`;
  } else if (oldValue === 0) {
    // No percentage of zero: any rise from 0 counts as past every threshold.
    change = newValue === 0 ? 0 : Math.sign(newValue) * Number.POSITIVE_INFINITY;
    delta = newValue === 0 ? '+0.0%' : 'up from 0';
  } else {
    change = ((newValue - oldValue) / Math.abs(oldValue)) * 100;
    delta = `${signed(change, 1)}%`;
  }
  const worsening = r.worse === 'up' ? change : -change;
  return {
    delta,
    regressed: r.gates && worsening > thresholdPct + EPSILON,
    improved: r.gates && -worsening > thresholdPct + EPSILON,
  };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function comparabilityNotes(oldSnap: Snapshot, newSnap: Snapshot): string[] {
  const notes: string[] = [];
  for (const [side, snap] of [
    ['OLD', oldSnap],
    ['NEW', newSnap],
  ] as const) {
    if (snap.status !== 'complete') notes.push(`${side} run is ${snap.status}; its figures may not be representative`);
  }
  const keys = new Set([...Object.keys(oldSnap.config), ...Object.keys(newSnap.config)]);
  const changed = [...keys].filter(
    (k) => !OUTPUT_OPTIONS.has(k) && JSON.stringify(oldSnap.config[k]) !== JSON.stringify(newSnap.config[k]),
  );
  if (changed.length > 0) notes.push(`options differ between the runs: ${changed.join(', ')}`);
  return notes;
}

export function compareSnapshots(oldSnap: Snapshot, newSnap: Snapshot, thresholdPct: number): Comparison {
  if (oldSnap.schemaVersion !== newSnap.schemaVersion) {
    throw new UsageError(
      `cannot compare schemaVersion ${oldSnap.schemaVersion} with schemaVersion ${newSnap.schemaVersion}; rerun the old benchmark with this version`,
    );
  }
  const [oldScenario, newScenario] = [oldSnap.config.scenario, newSnap.config.scenario];
  if (oldScenario !== newScenario) {
    throw new UsageError(
      `cannot compare scenario "${String(oldScenario)}" with scenario "${String(newScenario)}"; compare two runs of the same scenario`,
    );
  }

  const rows: ComparisonRow[] = [];
  for (const suite of SUITE_NAMES) {
    const rules = METRIC_RULES.filter((r) => r.suite === suite);
    const oldRows = keyedRows(oldSnap, suite);
    const newRows = keyedRows(newSnap, suite);
    for (const rowKey of new Set([...oldRows.keys(), ...newRows.keys()])) {
      const oldRow = oldRows.get(rowKey);
      const newRow = newRows.get(rowKey);
      for (const r of rules) {
        const oldValue = numberOrNull(oldRow?.[r.metric]);
        const newValue = numberOrNull(newRow?.[r.metric]);
        const base = { suite, rowKey, metric: r.metric, unit: r.unit, old: oldValue, new: newValue };
        if (!oldRow || !newRow) {
          rows.push({ ...base, delta: oldRow ? 'removed' : 'new row', regressed: false, improved: false });
        } else if (oldValue === null || newValue === null) {
          rows.push({ ...base, delta: 'n/a', regressed: false, improved: false });
        } else {
          rows.push({ ...base, ...judge(r, oldValue, newValue, thresholdPct) });
        }
      }
    }
  }
  return {
    thresholdPct,
    rows,
    regressions: rows.filter((row) => row.regressed).length,
    notes: comparabilityNotes(oldSnap, newSnap),
  };
}

export function formatValue(value: number | null, unit: MetricUnit): string {
  if (value === null) return '-';
  switch (unit) {
    case 'ratio':
      return `${(value * 100).toFixed(1)}%`;
    case 'ms':
      return `${value.toFixed(value < 10 ? 3 : 1)} ms`;
    case 'perSec':
      return value < 10 ? `${value.toFixed(2)}/s` : `${Math.round(value).toLocaleString('en-US')}/s`;
    case 'count':
      return value.toFixed(2);
  }
}

export function renderComparison(c: Comparison): string {
  // No colours: the output lands in CI logs and pull-request comments.
  const table = new Table({
    head: ['suite', 'row', 'metric', 'old', 'new', 'delta', ''],
    colAligns: ['left', 'left', 'left', 'right', 'right', 'right', 'left'],
    style: { head: [], border: [], compact: true },
  });
  for (const row of c.rows) {
    const mark = row.regressed ? 'REGRESSED' : row.improved ? 'improved' : '';
    table.push([
      row.suite,
      row.rowKey,
      row.metric,
      formatValue(row.old, row.unit),
      formatValue(row.new, row.unit),
      row.delta,
      mark,
    ]);
  }
  const lines = [c.rows.length > 0 ? table.toString() : 'no rows to compare'];
  for (const note of c.notes) lines.push(`note: ${note}`);
  const count = c.regressions === 0 ? 'no regressions' : `${c.regressions} regression${c.regressions === 1 ? '' : 's'}`;
  lines.push(`${count} past ${c.thresholdPct}%`);
  return lines.join('\n');
}
