/**
 * compare's decision on one figure of one row, old side against new:
 *
 * - both sides with `--repeat` passes (2 or more): Mann–Whitney U over the
 *   passes, the Hodges–Lehmann shift interval, and, as the issue asks, the
 *   two sides' own 95% intervals not overlapping also counts as significant;
 * - otherwise, a figure built from counts (hit and stale ratios, loads per
 *   expiry, source reads/s): the exact count tests, with each side's counts
 *   summed over its passes;
 * - otherwise (a latency percentile or ops/s from one run): not judged, since
 *   one run has no spread to judge it by, unless `--judge-single` asks for the
 *   old rule (the change against the threshold alone).
 *
 * A p99 of a row that was harness-bound on either side (over 1% of sends
 * more than 5 ms late, or the harness on a whole core) is not judged either,
 * unless `--judge-harness-bound`: it measures how busy the machine was. On
 * this project's shared 2-core VM such rows' p99 moved by +744% and −96%
 * between two runs of the same code five minutes apart.
 *
 * A verdict is `regressed` or `improved` only when the change is significant
 * and beyond the threshold (verdict.ts).
 */
import { clopperPearson, garwood, loadsPerExpiryInterval } from '../metrics/counts.ts';
import type { Interval } from '../metrics/sample.ts';
import { judgeChange, type VerdictInput, type VerdictLabel } from '../metrics/verdict.ts';
import type { FigureSummary } from '../suites/repeats.ts';
import type { FigureCounts, MetricRule } from '../suites/suite.ts';

type Row = Record<string, unknown>;

/** One side of a figure: its value (the median over passes), and what it rests on. */
export interface Side {
  value: number | null;
  /** Its own interval: the passes' (median ± order statistics) or the single run's exact count interval. */
  interval: Interval | null;
  passes: number;
}

export interface Judgement {
  /** null: not judged, `reason` says why. */
  verdict: VerdictLabel | null;
  reason?: string;
  /** Change from old to new in `unit`, with its 95% interval. */
  delta: number | null;
  unit: 'points' | 'percent';
  interval: Interval | null;
  pValue: number | null;
  method: string;
  old: Side;
  new: Side;
}

export interface JudgeOptions {
  threshold: number;
  alpha?: number;
  judgeSingle?: boolean;
  /** Judge tail latencies of harness-bound rows too. */
  judgeHarnessBound?: boolean;
}

/** A row's passes of a figure: its `repeats` when it has them, else its one value. */
function passValues(row: Row, metric: string): number[] {
  const repeats = (row.repeats as Record<string, (number | null)[]> | undefined)?.[metric];
  if (repeats) return repeats.filter((v): v is number => typeof v === 'number');
  const value = row[metric];
  return typeof value === 'number' ? [value] : [];
}

/** The row of each pass, rebuilt from `repeats` (top-level figures), to sum counts over passes. */
function passRows(row: Row): Row[] {
  const repeats = row.repeats as Record<string, (number | null)[]> | undefined;
  if (!repeats) return [row];
  const n = Math.max(0, ...Object.values(repeats).map((v) => v.length));
  return Array.from({ length: n }, (_, i) => {
    const pass: Row = { ...row };
    for (const [field, values] of Object.entries(repeats)) if (!field.includes('.')) pass[field] = values[i] ?? null;
    return pass;
  });
}

/** The figure's counts summed over the row's passes; null when any pass lacks them. */
export function summedCounts(rule: MetricRule, row: Row): FigureCounts | null {
  if (!rule.counts) return null;
  const all = passRows(row).map((pass) => rule.counts?.(pass) ?? null);
  if (all.length === 0 || all.some((c) => c === null)) return null;
  const [first, ...rest] = all as FigureCounts[];
  const sum = { ...(first as FigureCounts) };
  for (const c of rest) {
    if (sum.kind === 'proportion' && c.kind === 'proportion') {
      sum.events += c.events;
      sum.trials += c.trials;
    } else if (sum.kind === 'loadsPerExpiry' && c.kind === 'loadsPerExpiry') {
      sum.loads += c.loads;
      sum.expiries += c.expiries;
    } else if (sum.kind === 'rate' && c.kind === 'rate') {
      sum.count += c.count;
      sum.exposure += c.exposure;
    } else throw new Error(`counts of one figure changed kind: ${sum.kind} and ${c.kind}`);
  }
  return sum;
}

