/**
 * compare's output: one line per figure, regressions first, then
 * improvements, unchanged (`~`) and what was not judged, and a summary line
 * ("2 regressed, 1 improved, 37 unchanged (~)"). The same cells feed the
 * terminal table, the Markdown for a CI job summary (`--md`) and the HTML
 * report. No colours: the output lands in CI logs and pull-request comments.
 */
import Table from 'cli-table3';
import { fmtPlusMinus, fmtWithInterval } from '../metrics/intervalFormat.ts';
import type { Interval } from '../metrics/sample.ts';
import type { MetricUnit } from '../suites/suite.ts';
import type { Comparison, ComparisonRow } from './compare.ts';
import type { Side } from './judge.ts';

export const COMPARISON_HEAD = ['verdict', 'suite', 'row', 'figure', 'old', 'new', 'change [95% interval]', 'p'];

export function formatValue(value: number | null, unit: MetricUnit): string {
  if (value === null) return '-';
  switch (unit) {
    case 'ratio': {
      const pct = value * 100;
      // Stale ratios live below one percent: keep their digits.
      return `${pct.toFixed(Math.abs(pct) < 1 && pct !== 0 ? 3 : 1)}%`;
    }
    case 'ms':
      return `${value.toFixed(Math.abs(value) < 10 ? 3 : 1)} ms`;
    case 'perSec':
      return value < 10 ? `${value.toFixed(2)}/s` : `${Math.round(value).toLocaleString('en-US')}/s`;
    case 'count':
      return value.toFixed(2);
  }
}

/** A side's value: `median ± half` over passes, `value [lower, upper]` for one run's counts, else the value. */
function sideCell(s: Side, unit: MetricUnit): string {
  const format = (v: number) => formatValue(v, unit);
  if (s.value === null) return '-';
  if (s.interval === null) return format(s.value);
  return s.passes > 1 ? fmtPlusMinus(s.value, s.interval, format) : fmtWithInterval(s.value, s.interval, format);
}

function signed(value: number, digits: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+∞';
  if (value === Number.NEGATIVE_INFINITY) return '−∞';
  const text = value.toFixed(digits);
  return Number(text) === 0 ? `+${(0).toFixed(digits)}` : value > 0 ? `+${text}` : text;
}

function changeCell(r: ComparisonRow): string {
  if (r.verdict === null || r.delta === null) return r.reason ?? '';
  if (r.old.value === 0 && r.unit === 'percent' && r.new.value !== 0) return 'up from 0';
  const suffix = r.unit === 'points' ? ' pts' : '%';
  const at = (i: Interval) => ` [${signed(i.lower, 1)}, ${signed(i.upper, 1)}]`;
  return `${signed(r.delta, 1)}${suffix}${r.interval ? at(r.interval) : ''}`;
}

function pCell(p: number | null): string {
  if (p === null) return '';
  return p < 0.001 ? 'p<0.001' : `p=${p.toFixed(3)}`;
}

/** The cells of one line, in `COMPARISON_HEAD`'s order. */
export function comparisonCells(r: ComparisonRow): string[] {
  return [
    r.verdict ?? '',
    r.suite,
    r.rowKey,
    r.label,
    sideCell(r.old, r.unitOfValue),
    sideCell(r.new, r.unitOfValue),
    changeCell(r),
    pCell(r.pValue),
  ];
}

/** "2 regressed, 1 improved, 37 unchanged (~)", then what was not judged and the rule. */
export function summaryLine(c: Comparison): string {
  const counts = `${c.regressions} regressed, ${c.improvements} improved, ${c.unchanged} unchanged (~)`;
  const skipped = c.notJudged > 0 ? `; ${c.notJudged} not judged` : '';
  return `${counts}${skipped} — a change counts when significant (p < ${c.alpha}) and beyond ${c.threshold}% (points for ratios)`;
}

function settingLines(c: Comparison): string[] {
  return c.settings.map(
    (d) => `setting ${d.where} ${d.name}: ${d.old} → ${d.new}${d.workload ? '' : ' (does not change the workload)'}`,
  );
}

/** Not a regression: the trade-off moved, and the TTL a user would pick with it. */
function answerLine(a: { old: string; new: string }): string {
  return `the answer changed: OLD ${a.old} → NEW ${a.new}`;
}

/** Which tests gave the p-values, once each. */
function methods(c: Comparison): string[] {
  const used = [...new Set(c.rows.map((r) => r.method).filter((m) => m !== ''))];
  return used.length > 0 ? [`tests: ${used.join('; ')}`] : [];
}

export function renderComparison(c: Comparison): string {
  const table = new Table({
    head: COMPARISON_HEAD,
    colAligns: ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [], compact: true },
  });
  for (const row of c.rows) table.push(comparisonCells(row));
  const lines = settingLines(c);
  lines.push(c.rows.length > 0 ? table.toString() : 'no rows to compare');
  for (const note of [...c.notes, ...methods(c)]) lines.push(`note: ${note}`);
  if (c.answerChanged) lines.push(answerLine(c.answerChanged));
  lines.push(summaryLine(c));
  return lines.join('\n');
}

/** For `--md`: a CI job summary (GitHub's $GITHUB_STEP_SUMMARY takes Markdown). */
export function renderComparisonMarkdown(c: Comparison): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const lines = [`**${summaryLine(c)}**`, ''];
  for (const line of settingLines(c)) lines.push(`- ${cell(line)}`);
  if (c.settings.length > 0) lines.push('');
  if (c.rows.length > 0) {
    lines.push(`| ${COMPARISON_HEAD.join(' | ')} |`, `|${COMPARISON_HEAD.map(() => ' --- |').join('')}`);
    for (const row of c.rows) lines.push(`| ${comparisonCells(row).map(cell).join(' | ')} |`);
  } else lines.push('no rows to compare');
  const notes = [...c.notes, ...methods(c)];
  if (notes.length > 0) lines.push('', ...notes.map((n) => `- ${cell(n)}`));
  if (c.answerChanged) lines.push('', answerLine(c.answerChanged));
  return lines.join('\n');
}
