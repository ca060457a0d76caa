/**
 * The tables of a snapshot, each drawn by its suite's own record, in the
 * registry's order, so the terminal, `latest.md` and the HTML report show the
 * same thing. Predicted figures are always labelled as such.
 */
import { orderStatisticRanks } from '../metrics/sample.ts';
import { SUITES } from '../suites/registry.ts';
import type { TableData } from '../suites/suite.ts';
import { sourceLabel } from './environment.ts';
import type { Snapshot } from './snapshotFormat.ts';

export type { TableData };

export function snapshotTables(snapshot: Snapshot): TableData[] {
  const speedup = Number(snapshot.config.speedup ?? 1);
  // Every figure depends on the database behind the cache: each table says which it was.
  const source = `source: ${sourceLabel(snapshot.env?.source)}`;
  return SUITES.flatMap((suite) => {
    const section = snapshot.suites[suite.name];
    if (section === undefined) return [];
    const tables = suite.tables(section as never, { speedup });
    const passes = Number((section as { passes?: number }).passes ?? 1);
    return passes > 1 ? tables.map((t) => ({ ...t, notes: [...t.notes, repeatsNote(passes)] })) : tables;
  }).map((table) => ({ ...table, title: `${table.title} — ${source}` }));
}

/** What `median ± half` means, with the coverage the order statistics really reach for N passes. */
function repeatsNote(passes: number): string {
  const { lowerRank, upperRank, coverage } = orderStatisticRanks(passes);
  const ends = lowerRank === 1 && upperRank === passes ? 'min to max' : `the ${lowerRank}th to ${upperRank}th smallest`;
  return `--repeat ${passes}: each measured figure is the median of ${passes} passes (rows in alternating order) ± half its interval, ${ends} of the passes (order statistics, ${(coverage * 100).toFixed(1)}% coverage); every pass is in the snapshot`;
}
