import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BenchRequest, type ParsedArgs, parseBenchArgs } from '../../src/config/args.ts';
import { helpText } from '../../src/config/help.ts';
import { OPTIONS, type Settings } from '../../src/config/options.ts';
import { listScenarios, loadScenario } from '../../src/config/scenario.ts';
import { UsageError } from '../../src/errors.ts';
import { SUITES } from '../../src/suites/registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'cab-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** Writes a scenario file and returns its path; `body` is raw text or a value to JSON-encode. */
function scenarioFile(body: unknown, name = `s${files++}`): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
}

function request(argv: string[], env: NodeJS.ProcessEnv = {}, tty = true): BenchRequest {
  const parsed: ParsedArgs = parseBenchArgs(argv, env, SUITES, tty);
  if (parsed.kind !== 'run') throw new Error('expected a run');
  return parsed.request;
}

/** The values given, flags over the scenario. */
function run(argv: string[], env: NodeJS.ProcessEnv = {}, tty = true): Partial<Settings> {
  return request(argv, env, tty).given;
}

const PASSWORD = 's3cret';
const URL_ARGS = ['--redis-url', `redis://u:${PASSWORD}@host:6379/0`];

/** [what, argv or a scenario body, text the message must contain] */
type BadCase = [string, string[] | { scenario: unknown }, string];
const BAD: BadCase[] = [
  // flags
  ['unknown flag', ['--ttls', '1s'], 'unknown option --ttls: did you mean --ttl?'],
  ['unknown short flag', ['-x'], '-x'],
  ['flag holding a URL', [`--redis://u:${PASSWORD}@h`], 'redis://u:***@h'],
  ['missing value at the end', ['--ttl'], '--ttl needs a value'],
  ['missing value before a flag', ['--keys', '--quiet'], '--keys needs a value'],
  ['flag given twice', ['--keys', '10', '--keys=20'], '"10" and "20"'],
  ['URL flag given twice', [...URL_ARGS, ...URL_ARGS], 'redis://u:***@host:6379/0'],
  ['switch with a value', ['--quiet=yes'], '"yes"'],
  ['switch given twice', ['--no-save', '--no-save'], '--no-save is given twice'],
  ['rate and concurrency', ['--rate', '50', '--concurrency', '4'], '--concurrency "4"'],
  ['ttl garbage', ['--ttl', '5x'], '"5x"'],
  ['ttl empty item', ['--ttl', '0,,2s'], '"0,,2s"'],
  ['ttl negative', ['--ttl=-2s'], '"-2s"'],
  ['ttl duplicate', ['--ttl', '2s,2000ms'], '"2s,2000ms"'],
  ['bare duration', ['--duration', '5'], '"5"'],
  ['negative warmup', ['--warmup', '-1s'], '"-1s"'],
  ['zero keys', ['--keys', '0'], '"0"'],
  ['fractional keys', ['--keys', '1.5'], '"1.5"'],
  ['too many keys', ['--keys', '10000001'], '"10000001"'],
  ['concurrency too high', ['--concurrency', '5000'], '"5000"'],
  ['negative seed', ['--seed', '-1'], '"-1"'],
  ['seed past 2^32-1', ['--seed', '4294967296'], '"4294967296"'],
  ['zero rate', ['--rate', '0'], '"0"'],
  ['write rate too high', ['--write-rate', '1e8'], '"1e8"'],
  ['jitter over 100', ['--ttl-jitter', '101'], '"101"'],
  ['max-stale double %', ['--max-stale', '5%%'], '"5%%"'],
  ['speedup below 1', ['--speedup', '0.5'], '"0.5"'],
  ['zipf exponent too high', ['--dist', 'zipf:6'], '"zipf:6"'],
  ['hotspot fraction 1', ['--dist', 'hotspot:1:0.5'], '"hotspot:1:0.5"'],
  ['unknown distribution', ['--dist', 'pareto'], '"pareto"'],
  ['source latency over 10 s', ['--source-latency', '11s'], '"11s"'],
  ['uniform latency backwards', ['--source-latency', 'uniform:5ms:1ms'], '"uniform:5ms:1ms"'],
  ['unknown invalidation', ['--invalidation', 'ttl,purge'], '"ttl,purge"'],
  ['xfetch beta 0', ['--stampede', 'xfetch:0'], '"xfetch:0"'],
  ['zero redis timeout', ['--redis-timeout', '0ms'], '"0ms"'],
  ['empty json path', ['--json='], '--json ""'],
  ['unknown suite', ['ttl-swep'], '"ttl-swep"'],
  ['suite holding a URL', [`redis://u:${PASSWORD}@h`], 'redis://u:***@h'],
  ['bad scenario name', ['--scenario', 'Prod'], '"Prod"'],
  ['unknown preset', ['--scenario', 'prod'], 'prod'],
  ['missing scenario file', ['--scenario', join(dir, 'nope.json')], 'nope.json'],
  // URLs
  ['URL with port 99999', ['--redis-url', `redis://u:${PASSWORD}@host:99999`], 'redis://u:***@host:99999'],
  ['URL with http scheme', ['--redis-url', `http://u:${PASSWORD}@host`], 'http://u:***@host'],
  ['URL with a named db', ['--redis-url', `redis://u:${PASSWORD}@host/abc`], '"abc"'],
  ['URL with port 0', ['--redis-url', `redis://u:${PASSWORD}@host:0`], 'redis://u:***@host:0'],
  ['URL with a query', ['--redis-url', `rediss://u:${PASSWORD}@host?tls=1`], 'rediss://u:***@host?tls=1'],
  ['URL with an @ in the password', ['--redis-url', `redis://u:${PASSWORD}@x@host:99999`], 'host:99999'],
  ['not a URL', ['--redis-url', 'localhost'], '"localhost"'],
  // scenario fields
  ['unknown field', { scenario: { description: 'x', ttls: '1s' } }, 'unknown field "ttls": did you mean "ttl"?'],
  ['unknown field far from any', { scenario: { description: 'x', colour: 1 } }, '"colour"'],
  ['number as string', { scenario: { description: 'x', keys: 'many' } }, 'field keys is "many" (a string)'],
  ['ttl as number', { scenario: { description: 'x', ttl: 5 } }, 'field ttl is 5 (a number)'],
  ['boolean as string', { scenario: { description: 'x', slidingTtl: 'yes' } }, '"yes"'],
  ['suite name as number', { scenario: { description: 'x', suites: ['ttl-sweep', 3] } }, 'suites[1] is 3'],
  ['unknown suite in scenario', { scenario: { description: 'x', suites: ['ttl-swep'] } }, '"ttl-swep"'],
  ['zero keys in scenario', { scenario: { description: 'x', keys: 0 } }, 'field keys "0"'],
  ['bad ttl in scenario', { scenario: { description: 'x', ttl: '2s,2s' } }, '"2s,2s"'],
  ['bad dist in scenario', { scenario: { description: 'x', writeDist: 'zipf:0' } }, '"zipf:0"'],
  ['secret in a field', { scenario: { description: 'x', sourceLatency: `redis://u:${PASSWORD}@h` } }, 'u:***@h'],
  [
    'rate and concurrency in scenario',
    { scenario: { description: 'x', rate: 5, concurrency: 2 } },
    'rate and concurrency',
  ],
  ['missing description', { scenario: { keys: 10 } }, 'missing field description'],
  ['two-line description', { scenario: { description: 'a\nb' } }, '"a\\nb"'],
  ['array instead of object', { scenario: [] }, 'got an array'],
  ['malformed JSON', { scenario: '{"description": "x",}' }, 'is not valid JSON'],
];

