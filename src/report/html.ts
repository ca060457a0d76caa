/**
 * `latest.html`: one self-contained page, committed beside the snapshot. It
 * makes no network request at all (inline CSS, system fonts, no script; a
 * Content-Security-Policy of `default-src 'none'` makes sure), inlines the same
 * pre-rendered SVGs as the Markdown links (hover values are their `<title>`
 * elements) and carries the tables as HTML. Deterministic like the charts: no
 * generation date, so re-rendering an unchanged snapshot changes no byte.
 */

import { answerLines } from '../answer/text.ts';
import { type Chart, compareCharts, snapshotCharts } from './charts.ts';
import { type Comparison, formatValue as formatComparisonValue } from './compare.ts';
import { sourceLabel } from './environment.ts';
import type { Snapshot } from './snapshotFormat.ts';
import { escapeXml as esc } from './svg/xml.ts';
import { snapshotTables, type TableData } from './tables.ts';

const CSS = [
  ':root{color-scheme:light dark}',
  'body{margin:0;background:#fff;color:#1f2328;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}',
  'main{max-width:1200px;margin:0 auto;padding:16px 24px 48px}',
  'h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:32px 0 8px;padding-top:8px;border-top:1px solid #d1d9e0}',
  '.meta{color:#59636e;padding-left:18px}.notes{color:#59636e;padding-left:18px}',
  'figure{margin:16px 0}figure svg{max-width:100%;height:auto}',
  'table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums;display:block;overflow-x:auto}',
  'th,td{border:1px solid #d1d9e0;padding:3px 8px;text-align:left;white-space:nowrap}td.num{text-align:right}',
  'th{background:#f6f8fa}tr.regressed td{background:#ffebe9}tr.improved td{background:#dafbe1}',
  '@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}h2{border-color:#3d444d}',
  '.meta,.notes{color:#9198a1}th,td{border-color:#3d444d}th{background:#151b23}',
  'tr.regressed td{background:#3c1618}tr.improved td{background:#0f2d1a}}',
].join('\n');

/** Only inline styles may apply, and nothing may be fetched: a stray URL fails loudly instead of leaking a request. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

function page(title: string, body: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>\n${CSS}\n</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function list(items: readonly string[], cls: string): string {
  return items.length === 0 ? '' : `<ul class="${cls}">${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
}

/** A cell that holds a figure (digits, a dash, a percentage) is right-aligned like a number column. */
function cell(text: string): string {
  return /^[-+−—~]?[\d.,]+(%| ms|\/s| pts)?$|^—$/.test(text)
    ? `<td class="num">${esc(text)}</td>`
    : `<td>${esc(text)}</td>`;
}

export function tableHtml(table: TableData): string {
  const head = `<tr>${table.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const rows = table.rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${rows}\n</tbody>\n</table>\n${list(table.notes, 'notes')}`;
}

function figure(chart: Chart): string {
  return `<figure id="chart-${chart.name}">\n${chart.svg}\n</figure>`;
}

function runFacts(snapshot: Snapshot): string[] {
  const { env } = snapshot;
  return [
    `date: ${snapshot.createdAt}`,
    `status: ${snapshot.status}`,
    `Node ${env.node}, Redis ${env.redis.version} (${env.redis.mode}), source ${sourceLabel(env.source)}`,
    `CPU: ${env.cpu} × ${env.cores}, ${env.os}`,
    `git commit: ${env.gitCommit ?? 'unknown'}`,
    `run time: ${snapshot.durationSec.toFixed(1)} s`,
  ];
}

/**
 * One section per table, its suite's charts under it. A table belongs to the
 * suite its title starts with (`ttl-sweep (every row ...)`); charts of a suite
 * without a table still appear, at the end.
 */
function sections(tables: readonly TableData[], charts: readonly Chart[]): string[] {
  const placed = new Set<Chart>();
  const out = tables.map((table) => {
    const mine = charts.filter((c) => table.title.split(' ')[0] === c.suite);
    for (const c of mine) placed.add(c);
    return [`<section>\n<h2>${esc(table.title)}</h2>`, tableHtml(table), ...mine.map(figure), '</section>'].join('\n');
  });
  const rest = charts.filter((c) => !placed.has(c));
  if (rest.length > 0) out.push(['<section>\n<h2>charts</h2>', ...rest.map(figure), '</section>'].join('\n'));
  return out;
}

/** The report of one snapshot. */
export function renderHtml(snapshot: Snapshot, charts: readonly Chart[] = snapshotCharts(snapshot)): string {
  const title = `cache-aside-bench: ${String(snapshot.config.scenario)}`;
  return page(`${title} (${snapshot.createdAt})`, [
    `<h1>${esc(title)}</h1>`,
    // The answer opens the page as it opens latest.md.
    ...(snapshot.answer ? answerLines(snapshot.answer).map((line) => `<p class="answer">${esc(line)}</p>`) : []),
    list(runFacts(snapshot), 'meta'),
    ...sections(snapshotTables(snapshot), charts),
  ]);
}

function comparisonTable(c: Comparison): string {
  const rows = c.rows.map((r) => {
    const mark = r.regressed ? 'REGRESSED' : r.improved ? 'improved' : '';
    const cells = [r.suite, r.rowKey, r.metric];
    const figures = [formatComparisonValue(r.old, r.unit), formatComparisonValue(r.new, r.unit), r.delta];
    const cls = r.regressed ? ' class="regressed"' : r.improved ? ' class="improved"' : '';
    return `<tr${cls}>${cells.map((t) => `<td>${esc(t)}</td>`).join('')}${figures.map(cell).join('')}<td>${mark}</td></tr>`;
  });
  const head = ['suite', 'row', 'metric', 'old', 'new', 'delta', ''].map((h) => `<th>${h}</th>`).join('');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

/** Two runs of one scenario: both on every chart (OLD dashed, NEW solid), and the comparison table. */
export function renderCompareHtml(oldSnapshot: Snapshot, newSnapshot: Snapshot, comparison: Comparison): string {
  const title = `cache-aside-bench: ${String(newSnapshot.config.scenario)}, OLD vs NEW`;
  const count = comparison.regressions;
  const verdict = `${count === 0 ? 'no regressions' : `${count} regression${count === 1 ? '' : 's'}`} past ${comparison.thresholdPct}%`;
  return page(title, [
    `<h1>${esc(title)}</h1>`,
    `<h2>OLD</h2>\n${list(runFacts(oldSnapshot), 'meta')}`,
    `<h2>NEW</h2>\n${list(runFacts(newSnapshot), 'meta')}`,
    `<h2>${esc(verdict)}</h2>`,
    comparisonTable(comparison),
    list(comparison.notes, 'notes'),
    '<h2>charts (OLD dashed, NEW solid)</h2>',
    ...compareCharts(oldSnapshot, newSnapshot).map(figure),
  ]);
}
