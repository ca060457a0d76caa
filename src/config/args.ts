/**
 * The command line of `npm run bench`: defaults < scenario file < flags,
 * every value validated here so a bad one fails before anything starts.
 */
import { UsageError } from '../errors.ts';
import { helpText, OPTIONS, type OptionHelp } from './help.ts';
import { applyRules } from './optionRules.ts';
import { parseRedisUrl } from './redisTarget.ts';
import { loadScenario } from './scenario.ts';
import { type BenchOptions, SUITE_NAMES } from './types.ts';
import { parseSuites, quote, suggest } from './values.ts';

export type ParsedArgs = { kind: 'help'; text: string } | { kind: 'run'; options: BenchOptions };

/** Same as DEFAULT_COMMAND_TIMEOUT_MS in src/redis/connection.ts, not imported so parsing flags does not load node-redis. */
const DEFAULT_REDIS_TIMEOUT_MS = 500;

/** Everything but `quiet`, which depends on the terminal. */
export function defaultOptions(): Omit<BenchOptions, 'quiet'> {
  return {
    suites: [...SUITE_NAMES],
    redisUrl: undefined,
    scenario: 'default',
    scenarioDescription: undefined,
    keys: 10_000,
    dist: { kind: 'zipf', s: 0.99 },
    writeDist: undefined,
    ttl: undefined,
    rate: undefined,
    concurrency: undefined,
    durationMs: undefined,
    warmupMs: undefined,
    sourceLatency: undefined,
    writeRate: undefined,
    invalidation: undefined,
    stampede: undefined,
    slidingTtl: false,
    ttlJitterPct: 0,
    maxStalePct: undefined,
    speedup: 1,
    seed: 1,
    redisTimeoutMs: DEFAULT_REDIS_TIMEOUT_MS,
    json: undefined,
    out: 'results',
    save: true,
  };
}

/**
 * `stdoutIsTTY` and `cwd` are parameters so tests can pin them; the CLI
 * passes nothing and gets the real terminal and working directory.
 */
export function parseBenchArgs(
  argv: string[],
  env: NodeJS.ProcessEnv,
  stdoutIsTTY: boolean = process.stdout.isTTY === true,
  cwd: string = process.cwd(),
): ParsedArgs {
  const end = argv.indexOf('--');
  if ((end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h')) {
    return { kind: 'help', text: helpText() };
  }
  const { values, switches, positionals } = tokenize(argv);
  const rate = values.get('rate');
  const concurrency = values.get('concurrency');
  if (rate !== undefined && concurrency !== undefined) {
    throw new UsageError(
      `--rate ${quote(rate)} and --concurrency ${quote(concurrency)} are both given: expected one of them (--rate for an open loop, --concurrency for a closed loop)`,
    );
  }

  const scenario = loadScenario(values.get('scenario') ?? 'default', cwd);
  const o: BenchOptions = {
    ...defaultOptions(),
    ...scenario.overrides,
    scenario: scenario.name,
    scenarioDescription: scenario.description,
    quiet: switches.has('quiet') || (env.CI ?? '') !== '' || !stdoutIsTTY,
  };
  const flag = <T>(name: string, parse: (label: string, raw: string) => T): T | undefined => {
    const raw = values.get(name);
    return raw === undefined ? undefined : parse(`--${name}`, raw);
  };

  // Validated now so a bad URL fails before anything starts; kept raw for resolveRedisTarget.
  const redisUrl = values.get('redis-url');
  if (redisUrl !== undefined) o.redisUrl = parseRedisUrl(redisUrl, '--redis-url').url;
  if (positionals.length > 0) o.suites = parseSuites(positionals);
  applyRules(
    o,
    (r) => (r.flag === undefined ? undefined : values.get(r.flag)),
    (r) => `--${r.flag}`,
  );
  // A flag picks the loop: it replaces the scenario's choice of the other one.
  if (rate !== undefined) o.concurrency = undefined;
  if (concurrency !== undefined) o.rate = undefined;
  o.json = flag('json', (l, r) => path(l, r, 'a file path such as run.json')) ?? o.json;
  o.out = flag('out', (l, r) => path(l, r, 'a directory such as results')) ?? o.out;
  if (switches.has('no-save')) o.save = false;
  return { kind: 'run', options: o };
}

function path(label: string, raw: string, expected: string): string {
  if (raw.trim() === '') throw new UsageError(`${label} ${quote(raw)}: expected ${expected}`);
  return raw;
}

const BY_NAME = new Map<string, OptionHelp>(OPTIONS.map((o) => [o.name, o]));

interface Tokens {
  values: Map<string, string>;
  switches: Set<string>;
  positionals: string[];
}

function tokenize(argv: readonly string[]): Tokens {
  const tokens: Tokens = { values: new Map(), switches: new Set(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      tokens.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      tokens.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const written = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const spec = written.startsWith('--') ? BY_NAME.get(written.slice(2)) : undefined;
    if (spec === undefined) throw unknownOption(written);
    if (spec.value === undefined) {
      if (inline !== undefined)
        throw new UsageError(`${written} ${quote(inline)}: expected ${written} alone, it takes no value`);
      if (tokens.switches.has(spec.name)) throw new UsageError(`${written} is given twice: expected it once`);
      tokens.switches.add(spec.name);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(
          `${written} needs a value: expected ${written} ${spec.value}, e.g. ${written} ${spec.example}`,
        );
      }
      value = next;
      i++;
    }
    const previous = tokens.values.get(spec.name);
    if (previous !== undefined) {
      throw new UsageError(`${written} is given twice (${quote(previous)} and ${quote(value)}): expected it once`);
    }
    tokens.values.set(spec.name, value);
  }
  return tokens;
}

function unknownOption(written: string): UsageError {
  const shown = /^-{1,2}[\w-]*$/.test(written) ? written : quote(written);
  const hint = suggest(
    written.replace(/^-+/, ''),
    OPTIONS.map((o) => o.name),
  );
  const tail = hint === undefined ? 'see --help for the options' : `did you mean --${hint}?`;
  return new UsageError(`unknown option ${shown}: ${tail}`);
}