describe('bad input', () => {
  it('has at least 30 distinct cases', () => {
    expect(new Set(BAD.map(([, input]) => JSON.stringify(input))).size).toBeGreaterThanOrEqual(30);
  });

  it.each(BAD)('%s', (_, input, contains) => {
    const argv = Array.isArray(input) ? input : ['--scenario', scenarioFile(input.scenario)];
    let error: unknown;
    try {
      parseBenchArgs(argv, {}, SUITES, true);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    const usage = error as UsageError;
    expect(usage.exitCode).toBe(2);
    expect(usage.message).not.toMatch(/[\r\n]/);
    expect(usage.message).toContain(contains);
    expect(usage.message).not.toContain(PASSWORD);
  });

  it('names the scenario file in field errors', () => {
    const file = scenarioFile({ description: 'x', ttls: '1s' }, 'named');
    expect(() => parseBenchArgs(['--scenario', file], {}, SUITES, true)).toThrow(
      `scenario ${file}: unknown field "ttls"`,
    );
  });
});

describe('good input', () => {
  it('resolves the default scenario, every suite, and nothing given', () => {
    const r = request([]);
    expect(r.scenario).toEqual({
      name: 'default',
      description: '10,000 products, zipf 0.99 reads, 1 ms source: the standard run',
    });
    expect(r.suites).toEqual(['ttl-sweep', 'read-path', 'freshness', 'stampede']);
    expect(r.given).toEqual({ suites: r.suites });
    expect(r.flags).toEqual([]);
    expect(r.quiet).toBe(false);
  });

  it('reads every flag, in both --name value and --name=value forms', () => {
    const o = run([
      'ttl-sweep',
      'freshness',
      ...URL_ARGS,
      '--keys=500',
      '--dist',
      'hotspot:0.1:0.9',
      '--ttl=0,250ms,none',
      '--rate',
      '1000',
      '--duration=3s',
      '--warmup',
      '500ms',
      '--source-latency=exp:2ms',
      '--write-rate',
      '10',
      '--invalidation=delete',
      '--stampede',
      'lock,xfetch:2',
      '--ttl-jitter=10%',
      '--max-stale',
      '1',
      '--speedup=2',
      '--seed',
      '7',
      '--redis-timeout=200ms',
      '--json',
      'out/run.json',
      '--out=snapshots',
      '--no-save',
      '--hot-keys',
      '8',
      '--source-pool=4',
      '--timer',
      'spin',
      '--sliding-ttl',
      '--write-dist',
      'uniform',
    ]);
    expect(o).toMatchObject({
      redisUrl: `redis://u:${PASSWORD}@host:6379/0`,
      keys: 500,
      dist: { kind: 'hotspot', hotFraction: 0.1, hotOpsFraction: 0.9 },
      ttl: [0, 250, null],
      rate: 1000,
      durationMs: 3000,
      warmupMs: 500,
      sourceLatency: { kind: 'exp', meanMs: 2 },
      writeRate: 10,
      invalidation: ['delete'],
      stampede: [{ kind: 'lock' }, { kind: 'xfetch', beta: 2 }],
      ttlJitterPct: 10,
      maxStalePct: 1,
      speedup: 2,
      seed: 7,
      redisTimeoutMs: 200,
      json: 'out/run.json',
      out: 'snapshots',
      noSave: true,
      hotKeys: 8,
      sourcePool: 4,
      timer: 'spin',
      slidingTtl: true,
      writeDist: { kind: 'uniform' },
    });
    // Suites come in the registry's run order, whatever order they were named in.
    expect(o.suites).toEqual(['ttl-sweep', 'freshness']);
  });

  it('treats everything after -- as suites', () => {
    expect(request(['--', 'stampede']).suites).toEqual(['stampede']);
    expect(() => run(['--', '--quiet'])).toThrow('unknown suite "--quiet"');
  });

  it('lets flags override a scenario field by field', () => {
    const file = scenarioFile({ description: 'mine', keys: 50, ttl: '1s', rate: 20, suites: ['stampede'] }, 'my-run');
    const o = run(['--scenario', file, '--keys', '60', '--concurrency', '3']);
    expect(o).toMatchObject({ scenario: file, keys: 60, ttl: [1000] });
    expect(request(['--scenario', file]).scenario).toEqual({ name: 'my-run', description: 'mine' });
    // A loop flag replaces the scenario's other loop.
    expect(o.concurrency).toBe(3);
    expect(o.rate).toBeUndefined();
    expect(o.suites).toEqual(['stampede']);
    expect(request(['--scenario', file, 'read-path']).suites).toEqual(['read-path']);
  });

  it('loads every preset by name, with a one-line description', () => {
    const presets = listScenarios();
    expect(presets.map((p) => p.name)).toEqual([
      'default',
      'product-catalogue',
      'session-store',
      'trace-sample',
      'write-heavy-feed',
    ]);
    for (const { name, description } of presets) {
      expect(description).not.toMatch(/^\(invalid|\n/);
      expect(request(['--scenario', name]).scenario.name).toBe(name);
    }
    expect(run(['--scenario', 'product-catalogue'])).toMatchObject({
      keys: 1_000_000,
      rate: 300,
      writeRate: 2,
      ttl: [0, 30_000, 120_000, 300_000, null],
      speedup: 20,
      sourceLatency: { kind: 'fixed', ms: 2 },
    });
    expect(loadScenario('session-store').values.slidingTtl).toBe(true);
  });

  it.each([
    [[], {}, true, false],
    [['--quiet'], {}, true, true],
    [[], { CI: 'true' }, true, true],
    [[], { CI: '' }, true, false],
    [[], {}, false, true],
  ] as const)('quiet for %j with env %j and TTY %s is %s', (argv, env, tty, quiet) => {
    expect(request([...argv], env, tty).quiet).toBe(quiet);
  });
});

describe('help', () => {
  it('returns the help for --help or -h, even next to other flags', () => {
    expect(parseBenchArgs(['--help'], {}, SUITES, true)).toEqual({ kind: 'help', text: helpText(SUITES) });
    expect(parseBenchArgs(['--bogus', '-h'], {}, SUITES, true).kind).toBe('help');
  });

  it('lists every option, suite, preset, exit code and variable', () => {
    const text = helpText(SUITES);
    for (const o of OPTIONS) if (o.flag !== undefined) expect(text).toContain(`--${o.flag}`);
    for (const word of ['read-path', 'ttl-sweep', 'freshness', 'stampede', 'product-catalogue', 'write-heavy-feed']) {
      expect(text).toContain(word);
    }
    for (const name of ['REDIS_URL', 'REDIS_TLS', 'REDIS_PASSWORD', 'CI', 'DEBUG', 'Exit codes', '  2  ']) {
      expect(text).toContain(name);
    }
  });
});
