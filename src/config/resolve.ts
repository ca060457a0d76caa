/**
 * Per-suite settings: option defaults < the suite's own defaults < values a
 * `--rerun` pinned for that suite < what the user gave. The result, in
 * production units, is what the suite runs with (after `--speedup`) and what
 * its section of the snapshot records, so a snapshot can be run again as is.
 */
import { UsageError } from '../errors.ts';
import type { BenchRequest } from './args.ts';
import { fieldOf, type OptionSpec } from './option.ts';
import { OPTION_BY_KEY, type OptionKey, optionDefaults, type Settings } from './options.ts';

/** What resolution needs of a suite (its record in the registry). */
export interface SuiteDefaults {
  name: string;
  uses: readonly OptionKey[];
  defaults: Partial<Settings>;
  /** Defaults that depend on other settings (say, a warm-up as long as the longest TTL). */
  derive?(settings: Settings): Partial<Settings>;
}

/**
 * `runDerive`: defaults the run decides for every suite after its own (a real
 * database as the source sets --source-latency to 0); like a suite's derive,
 * it never overrides a value that was pinned or given.
 */
export function resolveSettings(
  suite: SuiteDefaults,
  request: BenchRequest,
  runDerive?: (settings: Settings) => Partial<Settings>,
): Settings {
  const layers = [optionDefaults(), suite.defaults, request.pinned[suite.name] ?? {}, request.given];
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      merged[key] = value;
      // A layer that picks one loop clears the other loop a lower layer picked.
      const replaces = OPTION_BY_KEY.get(key)?.replaces;
      if (replaces !== undefined && (layer as Record<string, unknown>)[replaces] === undefined) delete merged[replaces];
    }
  }
  const settings = merged as Settings;
  // Derived defaults never override a value that was pinned or given; one derived as
  // undefined (present, no value) drops a suite default that does not apply (a trace's duration is its own).
  const fixed = new Set([...Object.keys(request.pinned[suite.name] ?? {}), ...Object.keys(request.given)]);
  // A suite's derived value of undefined (present, no value) drops a default that does not
  // apply there (with a trace, its synthetic workload); the run's derive only sets values.
  const apply = (base: Settings, more: Partial<Settings>, drops: boolean): Settings => {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(more)) {
      if (fixed.has(key) || (value === undefined && !drops)) continue;
      if (value === undefined) delete out[key];
      else out[key] = value;
    }
    return out as Settings;
  };
  const own = apply(settings, suite.derive?.(settings) ?? {}, true);
  return apply(own, runDerive?.(own) ?? {}, false);
}

/** The run's own settings: option defaults < what a `--rerun` pinned for the run < what the user gave. */
export function resolveRun(request: BenchRequest): Settings {
  return resolveSettings({ name: RUN, uses: [], defaults: {} }, request);
}

/** The key under which `BenchRequest.pinned` holds a rerun's run-level settings. */
export const RUN = '(run)';

/** Run-level options a snapshot records in `config` (and `--rerun` reads back): those a scenario can set. */
export function recordRunSettings(settings: Settings): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const spec of OPTION_BY_KEY.values()) {
    if (spec.scope !== 'run' || spec.key === 'suites' || fieldOf(spec) === undefined) continue;
    const value = settings[spec.key as OptionKey];
    if (value !== undefined) record[spec.key] = structuredClone(value);
  }
  return record;
}

/** The settings a suite's snapshot section records: the options it uses, as JSON values. */
export function recordSettings(suite: SuiteDefaults, settings: Settings): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const key of suite.uses) {
    const value = settings[key];
    if (value !== undefined) record[key] = structuredClone(value);
  }
  return record;
}

/**
 * Reads recorded settings back (a snapshot's, for `--rerun`): each value is
 * written with its option's formatter and parsed again, so a hand-edited or
 * foreign snapshot is validated like a flag.
 */
export function readRecordedSettings(record: Record<string, unknown>, where: string): Partial<Settings> {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const spec = OPTION_BY_KEY.get(key) as OptionSpec | undefined;
    if (spec === undefined)
      throw new UsageError(`${where}: unknown setting "${key}": is the snapshot from a newer version?`);
    if (value === null || value === undefined) continue;
    let text: string;
    try {
      text = spec.format(value);
    } catch {
      throw new UsageError(`${where}: setting ${key} is ${JSON.stringify(value)}: not a value this option takes`);
    }
    settings[key] = spec.parse(`${where}: setting ${key}`, text);
  }
  return settings as Partial<Settings>;
}
