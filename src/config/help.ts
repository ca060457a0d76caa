/**
 * `--help`. The option table here is also what `parseBenchArgs` recognises,
 * so the help cannot list a flag the parser does not know, or miss one.
 */
import { listScenarios } from './scenario.ts';

export interface OptionHelp {
  /** Without the leading `--`. */
  name: string;
  /** Metavariable for a flag that takes a value; undefined for a switch. */
  value: string | undefined;
  meaning: string;
  default: string;
  example: string;
}

const option = (name: string, value: string | undefined, meaning: string, dflt: string, example: string) => ({
  name,
  value,
  meaning,
  default: dflt,
  example,
});

export const OPTIONS: readonly OptionHelp[] = [
  option(
    'redis-url',
    'URL',
    'redis:// or rediss:// with user, password, db',
    'REDIS_URL, else REDIS_HOST..., else a throwaway redis-server',
    'redis://127.0.0.1:6379/0',
  ),
  option('scenario', 'NAME|FILE', 'workload preset; flags override its fields', 'default', 'product-catalogue'),
  option('keys', 'N', 'rows in the source and size of the key space (1 to 10000000)', '10000', '100000'),
  option('dist', 'D', 'read key distribution: uniform, zipf:S, hotspot:F:Q', 'zipf:0.99', 'hotspot:0.2:0.8'),
  option('ttl', 'LIST', 'TTLs to try: 0 (no cache), durations, none (no expiry)', "suite's own", '0,250ms,2s,none'),
  option('rate', 'R', 'open-loop Poisson reads/s', "suite's own", '500'),
  option('concurrency', 'N', 'closed loop with N requests in flight instead of --rate', '-', '8'),
  option('duration', 'D', 'measured time per run', "suite's own", '5s'),
  option('warmup', 'D', 'unmeasured warm-up per run', "suite's own", '2s'),
  option(
    'source-latency',
    'D|DIST',
    'delay per source query: D, uniform:A:B, exp:MEAN',
    '1ms (stampede: 10ms)',
    'uniform:1ms:5ms',
  ),
  option('write-rate', 'R', 'source row updates/s', "suite's own", '20'),
  option('invalidation', 'LIST', 'ttl, delete, write-through', "suite's own", 'ttl,delete'),
  option('stampede', 'LIST', 'none, single-flight, lock, xfetch[:BETA]', "suite's own", 'none,xfetch:1.5'),
  option('ttl-jitter', 'PCT', 'spread each TTL by up to +/-PCT', '0', '10%'),
  option('max-stale', 'PCT', 'advise the best-hit-ratio TTL whose stale reads stay within PCT', '-', '1%'),
  option(
    'speedup',
    'K',
    'run production units K times faster: rates x K, TTLs and durations / K, source latency as is',
    '1',
    '60',
  ),
  option('seed', 'N', 'seed of every random choice (0 to 4294967295)', '1', '42'),
  option('redis-timeout', 'D', 'per-command Redis timeout before a read falls back to the source', '500ms', '200ms'),
  option('json', 'FILE', 'also write the snapshot to FILE', '-', 'run.json'),
  option('out', 'DIR', 'where snapshots go', 'results', 'results'),
  option('no-save', undefined, 'write no snapshot', '-', '--no-save'),
  option('quiet', undefined, 'tables only, no progress (also when stdout is not a TTY or CI is set)', '-', '--quiet'),
  option('help', undefined, 'this text (also -h)', '-', '--help'),
];

const SUITES: readonly [string, string][] = [
  ['read-path', 'cached vs uncached read latency (one at a time, or N in flight with --concurrency)'],
  ['ttl-sweep', 'hit ratio, latency and source load per TTL'],
  ['freshness', 'stale reads per TTL and invalidation strategy'],
  ['stampede', 'source loads per expiry per strategy'],
];

const ENVIRONMENT: readonly [string, string][] = [
  ['REDIS_URL', 'Redis to use when --redis-url is not given'],
  ['REDIS_HOST, REDIS_PORT, REDIS_DB', 'Redis to use when neither URL is given'],
  ['REDIS_USERNAME, REDIS_PASSWORD', 'credentials for REDIS_HOST (never printed)'],
  ['REDIS_TLS', 'true to connect to REDIS_HOST with TLS'],
  ['CI', 'when set, same as --quiet'],
  ['DEBUG', 'when set, errors print their stack trace'],
];

function columns(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    (indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).trimEnd(),
  );
}

export function helpText(): string {
  // Two lines per option keep the text inside 100 columns.
  const options = OPTIONS.flatMap((o) => [
    [`--${o.name}${o.value === undefined ? '' : ` ${o.value}`}`, o.meaning],
    ['', `default ${o.default}${o.value === undefined ? '' : `, e.g. --${o.name} ${o.example}`}`],
  ]);
  const scenarios = listScenarios().map((s) => [s.name, s.description]);
  return [
    'Usage: npm run bench -- [SUITE ...] [OPTIONS]',
    '',
    'Measures what caching reads in Redis buys and which TTL to use. With no SUITE, runs all four.',
    '',
    'Suites:',
    ...columns(SUITES),
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
    '',
  ].join('\n');
}
