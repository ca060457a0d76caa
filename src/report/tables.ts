/**
 * The tables of a snapshot, each drawn by its suite's own record, in the
 * registry's order, so the terminal, `latest.md` and the HTML report show the
 * same thing. Predicted figures are always labelled as such.
 */
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
    return section === undefined ? [] : suite.tables(section as never, { speedup });
  }).map((table) => ({ ...table, title: `${table.title} — ${source}` }));
}
