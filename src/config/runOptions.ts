/**
 * Options with one value for the whole run: where Redis is, the scenario,
 * the seed, timing, output. Part of the one option table (`options.ts`).
 */
import { formatDuration, parseDuration } from './duration.ts';
import { fail } from './messages.ts';
import { option } from './option.ts';
import { parseRedisSeeds, seedsDisplay } from './redisSeeds.ts';
import { redactUrl } from './redisTarget.ts';
import { parseSourceUrl, redactSourceUrl } from './sourceUrl.ts';
import { TIMER_MODES, type TimerMode } from './types.ts';
import {
  formatPercent,
  parseInteger,
  parsePath,
  parsePercent,
  parseRate,
  parseSpeedup,
  parseSwitch,
} from './values.ts';

const MAX_REDIS_TIMEOUT_MS = 60_000;
/** A week: past it a stale-age limit or a latency target is no limit at all. */
const MAX_STALE_AGE_MS = 7 * 24 * 3600_000;
const text = (value: string) => value;
const asIs = (_label: string, raw: string) => raw;
const aSwitch = { type: 'switch', parse: parseSwitch, format: String, default: false, scope: 'run' } as const;

export const RUN_OPTIONS = [
  option({
    key: 'suites',
    flag: undefined,
    field: 'suites',
    type: 'list',
    parse: (_l: string, raw: string) => raw.split(','),
    format: (names: string[]) => names.join(','),
    default: undefined as string[] | undefined,
    scope: 'run',
    help: 'suites to run (positional on the command line)',
  }),
  option({
    key: 'redisUrl',
    flag: 'redis-url',
    field: false,
    type: 'string',
    metavar: 'URL',
    // Checked here (each seed a URL, one set of credentials), kept as given: the session parses it again.
    parse: (label, raw) => {
      parseRedisSeeds(raw, label === 'REDIS_URL' ? 'REDIS_URL' : '--redis-url');
      return raw;
    },
    format: (raw: string) => {
      try {
        return seedsDisplay(parseRedisSeeds(raw, '--redis-url'));
      } catch {
        return redactUrl(raw);
      }
    },
    default: undefined as string | undefined,
    scope: 'run',
    help: 'redis:// or rediss:// with user, password, db; several comma-separated seeds name one Redis Cluster (detected from cluster_enabled)',
    defaultText: 'REDIS_URL, else REDIS_HOST..., else a throwaway redis-server',
    example: 'redis://127.0.0.1:6379/0',
  }),
  option({
    key: 'sourceUrl',
    flag: 'source',
    field: false,
    type: 'string',
    metavar: 'URL',
    // Checked here, so a bad URL exits 2 before anything starts; the run reads it again with resolveSourceTarget.
    parse: (label, raw) => {
      parseSourceUrl(raw, label === 'SOURCE_URL' ? 'SOURCE_URL' : '--source');
      return raw;
    },
    format: redactSourceUrl,
    default: undefined as string | undefined,
    scope: 'run',
    help: 'the database behind the cache: sqlite, sqlite:FILE, mysql://user:pass@host:port/db (MySQL, MariaDB) or postgres://…; a database URL gets a table of its own, cab_<run id>_products, dropped at the end',
    defaultText: 'SOURCE_URL, else sqlite (in memory)',
    example: 'mysql://root@127.0.0.1:3306/test',
  }),
  option({
    key: 'sourceQuery',
    flag: 'source-query',
    field: false,
    type: 'string',
    metavar: 'SQL',
    parse: parsePath('a SELECT with one placeholder, such as "SELECT * FROM products WHERE id = ?"'),
    format: text,
    default: undefined as string | undefined,
    scope: 'run',
    help: "read the user's own table instead, read-only: the point SELECT a miss runs (with --source-ids; no writing suites)",
    example: '"SELECT * FROM products WHERE id = ?"',
  }),
  option({
    key: 'sourceIds',
    flag: 'source-ids',
    field: false,
    type: 'string',
    metavar: 'SQL',
    parse: parsePath('a SELECT of ids, such as "SELECT id FROM products"'),
    format: text,
    default: undefined as string | undefined,
    scope: 'run',
    help: 'with --source-query: the ids to read, its first column in order; --dist picks among them',
    example: '"SELECT id FROM products"',
  }),
  option({
    key: 'scenario',
    flag: 'scenario',
    field: false,
    type: 'string',
    metavar: 'NAME|FILE',
    parse: asIs,
    format: text,
    default: 'default',
    scope: 'run',
    help: 'workload preset; flags override its fields',
    example: 'product-catalogue',
  }),
  option({
    key: 'rerun',
    flag: 'rerun',
    field: false,
    type: 'string',
    metavar: 'SNAPSHOT',
    parse: parsePath('a snapshot file such as results/default/2026-11-26T10-04-18Z.json'),
    format: text,
    default: undefined as string | undefined,
    scope: 'run',
    help: "run a snapshot's exact settings again; flags given beside it override",
    example: 'results/default/2026-11-26T10-04-18Z.json',
  }),
  /*
   * The answer's constraints (src/answer/): what the recommended TTL must
   * meet. They change which row is recommended, never what is measured, so
   * compare still judges two runs that differ in them (and says when their
   * answers differ). Production units, as the answer reports in them.
   */
  option({
    key: 'maxStalePct',
    flag: 'max-stale',
    type: 'number',
    metavar: 'PCT',
    parse: parsePercent,
    format: formatPercent,
    // An unbounded staleness is rarely what anyone wants: 1 in 100 reads may be stale unless told otherwise.
    default: 1 as number | undefined,
    scope: 'run',
    help: 'the answer: stale reads allowed, share of all reads',
    example: '0.5%',
  }),
  option({
    key: 'maxStaleAgeMs',
    flag: 'max-stale-age',
    type: 'string',
    metavar: 'D',
    parse: (l, r) => parseDuration(l, r, 1, MAX_STALE_AGE_MS),
    format: formatDuration,
    default: undefined as number | undefined,
    scope: 'run',
    help: 'the answer: how old a stale read may be (production units)',
    defaultText: 'no limit',
    example: '5s',
  }),
  option({
    key: 'maxSourceRate',
    flag: 'max-source-rate',
    type: 'number',
    metavar: 'R',
    parse: parseRate,
    format: String,
    default: undefined as number | undefined,
    scope: 'run',
    help: 'the answer: reads/s the database can take (production units), the stampede peak included',
    defaultText: 'no limit',
    example: '500',
  }),
  option({
    key: 'maxP99Ms',
    flag: 'max-p99',
    type: 'string',
    metavar: 'D',
    parse: (l, r) => parseDuration(l, r, 0.001, MAX_STALE_AGE_MS),
    format: formatDuration,
    default: undefined as number | undefined,
    scope: 'run',
    help: 'the answer: the read latency target, p99',
    defaultText: 'no limit',
    example: '5ms',
  }),
  option({
    key: 'speedup',
    flag: 'speedup',
    type: 'number',
    metavar: 'K',
    parse: parseSpeedup,
    format: String,
    default: 1,
    scope: 'run',
    workload: true,
    help: 'run production units K times faster: rates x K, TTLs and durations / K, source latency as is',
    example: '60',
  }),
  option({
    key: 'seed',
    flag: 'seed',
    type: 'number',
    metavar: 'N',
    parse: (l, r) => parseInteger(l, r, 0, 2 ** 32 - 1),
    format: String,
    default: 1,
    scope: 'run',
    help: 'seed of every random choice (0 to 4294967295)',
    example: '42',
  }),
  option({
    key: 'timer',
    flag: 'timer',
    type: 'string',
    metavar: 'MODE',
    parse: (label, raw): TimerMode =>
      TIMER_MODES.find((m) => m === raw.trim()) ?? fail(label, raw, `one of ${TIMER_MODES.join(', ')}`),
    format: (mode: TimerMode) => mode,
    default: 'wait' as TimerMode,
    scope: 'run',
    help: 'how waits end on time: wait (the loop sleeps while nothing is in flight: lightest), thread (a timer thread) or spin (a busy event loop: punctual, costs a core)',
    example: 'spin',
  }),
  option({
    key: 'redisTimeoutMs',
    flag: 'redis-timeout',
    type: 'string',
    metavar: 'D',
    parse: (l, r) => parseDuration(l, r, 1, MAX_REDIS_TIMEOUT_MS),
    format: formatDuration,
    default: 500,
    scope: 'run',
    help: 'per-command Redis timeout before a read falls back to the source',
    example: '200ms',
  }),
  option({
    key: 'json',
    flag: 'json',
    field: false,
    type: 'string',
    metavar: 'FILE',
    parse: parsePath('a file path such as run.json'),
    format: text,
    default: undefined as string | undefined,
    scope: 'run',
    help: 'also write the snapshot to FILE',
    example: 'run.json',
  }),
  option({
    key: 'out',
    flag: 'out',
    field: false,
    type: 'string',
    metavar: 'DIR',
    parse: parsePath('a directory such as results'),
    format: text,
    default: 'results',
    scope: 'run',
    help: 'where snapshots go',
    example: 'results',
  }),
  option({ ...aSwitch, key: 'noSave', flag: 'no-save', field: false, help: 'write no snapshot' }),
  option({
    ...aSwitch,
    key: 'noCharts',
    flag: 'no-charts',
    field: false,
    help: 'write no SVG charts or HTML report beside latest.md (the terminal charts stay)',
  }),
  option({
    ...aSwitch,
    key: 'quiet',
    flag: 'quiet',
    field: false,
    help: 'tables only, no progress (also when stdout is not a TTY or CI is set)',
  }),
  option({ ...aSwitch, key: 'help', flag: 'help', field: false, help: 'this text (also -h)' }),
] as const;