/** The exact interval of a single run's counts, in the figure's own units. */
export function countsInterval(c: FigureCounts): Interval {
  switch (c.kind) {
    case 'proportion':
      return clopperPearson(c.events, c.trials);
    case 'loadsPerExpiry':
      return loadsPerExpiryInterval(c.loads, c.expiries);
    case 'rate': {
      const g = garwood(c.count);
      return { lower: g.lower / c.exposure, upper: g.upper / c.exposure };
    }
  }
}

function side(rule: MetricRule, row: Row, counts: FigureCounts | null): Side {
  const values = passValues(row, rule.metric);
  const summary = (row.summary as Record<string, FigureSummary> | undefined)?.[rule.metric];
  const value = summary?.median ?? values[0] ?? null;
  if (values.length > 1 && summary) return { value, interval: summary, passes: values.length };
  return { value, interval: counts && values.length === 1 ? countsInterval(counts) : null, passes: values.length };
}

function countInput(a: FigureCounts, b: FigureCounts): VerdictInput | null {
  if (a.kind === 'proportion' && b.kind === 'proportion') return { kind: 'proportion', a, b };
  if (a.kind === 'loadsPerExpiry' && b.kind === 'loadsPerExpiry') return { kind: 'loadsPerExpiry', a, b };
  if (a.kind === 'rate' && b.kind === 'rate') return { kind: 'rate', a, b };
  return null;
}

/** The row, or any of its passes, was paced by the harness rather than by Redis or the source. */
export function harnessBound(row: Row): boolean {
  const passes = row.harnessBoundPasses;
  if (typeof passes === 'number') return passes > 0;
  return (row.harness as { bottleneck?: string | null } | undefined)?.bottleneck != null;
}

/** Both sides' intervals cover at least 95% (enough passes) and do not overlap. */
function disjoint(a: Row, b: Row, metric: string): boolean {
  const sa = (a.summary as Record<string, FigureSummary> | undefined)?.[metric];
  const sb = (b.summary as Record<string, FigureSummary> | undefined)?.[metric];
  if (!sa || !sb || sa.coverage < 0.95 || sb.coverage < 0.95) return false;
  return sa.upper < sb.lower || sb.upper < sa.lower;
}

export function judgeFigure(rule: MetricRule, oldRow: Row, newRow: Row, options: JudgeOptions): Judgement {
  const [ca, cb] = [summedCounts(rule, oldRow), summedCounts(rule, newRow)];
  const old = side(rule, oldRow, ca);
  const now = side(rule, newRow, cb);
  const unit = rule.unit === 'ratio' ? 'points' : 'percent';
  const base = { old, new: now, unit, delta: null, interval: null, pValue: null } as const;
  if (old.value === null || now.value === null) return { ...base, verdict: null, reason: 'n/a', method: '' };
  if (rule.gates === false) return { ...base, verdict: null, reason: 'shown only (not gated)', method: '' };
  if (rule.harnessSensitive && !options.judgeHarnessBound && (harnessBound(oldRow) || harnessBound(newRow))) {
    return { ...base, verdict: null, reason: 'harness-bound: not judged', method: '' };
  }
  const verdictOptions = { threshold: options.threshold, worse: rule.worse, alpha: options.alpha };
  let input: VerdictInput | null = null;
  if (old.passes > 1 && now.passes > 1) {
    input = { kind: 'samples', change: unit, a: passValues(oldRow, rule.metric), b: passValues(newRow, rule.metric) };
  } else if (ca && cb) input = countInput(ca, cb);
  if (input) {
    const v = judgeChange(input, { ...verdictOptions, disjoint: disjoint(oldRow, newRow, rule.metric) });
    return { ...v, old, new: now };
  }
  if (!options.judgeSingle) return { ...base, verdict: null, reason: 'single run: not judged', method: '' };
  return thresholdOnly(rule, old, now, options.threshold);
}

/** `--judge-single`: the change against the threshold alone, as compare did before it had statistics. */
function thresholdOnly(rule: MetricRule, old: Side, now: Side, threshold: number): Judgement {
  const [a, b] = [old.value as number, now.value as number];
  const unit = rule.unit === 'ratio' ? 'points' : 'percent';
  const delta =
    unit === 'points'
      ? (b - a) * 100
      : a === 0
        ? b === 0
          ? 0
          : Math.sign(b) * Infinity
        : ((b - a) / Math.abs(a)) * 100;
  const worsening = rule.worse === 'up' ? delta : -delta;
  const EPSILON = 1e-9;
  const verdict: VerdictLabel =
    worsening > threshold + EPSILON ? 'regressed' : -worsening > threshold + EPSILON ? 'improved' : '~';
  return {
    verdict,
    delta,
    unit,
    interval: null,
    pValue: null,
    method: 'threshold only (--judge-single)',
    old,
    new: now,
  };
}
