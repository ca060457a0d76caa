/**
 * The command line of `npm run bench`: option defaults < scenario file <
 * flags, every value validated here so a bad one fails before anything
 * starts. Flags are tokenized by `node:util`'s parseArgs; the table in
 * `options.ts` says which exist and how each value is read.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';
import { type HelpSuite, helpText } from './help.ts';
import { quote, suggest } from './messages.ts';
import { displayName, type OptionSpec } from './option.ts';
import { OPTIONS, type OptionKey, type Settings } from './options.ts';
import { loadScenario } from './scenario.ts';

/** What a run was asked to do, before per-suite defaults are applied. */
export interface BenchRequest {
  /** Values given: scenario fields, then flags over them, in production units. */
  given: Partial<Settings>;
  /** Options given as flags (not by the scenario): a flag no selected suite uses gets a note. */
  flags: OptionKey[];
  /** Per-suite values pinned by `--rerun` (a snapshot's settings); `given` still overrides them. */
  pinned: Record<string, Partial<Settings>>;
  scenario: { name: string; description: string };
  /** Suites to run, in the registry's order. */
  suites: string[];
  /** Whether suites were named on the command line. */
  suitesGiven: boolean;
  /** Every suite's name, in the registry's order (also those a run without names leaves out). */
  known: string[];
  quiet: boolean;
}

export type ParsedArgs = { kind: 'help'; text: string } | { kind: 'run'; request: BenchRequest };

const WITH_FLAG = (OPTIONS as readonly OptionSpec[]).filter((o) => o.flag !== undefined);
const BY_FLAG = new Map(WITH_FLAG.map((o) => [o.flag as string, o]));

/**
 * `suites` is the registry (names, summaries, defaults), passed in so the
 * parser knows the suites without loading them. `stdoutIsTTY` and `cwd` are
 * parameters so tests can pin them.
 */
