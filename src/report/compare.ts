/**
 * Side-by-side comparison of two snapshots of the same scenario. Rows are
 * aligned by what identifies them (each suite's `rowKey`: TTL, name,
 * strategy), never by position, so adding a TTL to a sweep does not shift
 * every other row; the figures judged are each suite's `metrics`, each by
 * judge.ts (statistics over `--repeat` passes, exact count tests for one
 * run). Settings that differ are listed first: a workload that changed is
 * not a regression. The text and Markdown forms are in compareRender.ts.
 */
import { answerHeadline } from '../answer/text.ts';
import type { Answer } from '../answer/types.ts';
import { UsageError } from '../errors.ts';
import { SUITES } from '../suites/registry.ts';
import { keyedRows } from '../suites/repeats.ts';
import type { MetricRule, MetricUnit, Suite } from '../suites/suite.ts';
import { sourceLabel } from './environment.ts';
import { harnessBound, type Judgement, judgeFigure } from './judge.ts';
import { type SettingDiff, settingDiffs } from './settingsDiff.ts';
import type { Snapshot } from './snapshotFormat.ts';

export interface ComparisonRow extends Judgement {
  suite: string;
  rowKey: string;
  metric: string;
  label: string;
  unitOfValue: MetricUnit;
  /** Convenience for callers and tests: `verdict` is regressed / improved. */
  regressed: boolean;
  improved: boolean;
}

export interface Comparison {
  threshold: number;
  alpha: number;
  rows: ComparisonRow[];
  regressions: number;
  improvements: number;
  unchanged: number;
  notJudged: number;
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
    const rows = Object.values(snap.suites).flatMap((s) => s.rows as Record<string, unknown>[]);
    const bound = rows.filter(harnessBound).length;
    if (bound > 0) {
      notes.push(
        `${side}: ${bound} of ${rows.length} rows were harness-bound (the machine, not Redis, set the pace): their latencies measure this machine`,
      );
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
  /** The smallest change that counts: percent, or percentage points for ratios. */
  threshold: number;
  /** Significance level (default 0.05). */
  alpha?: number;
  /** Judge the figures even when a workload setting differs. */
  allowConfigDiff?: boolean;
  /** Judge single-run latencies and ops/s by the threshold alone. */
  judgeSingle?: boolean;
  /** Judge the p99 of rows whose harness set the pace. */
  judgeHarnessBound?: boolean;
}

const ORDER: Record<string, number> = { regressed: 0, improved: 1, '~': 2 };

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
  const rows = SUITES.flatMap((suite) => suiteRows(suite, oldSnap, newSnap, options));
  // Regressions first, then improvements, unchanged, and what was not judged; stable within each.
  rows.sort((a, b) => (ORDER[a.verdict ?? ''] ?? 3) - (ORDER[b.verdict ?? ''] ?? 3));
  const count = (v: string) => rows.filter((r) => r.verdict === v).length;
  return {
    threshold: options.threshold,
    alpha: options.alpha ?? 0.05,
    rows,
    regressions: count('regressed'),
    improvements: count('improved'),
    unchanged: count('~'),
    notJudged: rows.filter((r) => r.verdict === null).length,
    settings,
    notes: comparabilityNotes(oldSnap, newSnap),
    answerChanged: oldSnap.answer || newSnap.answer ? answerChange(oldSnap.answer, newSnap.answer) : null,
  };
}

function suiteRows(suite: Suite, oldSnap: Snapshot, newSnap: Snapshot, options: CompareOptions): ComparisonRow[] {
  const oldRows = keyedRows(suite, oldSnap.suites[suite.name]?.rows ?? []);
  const newRows = keyedRows(suite, newSnap.suites[suite.name]?.rows ?? []);
  const rows: ComparisonRow[] = [];
  for (const rowKey of new Set([...oldRows.keys(), ...newRows.keys()])) {
    const oldRow = oldRows.get(rowKey);
    const newRow = newRows.get(rowKey);
    for (const rule of suite.metrics) {
      const judged: Judgement =
        oldRow && newRow
          ? judgeFigure(rule, oldRow, newRow, options)
          : missingRow(rule, oldRow ?? newRow, oldRow ? 'removed' : 'new row', Boolean(oldRow));
      rows.push({
        ...judged,
        suite: suite.name,
        rowKey,
        metric: rule.metric,
        label: rule.label ?? rule.metric,
        unitOfValue: rule.unit,
        regressed: judged.verdict === 'regressed',
        improved: judged.verdict === 'improved',
      });
    }
  }
  return rows;
}

/** A row only one snapshot has: shown, never judged. */
function missingRow(rule: MetricRule, row: Record<string, unknown> | undefined, reason: string, isOld: boolean) {
  const value = typeof row?.[rule.metric] === 'number' ? (row?.[rule.metric] as number) : null;
  const present = { value, interval: null, passes: 1 };
  const absent = { value: null, interval: null, passes: 0 };
  return {
    verdict: null,
    reason,
    delta: null,
    unit: rule.unit === 'ratio' ? ('points' as const) : ('percent' as const),
    interval: null,
    pValue: null,
    method: '',
    old: isOld ? present : absent,
    new: isOld ? absent : present,
  };
}
