/**
 * Every suite, in the order a run runs them (ttl-sweep first, so that
 * read-path's break-even can use its measured hit ratio). To add a suite,
 * write its record in a file of its own and add it here: help, settings,
 * the run, compare, the tables and snapshot validation all follow.
 */
import { capacity } from './capacity.ts';
import { freshness } from './freshness.ts';
import { readPath } from './readPath.ts';
import { simulateSuite } from './simulate.ts';
import { stampede } from './stampede.ts';
import type { Suite } from './suite.ts';
import { ttlSweep } from './ttlSweep.ts';

export const SUITES: readonly Suite[] = [ttlSweep, readPath, freshness, stampede, capacity, simulateSuite];

export function suiteNamed(name: string): Suite | undefined {
  return SUITES.find((s) => s.name === name);
}
