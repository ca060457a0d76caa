/**
 * The tables of a snapshot, each drawn by its suite's own record, in the
 * registry's order, so the terminal, `latest.md` and the HTML report show the
 * same thing. Predicted figures are always labelled as such.
 */
import { SUITES } from '../suites/registry.ts';
import type { TableData } from '../suites/suite.ts';
import type { Snapshot } from './snapshotFormat.ts';

export type { TableData };

export function snapshotTables(snapshot: Snapshot): TableData[] {
  const speedup = Number(snapshot.config.speedup ?? 1);
  return SUITES.flatMap((suite) => {
    const section = snapshot.suites[suite.name];
    return section === undefined ? [] : suite.tables(section as never, { speedup });
  });
}
