/**
 * Side-by-side comparison of two snapshots of the same scenario. Rows are
 * aligned by what identifies them (each suite's `rowKey`: TTL, name,
 * strategy), never by position, so adding a TTL to a sweep does not shift
 * every other row; the figures judged are each suite's `metrics`. Settings
 * that differ are listed first: a workload that changed is not a regression.
 */
import Table from 'cli-table3';
import { answerHeadline } from '../answer/text.ts';
import type { Answer } from '../answer/types.ts';
import { UsageError } from '../errors.ts';
import { SUITES } from '../suites/registry.ts';
import type { MetricRule, MetricUnit, Suite } from '../suites/suite.ts';
import { sourceLabel } from './environment.ts';
import { type SettingDiff, settingDiffs } from './settingsDiff.ts';
import type { Snapshot } from './snapshotFormat.ts';

export interface ComparisonRow {
  suite: string;
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
  /** Settings that differ between the runs, one per line. */
  settings: SettingDiff[];
  /** Things that make the numbers less comparable: a degraded run, an old snapshot. */
  notes: string[];
  /** Set when the two runs answer "which TTL?" differently (not a regression: the trade-off moved). */
  answerChanged: { old: string; new: string } | null;
}

/**
 * The two answers in a few words, when they differ. Figures alone move with
 * noise; what is compared is what a user would do: the TTL and invalidation,
 * or which constraints bind.
 */
export function answerChange(oldAnswer: Answer | undefined, newAnswer: Answer | undefined) {
  const [o, n] = [oldAnswer, newAnswer].map((a) =>
    a ? answerHeadline(a) : 'no answer (snapshot older than the answer)',
  );
  return o === n ? null : { old: o as string, new: n as string };
}

/** Float noise (0.90 - 0.85 = 0.05000000000000004) must not turn "exactly at the threshold" into a regression. */
const EPSILON = 1e-9;

/** Rows by key; a repeated key (the same TTL listed twice) gets `#2` so no row is lost. */
function keyedRows(snap: Snapshot, suite: Suite): Map<string, Record<string, unknown>> {
  const keyed = new Map<string, Record<string, unknown>>();
  for (const row of snap.suites[suite.name]?.rows ?? []) {
    const base = suite.rowKey(row as never);
    let key = base;
    for (let n = 2; keyed.has(key); n++) key = `${base} #${n}`;
    keyed.set(key, row as Record<string, unknown>);
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
  if (r.unit === 'ratio') {
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
  const gates = r.gates !== false;
  return {
    delta,
    regressed: gates && worsening > thresholdPct + EPSILON,
    improved: gates && -worsening > thresholdPct + EPSILON,
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
    if ((snap as { upgradedFrom?: number }).upgradedFrom === 1) {
      notes.push(`${side} is a schemaVersion 1 snapshot: it recorded no per-suite settings, so they are not compared`);
    }
  }
  // A database behind the cache is part of what was measured: a change of source moves every source figure.
  const [oldSource, newSource] = [sourceLabel(oldSnap.env?.source), sourceLabel(newSnap.env?.source)];
  if (oldSource.split(',')[0] !== newSource.split(',')[0]) {
    notes.push(`the runs had different sources (OLD ${oldSource}, NEW ${newSource}): source costs differ by design`);
  }
  return notes;
}

export interface CompareOptions {
  thresholdPct: number;
  /** Judge the figures even when a workload setting differs. */
  allowConfigDiff?: boolean;
}

export function compareSnapshots(oldSnap: Snapshot, newSnap: Snapshot, options: CompareOptions): Comparison {
  const [oldScenario, newScenario] = [oldSnap.config.scenario, newSnap.config.scenario];
  if (oldScenario !== newScenario) {
    throw new UsageError(
      `cannot compare scenario "${String(oldScenario)}" with scenario "${String(newScenario)}"; compare two runs of the same scenario`,
    );
  }
  const settings = settingDiffs(oldSnap, newSnap);
  const changed = settings.filter((d) => d.workload);
  if (changed.length > 0 && !options.allowConfigDiff) {
    const list = changed.map((d) => `${d.where} ${d.name}: ${d.old} → ${d.new}`).join('; ');
    throw new UsageError(
      `the runs measured different workloads (${list}): expected the same settings, or --allow-config-diff to compare anyway`,
    );
  }
  const rows: ComparisonRow[] = [];
  for (const suite of SUITES) {
    const oldRows = keyedRows(oldSnap, suite);
    const newRows = keyedRows(newSnap, suite);
    for (const rowKey of new Set([...oldRows.keys(), ...newRows.keys()])) {
      const oldRow = oldRows.get(rowKey);
      const newRow = newRows.get(rowKey);
      for (const r of suite.metrics) {
        const oldValue = numberOrNull(oldRow?.[r.metric]);
        const newValue = numberOrNull(newRow?.[r.metric]);
        const base = { suite: suite.name, rowKey, metric: r.metric, unit: r.unit, old: oldValue, new: newValue };
        if (!oldRow || !newRow) {
          rows.push({ ...base, delta: oldRow ? 'removed' : 'new row', regressed: false, improved: false });
        } else if (oldValue === null || newValue === null) {
          rows.push({ ...base, delta: 'n/a', regressed: false, improved: false });
        } else {
          rows.push({ ...base, ...judge(r, oldValue, newValue, options.thresholdPct) });
        }
      }
    }
  }
  return {
    thresholdPct: options.thresholdPct,
    rows,
    regressions: rows.filter((row) => row.regressed).length,
    settings,
    notes: comparabilityNotes(oldSnap, newSnap),
    answerChanged: oldSnap.answer || newSnap.answer ? answerChange(oldSnap.answer, newSnap.answer) : null,
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
  const lines = c.settings.map(
    (d) => `setting ${d.where} ${d.name}: ${d.old} → ${d.new}${d.workload ? '' : ' (does not change the workload)'}`,
  );
  lines.push(c.rows.length > 0 ? table.toString() : 'no rows to compare');
  for (const note of c.notes) lines.push(`note: ${note}`);
  if (c.answerChanged) lines.push(`the answer changed: OLD ${c.answerChanged.old} → NEW ${c.answerChanged.new}`);
  const count = c.regressions === 0 ? 'no regressions' : `${c.regressions} regression${c.regressions === 1 ? '' : 's'}`;
  lines.push(`${count} past ${c.thresholdPct}%`);
  return lines.join('\n');
}
