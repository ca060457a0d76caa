/**
 * `--help`, derived from the option table and the suites' own records: each
 * option with its real default per suite, so the help cannot drift from what
 * runs.
 */
import { displayName, type OptionSpec } from './option.ts';
import { OPTIONS, type OptionKey, type Settings } from './options.ts';
import { listScenarios } from './scenario.ts';

/** What the help needs of a suite: the registry passes its records in. */
export interface HelpSuite {
  name: string;
  summary: string;
  uses: readonly OptionKey[];
  defaults: Partial<Settings>;
  /** Left out of a run that names no suites (a long or special-purpose suite). */
  onlyWhenNamed?: boolean;
}

const ENVIRONMENT: readonly [string, string][] = [
  ['REDIS_URL', 'Redis to use when --redis-url is not given'],
  ['REDIS_HOST, REDIS_PORT, REDIS_DB', 'Redis to use when neither URL is given'],
  ['REDIS_USERNAME, REDIS_PASSWORD', 'credentials for REDIS_HOST (never printed)'],
  ['REDIS_TLS', 'true to connect to REDIS_HOST with TLS'],
  ['SOURCE_URL', 'the source database when --source is not given (password never printed)'],
  ['CI', 'when set, same as --quiet'],
  ['DEBUG', 'when set, errors print their stack trace'],
];

const WIDTH = 100;

function defaultRun(suites: readonly HelpSuite[]): string {
  const named = suites.filter((s) => s.onlyWhenNamed === true).map((s) => s.name);
  if (named.length === 0) return `With no SUITE, runs all ${suites.length}.`;
  return `With no SUITE, runs all ${suites.length - named.length} but ${named.join(', ')} (run only when named).`;
}

/** Rows of cells in aligned columns; the last cell wraps at WIDTH, continuing under itself. */
function columns(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows.flatMap((row) => {
    const lead =
      indent +
      row
        .slice(0, -1)
        .map((cell, i) => `${cell.padEnd(widths[i] ?? 0)}  `)
        .join('');
    return wrap(row[row.length - 1] ?? '', Math.max(30, WIDTH - lead.length))
      .map((line, i) => (i === 0 ? lead : ' '.repeat(lead.length)) + line)
      .map((line) => line.trimEnd());
  });
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/** `10000`, or per suite where they differ: `ttl-sweep 0,100ms,2s,none; stampede 250ms`. */
export function defaultText(o: OptionSpec, suites: readonly HelpSuite[]): string {
  const own = (value: unknown) => (value === undefined ? (o.defaultText ?? '-') : o.format(value));
  if (o.scope === 'run') return o.defaultText ?? own(o.default);
  const bySuite = new Map<string, string[]>();
  for (const s of suites.filter((s) => s.uses.includes(o.key as OptionKey))) {
    const text = own(s.defaults[o.key as OptionKey] ?? o.default);
    bySuite.set(text, [...(bySuite.get(text) ?? []), s.name]);
  }
  if (bySuite.size === 0) return own(o.default);
  if (bySuite.size === 1) return [...bySuite.keys()][0] as string;
  return [...bySuite].map(([text, names]) => `${names.join(', ')} ${text}`).join('; ');
}

export function helpText(suites: readonly HelpSuite[]): string {
  // Two lines per option keep the text inside 100 columns.
  const flagged = (OPTIONS as readonly OptionSpec[]).filter((o) => o.flag !== undefined);
  const options = flagged.flatMap((o) => {
    const usage = o.type === 'switch' ? displayName(o) : `${displayName(o)} ${o.metavar ?? 'VALUE'}`;
    const example = o.type === 'switch' || o.example === undefined ? '' : `, e.g. ${displayName(o)} ${o.example}`;
    // A switch is off unless given: no default line.
    if (o.type === 'switch') return [[usage, o.help]];
    return [
      [usage, o.help],
      ['', `default ${defaultText(o, suites)}${example}`],
    ];
  });
  const scenarios = listScenarios().map((s) => [s.name, s.description]);
  return [
    'Usage: npm run bench -- [SUITE ...] [OPTIONS]',
    '',
    `Measures what caching reads in Redis buys and which TTL to use. ${defaultRun(suites)}`,
    '',
    'Suites:',
    ...columns(suites.map((s) => [s.name, s.summary])),
    '',
    'Options (--name VALUE or --name=VALUE; durations take us, ms, s, m, h; rates are per second):',
    ...columns(options),
    '',
    'Scenarios (--scenario NAME, or --scenario path/to/file.json):',
    ...columns(scenarios),
    '',
    'Exit codes:',
    ...columns([
      ['0', 'the run finished (also "degraded" when Redis failed mid-run)'],
      ['1', 'the run could not start or was stopped (unreachable server, refused credentials, interrupted)'],
      ['2', 'invalid input: an unknown or malformed flag, scenario field or URL'],
    ]),
    '',
    'Environment:',
    ...columns(ENVIRONMENT),
    '',
    'Examples:',
    '  npm run bench',
    '  npm run bench -- ttl-sweep --ttl 0,1s,10s,none --dist zipf:1.1 --max-stale 1%',
    '  npm run bench -- --scenario product-catalogue --redis-url redis://127.0.0.1:6379 --quiet',
    '  npm run bench -- --rerun results/default/2026-11-26T10-04-18Z.json',
    '',
  ].join('\n');
}
