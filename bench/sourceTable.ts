/**
 * The README's side-by-side table of sources, from snapshots of runs with
 * read-path and ttl-sweep (one per source): the source's p50/p99 per read,
 * the break-even source latency, and per ttl-sweep row the source reads/s the
 * client counted beside those the database counted.
 *
 *   npx tsx bench/sourceTable.ts sqlite.json mariadb.json postgres.json
 */
import { readFileSync } from 'node:fs';
import { formatTtl } from '../src/config/duration.ts';
import { fmtMs, fmtRate } from '../src/metrics/format.ts';
import { sourceLabel } from '../src/report/environment.ts';
import type { Snapshot } from '../src/report/snapshotFormat.ts';
import type { ReadPathResult } from '../src/suites/readPath.ts';
import type { TtlSweepResult } from '../src/suites/ttlSweep.ts';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: npx tsx bench/sourceTable.ts SNAPSHOT.json ...\n');
  process.exit(2);
}

const lines = [
  '| source | source latency | read-path source p50 / p99 ms | cache-hit p50 ms | cache-miss p50 ms | break-even latency | ttl-sweep source reads/s, client / server |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
for (const file of files) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const readPath = snapshot.suites['read-path'] as unknown as ReadPathResult & { settings: Record<string, unknown> };
  const sweep = snapshot.suites['ttl-sweep'] as unknown as TtlSweepResult;
  const row = (name: string) => readPath.rows.find((r) => r.name === name);
  const latency = readPath.settings.sourceLatency as { kind: string; ms?: number } | undefined;
  const counts = sweep.rows
    .map((r) => {
      const server = r.serverSourceReadsPerSec ?? null;
      const ttl = r.ttlMs === 0 ? '0' : formatTtl(r.ttlMs);
      return `${ttl}: ${fmtRate(r.sourceReadsPerSec)} / ${server === null ? '—' : fmtRate(server)}`;
    })
    .join('; ');
  const be = readPath.breakEvenSourceLatencyMs;
  lines.push(
    [
      sourceLabel(snapshot.env.source),
      latency?.kind === 'fixed' ? `${latency.ms} ms` : JSON.stringify(latency),
      `${fmtMs(row('source')?.p50Ms ?? null)} / ${fmtMs(row('source')?.p99Ms ?? null)}`,
      fmtMs(row('cache-hit')?.p50Ms ?? null),
      fmtMs(row('cache-miss')?.p50Ms ?? null),
      be === null ? 'none' : `${fmtMs(be)} ms (h ${readPath.breakEvenHitRatio.toFixed(3)})`,
      counts,
    ].join(' | '),
  );
  lines[lines.length - 1] = `| ${lines[lines.length - 1]} |`;
}
process.stdout.write(`${lines.join('\n')}\n`);
