/** The --trace options: parsed once from the option table, and what a trace changes in a suite's settings. */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../src/config/args.ts';
import { resolveSettings } from '../../src/config/resolve.ts';
import { formatTraceWindow, parseTraceWindow } from '../../src/config/values.ts';
import { UsageError } from '../../src/errors.ts';
import { SUITES, suiteNamed } from '../../src/suites/registry.ts';

const request = (argv: string[]) => {
  const parsed = parseBenchArgs(argv, {}, SUITES, true, process.cwd());
  if (parsed.kind !== 'run') throw new Error('expected a run');
  return parsed.request;
};

describe('trace options', () => {
  it('reads --trace-window in seconds or durations, and writes it back', () => {
    expect(parseTraceWindow('--trace-window', '60:120')).toEqual({ startSec: 60, endSec: 120 });
    expect(parseTraceWindow('--trace-window', '1m:2.5m')).toEqual({ startSec: 60, endSec: 150 });
    expect(parseTraceWindow('--trace-window', '0:0.5')).toEqual({ startSec: 0, endSec: 0.5 });
    expect(formatTraceWindow({ startSec: 60, endSec: 150 })).toBe('60:150');
    for (const bad of ['60', '120:60', 'a:b', '5:5', ':5']) {
      expect(() => parseTraceWindow('--trace-window', bad)).toThrow(UsageError);
    }
  });

  it('parses every trace flag into the request', () => {
    const given = request([
      '--trace',
      'x.csv.gz',
      '--trace-format',
      'twitter',
      '--trace-timing',
      'rate',
      '--trace-window',
      '10:20',
      '--trace-limit',
      '5000',
    ]).given;
    expect(given).toMatchObject({
      trace: 'x.csv.gz',
      traceFormat: 'twitter',
      traceTiming: 'rate',
      traceWindow: { startSec: 10, endSec: 20 },
      traceLimit: 5000,
    });
    expect(() => request(['--trace-format', 'json'])).toThrow(/one of csv, twitter, cachebench/);
    expect(() => request(['--trace-timing', 'fast'])).toThrow(/one of trace, rate/);
  });

  it('leaves simulate out of a run without suite names; runs it when named', () => {
    expect(request([]).suites).not.toContain('simulate');
    expect(request(['simulate']).suites).toEqual(['simulate']);
  });

  it('with a trace: warm-up 0, the whole trace, no synthetic workload unless given', () => {
    const sweep = suiteNamed('ttl-sweep');
    if (!sweep) throw new Error('no ttl-sweep');
    const plain = resolveSettings(sweep, request([]));
    expect(plain).toMatchObject({ durationMs: 4000, rate: 2000, keys: 10_000 });
    const traced = resolveSettings(sweep, request(['--trace', 'x.csv']));
    expect(traced.warmupMs).toBe(0);
    for (const key of ['durationMs', 'rate', 'keys', 'dist'] as const) expect(traced[key]).toBeUndefined();
    const given = resolveSettings(sweep, request(['--trace', 'x.csv', '--duration', '30s', '--warmup', '5s']));
    expect(given).toMatchObject({ durationMs: 30_000, warmupMs: 5000 });
    const byRate = resolveSettings(sweep, request(['--trace', 'x.csv', '--trace-timing', 'rate']));
    expect(byRate.rate).toBe(2000);
  });
});
