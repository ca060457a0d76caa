/**
 * `npm run report -- SNAPSHOT.json [--out FILE]`: the self-contained HTML
 * report of any snapshot, and its charts as SVG files beside it. Everything is
 * rendered before the first write; each file is written atomically. Exit 2
 * for bad arguments or an unreadable snapshot, with one line on stderr.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { exitCodeOf, formatError, UsageError } from '../src/errors.ts';
import { writeChartFiles } from '../src/report/chartFiles.ts';
import { snapshotCharts } from '../src/report/charts.ts';
import { renderHtml } from '../src/report/html.ts';
import { parseReportArgs } from '../src/report/reportArgs.ts';
import { readSnapshot, writeFileAtomic } from '../src/report/snapshotFile.ts';

const USAGE = `usage: npm run report -- SNAPSHOT.json [--out FILE]

Writes the snapshot's report as one self-contained HTML file (charts, values
on hover, tables; no network requests) and its charts as SVG files beside it.

Options:
  --out FILE   the HTML file (default: the snapshot's path with .html).
               Charts are written beside it as NAME.hit-ratio.svg, ...; for
               an --out named latest.html as hit-ratio.svg, ..., the names
               latest.md links to
  -h, --help   this text

Exit codes: 0 written, 1 a file could not be written, 2 invalid arguments or snapshot.`;

async function refuseDirectory(out: string): Promise<void> {
  const existing = await stat(out).catch(() => undefined);
  if (out.endsWith('/') || existing?.isDirectory()) {
    throw new UsageError(`--out ${out} is a directory; expected an HTML file path, e.g. ${join(out, 'report.html')}`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseReportArgs(argv);
  if (args.help || args.snapshot === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const out = args.out ?? join(dirname(args.snapshot), `${basename(args.snapshot, extname(args.snapshot))}.html`);
  await refuseDirectory(out);
  const snapshot = await readSnapshot(args.snapshot);

  const started = performance.now();
  const charts = snapshotCharts(snapshot);
  const renderMs = performance.now() - started;
  const html = renderHtml(snapshot, charts);

  const stem = basename(out, extname(out));
  const files = await writeChartFiles(charts, dirname(out), stem === 'latest' ? '' : `${stem}.`);
  await writeFileAtomic(out, html);
  const kb = (Buffer.byteLength(html) / 1024).toFixed(1);
  process.stdout.write(
    `wrote ${out} (${kb} KB) and ${files.length} charts beside it: ${files.join(', ')} ` +
      `(charts rendered in ${renderMs.toFixed(0)} ms)\n`,
  );
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${formatError(error)}\n`);
  process.exitCode = exitCodeOf(error);
}
