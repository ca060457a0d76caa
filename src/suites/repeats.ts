/**
 * `--repeat N`: one suite's N passes folded into one section. Each row keeps
 * every pass's figures (`repeats`, by field path) and, per figure, the
 * median with its 95% interval (`summary`); the row's own fields become the
 * medians, so tables, advice and the next suites read the typical pass.
 *
 * The interval is the exact order-statistic interval of the median
 * (sample.ts), not the bootstrap: it is distribution-free for any N, where
 * the bootstrap of 5 values under-covers. Its price is honesty about small
 * N: with 5 passes the widest interval, min to max, covers 93.75%, and the
 * summary records that coverage.
 */
import { type Interval, median, orderStatisticInterval } from '../metrics/sample.ts';
import type { Suite } from './suite.ts';

export interface FigureSummary extends Interval {
  median: number;
  /** How many passes had the figure (a pass can lack it: no expiries, no hits). */
  n: number;
  /** What the interval covers for a continuous figure: below 0.95 when n is too small for 95%. */
  coverage: number;
}

export interface RepeatedFields {
  /** Every pass's value, by field path (`p99Ms`, `service.p99Ms`); null where a pass had none. */
  repeats: Record<string, (number | null)[]>;
  summary: Record<string, FigureSummary>;
}

type Plain = Record<string, unknown>;

/** The summary of one figure's passes, or null when no pass had it. */
export function summarizeRepeats(values: readonly (number | null)[]): FigureSummary | null {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (present.length === 0) return null;
  const { lower, upper, coverage } = orderStatisticInterval(present);
  return { median: median(present), lower, upper, n: present.length, coverage };
}

/**
 * The passes of one suite as one section: pass 0 is the template (rows in
 * the plan's order), rows of the other passes are found by the suite's row
 * key, never by position, since odd passes ran in reverse.
 */
export function mergeRepeats(suite: Suite, passes: readonly { rows: readonly object[] }[]): object {
  const [first, ...rest] = passes;
  if (first === undefined) throw new Error('mergeRepeats needs at least one pass');
  if (rest.length === 0) return first;
  const keyed = passes.map((pass) => keyedRows(suite, pass.rows));
  const template = keyed[0] as Map<string, Plain>;
  const rows = [...template.keys()].map((key) => {
    const records = keyed.map((k) => k.get(key));
    return { ...mergeRecords(records), harnessBoundPasses: records.filter(harnessBound).length };
  });
  const section = mergeRecords(passes as unknown as Plain[], new Set(['rows']));
  return { ...section, rows, passes: passes.length };
}

/** Rows by key; a repeated key (the same TTL listed twice) gets `#2`, as compare does. */
export function keyedRows(suite: Suite, rows: readonly object[]): Map<string, Plain> {
  const keyed = new Map<string, Plain>();
  for (const row of rows) {
    const base = suite.rowKey(row as never);
    let key = base;
    for (let n = 2; keyed.has(key); n++) key = `${base} #${n}`;
    keyed.set(key, row as Plain);
  }
  return keyed;
}

/**
 * The first record with every numeric leaf replaced by its median over the
 * records, plus `repeats` and `summary`. Single-run intervals (`…Interval`)
 * are dropped: they describe one pass, and `summary` has the passes' own.
 */
function mergeRecords(records: readonly (Plain | undefined)[], skip = new Set<string>()): Plain & RepeatedFields {
  const template = records[0] as Plain;
  const repeats: RepeatedFields['repeats'] = {};
  const summary: RepeatedFields['summary'] = {};
  const visit = (node: Plain, path: string[]): Plain => {
    const out: Plain = {};
    for (const [field, value] of Object.entries(node)) {
      const at = [...path, field];
      if (path.length === 0 && skip.has(field)) continue;
      if (field.endsWith('Interval')) out[field] = null;
      else if (typeof value === 'number' || value === null) out[field] = numericLeaf(at, value);
      else if (isPlain(value)) out[field] = visit(value, at);
      else out[field] = value;
    }
    return out;
  };
  const numericLeaf = (at: string[], value: number | null) => {
    const values = records.map((r) => leaf(r, at));
    // A field that is null on every pass is not a figure (a TTL of none, say): left as it is.
    if (value === null && values.every((v) => v === null)) return null;
    const name = at.join('.');
    repeats[name] = values;
    const s = summarizeRepeats(values);
    if (s === null) return value;
    summary[name] = s;
    return s.median;
  };
  return { ...visit(template, []), repeats, summary };
}

/** A pass of a row whose harness, not Redis or the source, set the pace (metrics/harness.ts). */
function harnessBound(record: Plain | undefined): boolean {
  const harness = record?.harness;
  return isPlain(harness) && harness.bottleneck != null;
}

function leaf(record: Plain | undefined, path: readonly string[]): number | null {
  let node: unknown = record;
  for (const field of path) node = isPlain(node) ? node[field] : undefined;
  return typeof node === 'number' ? node : null;
}

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
