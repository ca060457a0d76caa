/**
 * What one option is: declared once (in `options.ts`) with everything the
 * harness derives from it — the flag parser, the scenario schema, `--help`,
 * the `--speedup` conversion, the snapshot's settings and `--rerun`.
 */

/** How `--speedup K` converts a value: rates × K, times ÷ K, TTL lists ÷ K (keeping 0 and none). */
export type SpeedupUnit = 'rate' | 'time' | 'ttls' | 'none';

/**
 * `run`: one value for the whole run (where Redis is, the seed, output).
 * `suite`: resolved per suite, which may have a default of its own; the
 * resolved value is saved in that suite's settings.
 */
export type Scope = 'run' | 'suite';

/** The JSON type of the scenario field; `switch` is a flag without a value (a boolean field). */
export type ValueType = 'number' | 'string' | 'switch' | 'list';

export interface OptionSpec<K extends string = string, T = unknown> {
  readonly key: K;
  /** Flag without `--`; undefined when only a scenario or a snapshot sets it. */
  readonly flag: string | undefined;
  /** Scenario field; the flag in camelCase unless given; false when a scenario cannot set it. */
  readonly field?: string | false;
  readonly type: ValueType;
  /** The flag's value in `--help`, e.g. `D` or `LIST`. */
  readonly metavar?: string;
  parse(label: string, raw: string): T;
  /** The inverse of `parse`: text it reads back to the same value. */
  format(value: T): string;
  /** undefined: no value unless given or set by the suite. */
  readonly default: T | undefined;
  readonly speedup?: SpeedupUnit;
  readonly scope: Scope;
  /** Changes what is measured: `compare` will not judge two runs that differ in it. */
  readonly workload?: boolean;
  readonly help: string;
  readonly example?: string;
  /** The default as `--help` shows it, when that is not `format(default)`. */
  readonly defaultText?: string;
  /** Given, this option clears that one (a flag picks the loop: --rate clears --concurrency). */
  readonly replaces?: string;
}

export function option<K extends string, T>(spec: OptionSpec<K, T>): OptionSpec<K, T> {
  return spec;
}

/** The scenario field of an option, or undefined when a scenario cannot set it. */
export function fieldOf(spec: OptionSpec): string | undefined {
  if (spec.field === false) return undefined;
  return spec.field ?? spec.flag?.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** `--keys` for a flag, `keys` for a field-only option: how messages name it. */
export function displayName(spec: OptionSpec): string {
  return spec.flag === undefined ? (fieldOf(spec) ?? spec.key) : `--${spec.flag}`;
}