export function parseBenchArgs(
  argv: string[],
  env: NodeJS.ProcessEnv,
  suites: readonly HelpSuite[],
  stdoutIsTTY: boolean = process.stdout.isTTY === true,
  cwd: string = process.cwd(),
): ParsedArgs {
  const end = argv.indexOf('--');
  if ((end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h')) {
    return { kind: 'help', text: helpText(suites) };
  }
  const { values, positionals } = tokenize(argv);
  if (values.has('rate') && values.has('concurrency')) {
    throw new UsageError(
      `--rate ${quote(values.get('rate') ?? '')} and --concurrency ${quote(values.get('concurrency') ?? '')} are both given: expected one of them (--rate for an open loop, --concurrency for a closed loop)`,
    );
  }
  if (values.has('rerun') && values.has('scenario')) {
    throw new UsageError(
      '--rerun and --scenario are both given: expected one of them (a rerun takes its settings from the snapshot)',
    );
  }
  // A rerun takes its settings from the snapshot (applyRerun), not from a scenario file.
  const scenario = values.has('rerun')
    ? { name: 'rerun', description: '', values: {} }
    : loadScenario(values.get('scenario') ?? 'default', cwd);
  const given: Record<string, unknown> = { ...scenario.values };
  const flags: OptionKey[] = [];
  for (const [flag, raw] of values) {
    const spec = BY_FLAG.get(flag) as OptionSpec;
    given[spec.key] = spec.parse(`--${flag}`, raw);
    // A flag picks the loop: it replaces the scenario's choice of the other one.
    if (spec.replaces !== undefined) delete given[spec.replaces];
    flags.push(spec.key as OptionKey);
  }
  const names = suites.map((s) => s.name);
  const byDefault = suites.filter((s) => s.onlyWhenNamed !== true).map((s) => s.name);
  const chosen =
    positionals.length > 0
      ? checkSuites(positionals, names, '', byDefault)
      : checkSuites(
          (scenario.values as { suites?: string[] }).suites ?? [],
          names,
          `scenario ${scenario.name}.json: field suites: `,
          byDefault,
        );
  given.suites = chosen;
  const quiet = given.quiet === true || (env.CI ?? '') !== '' || !stdoutIsTTY;
  return {
    kind: 'run',
    request: {
      given: given as Partial<Settings>,
      flags,
      pinned: {},
      scenario: { name: scenario.name, description: scenario.description },
      suites: chosen,
      suitesGiven: positionals.length > 0,
      known: names,
      quiet,
    },
  };
}

/** Positional suite names (or a scenario's `suites`) in the registry's order; none means `byDefault` (all unless given). */
export function checkSuites(
  given: readonly string[],
  names: readonly string[],
  prefix: string,
  byDefault: readonly string[] = names,
): string[] {
  const expected = `expected one of ${names.join(', ')}`;
  const seen = new Set<string>();
  for (const name of given) {
    if (!names.includes(name)) {
      const hint = suggest(name, names);
      const mean = hint === undefined ? '' : `did you mean ${hint}? `;
      throw new UsageError(`${prefix}unknown suite ${quote(name)}: ${mean}${expected}`);
    }
    if (seen.has(name)) throw new UsageError(`${prefix}suite ${quote(name)} is given twice: ${expected}, once each`);
    seen.add(name);
  }
  return seen.size === 0 ? [...byDefault] : names.filter((n) => seen.has(n));
}

interface Tokens {
  /** Flag (without `--`) → its text; a switch's text is `true`. */
  values: Map<string, string>;
  positionals: string[];
}

function tokenize(argv: string[]): Tokens {
  const options = Object.fromEntries(
    WITH_FLAG.map((o) => [
      o.flag as string,
      { type: o.type === 'switch' ? ('boolean' as const) : ('string' as const) },
    ]),
  );
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const result: Tokens = { values: new Map(), positionals: [] };
  for (const token of tokens) {
    if (token.kind === 'positional') result.positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = BY_FLAG.get(token.name);
    if (spec === undefined || !token.rawName.startsWith('--')) throw unknownOption(token.rawName);
    const written = token.rawName;
    const value = readValue(spec, written, token.value, token.inlineValue === true);
    const previous = result.values.get(token.name);
    if (previous !== undefined) {
      throw spec.type === 'switch'
        ? new UsageError(`${written} is given twice: expected it once`)
        : new UsageError(`${written} is given twice (${quote(previous)} and ${quote(value)}): expected it once`);
    }
    result.values.set(token.name, value);
  }
  return result;
}

function readValue(spec: OptionSpec, written: string, value: string | undefined, inline: boolean): string {
  if (spec.type === 'switch') {
    if (value !== undefined)
      throw new UsageError(`${written} ${quote(value)}: expected ${written} alone, it takes no value`);
    return 'true';
  }
  // parseArgs takes the next word as the value even when it is the next flag.
  if (value === undefined || (!inline && value.startsWith('--'))) {
    throw new UsageError(
      `${written} needs a value: expected ${written} ${spec.metavar ?? 'VALUE'}, e.g. ${written} ${spec.example ?? ''}`.trimEnd(),
    );
  }
  return value;
}

function unknownOption(written: string): UsageError {
  const shown = /^-{1,2}[\w-]*$/.test(written) ? written : quote(written);
  const hint = suggest(
    written.replace(/^-+/, ''),
    WITH_FLAG.map((o) => o.flag as string),
  );
  const tail = hint === undefined ? 'see --help for the options' : `did you mean --${hint}?`;
  return new UsageError(`unknown option ${shown}: ${tail}`);
}

/** The one-line note for flags that none of the selected suites uses. */
export function unusedFlagsNote(request: BenchRequest, uses: (suite: string) => readonly string[]): string | undefined {
  const used = new Set(request.suites.flatMap(uses));
  const unused = request.flags.filter((key) => {
    const spec = OPTIONS.find((o) => o.key === key) as OptionSpec;
    return spec.scope === 'suite' && !used.has(key);
  });
  if (unused.length === 0) return undefined;
  const names = unused.map((key) => displayName(OPTIONS.find((o) => o.key === key) as OptionSpec)).join(', ');
  return `note: ${names} ${unused.length === 1 ? 'is' : 'are'} not used by the selected suites (${request.suites.join(', ')}); ignored`;
}
