/**
 * One record per suite: everything the harness needs to know about a suite
 * is here, so adding a suite is one new file plus one line in `registry.ts`.
 * Help, settings resolution, the run order, compare, the tables and snapshot
 * validation all read these records.
 */
import type { z } from 'zod';
import type { Settings, SuiteOptionKey } from '../config/options.ts';
import type { SuiteContext } from './context.ts';

/** A table as plain data, so the terminal, Markdown and HTML show the same thing. */
export interface TableData {
  title: string;
  head: string[];
  rows: string[][];
  notes: string[];
}

export type MetricUnit = 'ratio' | 'ms' | 'perSec' | 'count';

/** How `compare` judges one figure of a suite's rows. */
export interface MetricRule {
  metric: string;
  unit: MetricUnit;
  /** Which way is worse. Ratios move in percentage points, everything else in percent. */
  worse: 'up' | 'down';
  /** Shown only: mean and p50 of read-path move with p99; gating on all three would count one slowdown thrice. */
  gates?: boolean;
}

/** What the tables need besides the suite's own section. */
export interface TableView {
  /** `--speedup` of the run: tables show production units beside run units. */
  speedup: number;
}

export interface Suite<R extends { rows: readonly object[] } = { rows: readonly object[] }> {
  name: string;
  /** One line for `--help`. */
  summary: string;
  /** The per-suite options it honours (a flag for any other gets a note). */
  uses: readonly SuiteOptionKey[];
  /** Left out of a run that names no suites (its rows are long, or it needs its own server). */
  onlyWhenNamed?: boolean;
  /** Why it runs only on the throwaway redis-server; a run given a user's Redis then refuses it (exit 2). */
  throwawayOnly?: string;
  /** Its defaults where they differ from the options' own. */
  defaults: Partial<Settings>;
  /** Defaults that depend on other settings, e.g. a warm-up as long as the longest TTL. */
  derive?(settings: Settings): Partial<Settings>;
  /** Runs without Redis or the source (the lab is not there): a run of only such suites starts neither. */
  offline?: boolean;
  /** Refuses to run without --trace (checked before anything starts). */
  needsTrace?: boolean;
  /** It updates source rows: refused on the user's own table (--source-query is read-only). */
  writesSource?: boolean;
  run(ctx: SuiteContext): Promise<R>;
  /** What identifies a row across two snapshots (compare aligns rows by it, never by position). */
  rowKey(row: R['rows'][number]): string;
  metrics: readonly MetricRule[];
  tables(section: R & { settings: Partial<Settings> }, view: TableView): TableData[];
  /** Validates the suite's section of a snapshot when it is read back. */
  schema: z.ZodType;
}

/** Erases a suite's result type, for lists of suites (the registry). */
export function defineSuite<R extends { rows: readonly object[] }>(suite: Suite<R>): Suite {
  return suite as unknown as Suite;
}
