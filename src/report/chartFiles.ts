/**
 * Chart files beside a report: the SVGs written atomically, and the Markdown
 * lines that show them (GitHub renders an SVG linked as an image).
 */
import { join } from 'node:path';
import { CHARTS, type Chart, snapshotCharts } from './charts.ts';
import { writeFileAtomic } from './snapshotFile.ts';
import type { Snapshot } from './snapshotFormat.ts';

/** Writes each chart as `<prefix><chart.file>` in `dir`; returns the file names written, in chart order. */
export async function writeChartFiles(charts: readonly Chart[], dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const chart of charts) {
    const file = `${prefix}${chart.file}`;
    await writeFileAtomic(join(dir, file), chart.svg);
    files.push(file);
  }
  return files;
}

/** The snapshot's charts (only for the suites it ran) as SVG files in `dir`; returns their file names. */
export function writeCharts(snapshot: Snapshot, dir: string, prefix = ''): Promise<string[]> {
  return writeChartFiles(snapshotCharts(snapshot), dir, prefix);
}

const TITLES = new Map<string, string>(Object.values(CHARTS).map((c) => [c.file, c.title]));

/** Markdown image lines for chart files in the Markdown file's own directory, one paragraph each. */
export function renderChartLinks(files: readonly string[]): string {
  return files
    .map((file) => {
      const known = [...TITLES.keys()].find((name) => file.endsWith(name));
      const alt = (known && TITLES.get(known)) ?? file;
      return `![${alt.replace(/[[\]]/g, '')}](${encodeURI(file)})`;
    })
    .join('\n\n');
}

/** The Markdown section that shows the charts written beside `latest.md`, and points at the HTML report. */
export function chartSection(files: readonly string[], html: string | undefined): string {
  if (files.length === 0) return '';
  const page =
    html === undefined ? [] : ['', `The same charts with hover values, and the tables: [${html}](${encodeURI(html)}).`];
  return ['## Charts', '', renderChartLinks(files), ...page].join('\n');
}
