/** The same tables two ways: cli-table3 for the terminal, Markdown for `latest.md`. */
import Table from 'cli-table3';
import { answerLines } from '../answer/text.ts';
import { sourceLabel } from './environment.ts';
import type { Snapshot } from './snapshotFormat.ts';
import type { TableData } from './tables.ts';

export function renderTerminal(tables: TableData[], color: boolean): string {
  return tables
    .map((t) => {
      const table = new Table({ head: t.head, style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] } });
      for (const row of t.rows) table.push(row);
      return [t.title, table.toString(), ...t.notes.map((n) => `  ${n}`)].join('\n');
    })
    .join('\n\n');
}

/** `charts`: a Markdown section of its own (SVG links, or an ASCII chart in a code block), or '' for none. */
export function renderMarkdown(snapshot: Snapshot, tables: TableData[], charts: string): string {
  const { env } = snapshot;
  // The answer opens the report, above the tables: it is what the run was for.
  const answer = snapshot.answer ? answerLines(snapshot.answer).flatMap((line) => [line, '']) : [];
  const header = [
    `# cache-aside-bench: ${String(snapshot.config.scenario)}`,
    '',
    ...answer,
    `- date: ${snapshot.createdAt}`,
    `- status: ${snapshot.status}`,
    `- Node ${env.node}, Redis ${env.redis.version} (${env.redis.mode}), source ${sourceLabel(env.source)}${env.timer ? `, timer ${env.timer}` : ''}`,
    `- CPU: ${env.cpu} × ${env.cores}, ${env.os}`,
    `- git commit: ${env.gitCommit ?? 'unknown'}`,
    `- run time: ${snapshot.durationSec.toFixed(1)} s`,
  ];
  const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|');
  const body = tables.map((t) =>
    [
      `## ${t.title}`,
      '',
      `| ${t.head.map(escapeCell).join(' | ')} |`,
      `|${t.head.map(() => ' --- ').join('|')}|`,
      ...t.rows.map((r) => `| ${r.map(escapeCell).join(' | ')} |`),
      ...(t.notes.length ? ['', ...t.notes.map((n) => `- ${n}`)] : []),
    ].join('\n'),
  );
  return `${[...header, '', ...body.flatMap((b) => [b, '']), charts].join('\n').trimEnd()}\n`;
}

/** The ASCII charts as a Markdown section (when SVG charts are off). */
export function asciiChartSection(ascii: string): string {
  return ascii ? ['## ttl-sweep charts', '', '```', ascii, '```'].join('\n') : '';
}
