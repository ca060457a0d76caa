/**
 * Every option of `npm run bench`, declared once: the run's own
 * (`runOptions.ts`, `scaleOptions.ts`, `memoryOptions.ts`) and the per-suite ones (`suiteOptions.ts`). The flag
 * parser, the scenario schema, `--help`, the `--speedup` conversion, the
 * snapshot's settings and `--rerun` are all derived from this table; a suite
 * declares only which options it uses and its defaults where they differ.
 */
import { MEMORY_OPTIONS } from './memoryOptions.ts';
import type { OptionSpec } from './option.ts';
import { REPEAT_OPTIONS } from './repeatOptions.ts';
import { RUN_OPTIONS } from './runOptions.ts';
import { SCALE_OPTIONS } from './scaleOptions.ts';
import { SUITE_OPTIONS } from './suiteOptions.ts';

export const OPTIONS = [
  ...RUN_OPTIONS,
  ...REPEAT_OPTIONS,
  ...SCALE_OPTIONS,
  ...MEMORY_OPTIONS,
  ...SUITE_OPTIONS,
] as const;

type Spec = (typeof OPTIONS)[number];
export type OptionKey = Spec['key'];
type ValueOf<S> = S extends OptionSpec<string, infer T> ? T : never;

/** Every option's value, resolved: the record a suite runs with and a snapshot saves. */
export type Settings = { [S in Spec as S['key']]: ValueOf<S> | undefined };

/** The options a suite can default and honour. */
export type SuiteOptionKey = (typeof SUITE_OPTIONS)[number]['key'];

/** Looked up by key; typed loosely, for code that walks the table. */
export const OPTION_BY_KEY: ReadonlyMap<string, OptionSpec> = new Map(
  (OPTIONS as readonly OptionSpec[]).map((o) => [o.key, o]),
);

export function specOf(key: OptionKey): OptionSpec {
  return OPTION_BY_KEY.get(key) as OptionSpec;
}

/** Each option's own default (suites may default some their own way). */
export function optionDefaults(): Partial<Settings> {
  const defaults: Record<string, unknown> = {};
  for (const o of OPTIONS as readonly OptionSpec[]) if (o.default !== undefined) defaults[o.key] = o.default;
  return defaults as Partial<Settings>;
}
