import { describe, expect, it } from 'vitest';
import { checkSuites } from '../../src/config/args.ts';
import { formatDuration, formatTtl, parseDuration, parseTtlList, readDuration } from '../../src/config/duration.ts';
import { levenshtein, suggest } from '../../src/config/messages.ts';
import { OPTIONS, optionDefaults, type Settings } from '../../src/config/options.ts';
import { toRunUnits } from '../../src/config/speedup.ts';
import {
  parseDistribution,
  parseInteger,
  parseInvalidations,
  parseLatency,
  parsePercent,
  parseRate,
  parseSpeedup,
  parseStampede,
} from '../../src/config/values.ts';
import { UsageError } from '../../src/errors.ts';

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['2s', 2000],
    ['0.5s', 500],
    ['1.1s', 1100],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['500us', 0.5],
    ['0ms', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(readDuration(text)).toBe(ms);
  });

  it.each(['5', '0', '-2s', '2 s', '2sec', 's', '', '1e3ms', '.5s'])('does not read %j', (text) => {
    expect(readDuration(text)).toBeUndefined();
  });

  it('checks bounds and names the unit when it is missing', () => {
    expect(parseDuration('--duration', '3s', 1, 10_000)).toBe(3000);
    expect(() => parseDuration('--duration', '11s', 1, 10_000)).toThrow('from 1ms to 10s');
    expect(() => parseDuration('--duration', '5', 1, 10_000)).toThrow('a duration needs a unit');
  });

  it.each([
    [1500, '1.5s'],
    [60_000, '1m'],
    [90_000, '1.5m'],
    [86_400_000, '24h'],
    [250, '250ms'],
    [1333, '1.333s'],
    [0.5, '0.5ms'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('writes TTLs the way --ttl reads them', () => {
    expect([0, null, 250, 2000, 300_000].map(formatTtl)).toEqual(['0', 'none', '250ms', '2s', '5m']);
  });
});

describe('every option', () => {
  // The formatter is the parser's inverse, so a snapshot's settings can be run again (--rerun).
  it.each(OPTIONS.filter((o) => o.example !== undefined).map((o) => [o.key, o] as const))(
    '%s: format(parse(example)) reads back to the same value',
    (_key, o) => {
      const spec = o as unknown as {
        parse(l: string, r: string): unknown;
        format(v: unknown): string;
        example: string;
      };
      const value = spec.parse('--x', spec.example);
      expect(spec.parse('--x', spec.format(value))).toEqual(value);
    },
  );
});

describe('parseTtlList', () => {
  it.each([
    ['0,250ms,2s,5m,none', [0, 250, 2000, 300_000, null]],
    ['none', [null]],
    ['0', [0]],
    [' 0 , 1s ', [0, 1000]],
    ['0.5s', [500]],
  ])('reads %j', (text, ttls) => {
    expect(parseTtlList('--ttl', text)).toEqual(ttls);
  });

  it.each([
    ['', 'empty item'],
    ['0,,1s', 'empty item'],
    ['-1s', 'negative'],
    ['1s,1000ms', 'given twice'],
    ['none,none', 'given twice'],
    ['1.5ms', 'whole number of ms'],
    ['0ms', 'whole number of ms'],
    ['5', 'not a TTL'],
    ['31d', 'not a TTL'],
    ['721h', 'over 720h'],
    [Array.from({ length: 21 }, (_, i) => `${i + 1}s`).join(','), '21 TTLs, at most 20'],
  ])('rejects %j (%s)', (text, problem) => {
    expect(() => parseTtlList('--ttl', text)).toThrow(problem);
  });
});

describe('numbers', () => {
  it('reads rates, with or without /s', () => {
    expect(parseRate('--rate', '300')).toBe(300);
    expect(parseRate('--rate', '2.5/s')).toBe(2.5);
    expect(parseRate('--rate', '1e7')).toBe(1e7);
    for (const bad of ['0', '-1', '1e8', 'fast', '', 'Infinity', 'NaN']) {
      expect(() => parseRate('--rate', bad), bad).toThrow(UsageError);
    }
  });

  it('reads whole numbers within bounds only', () => {
    expect(parseInteger('--keys', '10000', 1, 10_000_000)).toBe(10_000);
    expect(parseInteger('--seed', '4294967295', 0, 2 ** 32 - 1)).toBe(2 ** 32 - 1);
    for (const bad of ['0', '1.5', '-3', '1e3', '10000001', ' ', '0x10']) {
      expect(() => parseInteger('--keys', bad, 1, 10_000_000), bad).toThrow('a whole number from 1 to 10000000');
    }
  });

  it('reads percentages with or without %', () => {
    expect(parsePercent('--ttl-jitter', '5')).toBe(5);
    expect(parsePercent('--ttl-jitter', '5%')).toBe(5);
    expect(parsePercent('--max-stale', '0.5%')).toBe(0.5);
    for (const bad of ['101', '-1', '5%%', 'five']) expect(() => parsePercent('--max-stale', bad), bad).toThrow();
  });

  it('reads a speedup of at least 1', () => {
    expect(parseSpeedup('--speedup', '60')).toBe(60);
    expect(parseSpeedup('--speedup', '1')).toBe(1);
    for (const bad of ['0.5', '0', '1e7', 'x']) expect(() => parseSpeedup('--speedup', bad), bad).toThrow();
  });
});

describe('parseDistribution', () => {
  it.each([
    ['uniform', { kind: 'uniform' }],
    ['zipf', { kind: 'zipf', s: 0.99 }],
    ['zipf:1.2', { kind: 'zipf', s: 1.2 }],
    ['zipf:5', { kind: 'zipf', s: 5 }],
    ['hotspot:0.2:0.8', { kind: 'hotspot', hotFraction: 0.2, hotOpsFraction: 0.8 }],
  ])('reads %s', (text, dist) => {
    expect(parseDistribution('--dist', text)).toEqual(dist);
  });

  it.each([
    'zipf:0',
    'zipf:5.1',
    'zipf:',
    'zipf:1:2',
    'uniform:1',
    'hotspot:0.2',
    'hotspot:1:0.5',
    'hotspot:0.2:0',
    'pareto',
    '',
  ])('rejects %j', (text) => {
    expect(() => parseDistribution('--dist', text)).toThrow(UsageError);
  });
});

describe('parseLatency', () => {
  it.each([
    ['1ms', { kind: 'fixed', ms: 1 }],
    ['0ms', { kind: 'fixed', ms: 0 }],
    ['500us', { kind: 'fixed', ms: 0.5 }],
    ['10s', { kind: 'fixed', ms: 10_000 }],
    ['uniform:1ms:5ms', { kind: 'uniform', minMs: 1, maxMs: 5 }],
    ['uniform:2ms:2ms', { kind: 'uniform', minMs: 2, maxMs: 2 }],
    ['exp:2ms', { kind: 'exp', meanMs: 2 }],
  ])('reads %s', (text, spec) => {
    expect(parseLatency('--source-latency', text)).toEqual(spec);
  });

  it.each(['1', '11s', 'uniform:5ms:1ms', 'uniform:1ms', 'exp:0ms', 'exp:', 'normal:1ms', 'exp:1ms:2ms'])(
    'rejects %j',
    (text) => {
      expect(() => parseLatency('--source-latency', text)).toThrow(UsageError);
    },
  );
});

describe('lists', () => {
  it('reads invalidations and stampede strategies', () => {
    expect(parseInvalidations('--invalidation', 'ttl,delete,write-through')).toEqual([
      'ttl',
      'delete',
      'write-through',
    ]);
    expect(parseStampede('--stampede', 'none,single-flight,lock,xfetch,xfetch:2.5')).toEqual([
      { kind: 'none' },
      { kind: 'single-flight' },
      { kind: 'lock' },
      { kind: 'xfetch', beta: 1 },
      { kind: 'xfetch', beta: 2.5 },
    ]);
    expect(parseStampede('--stampede', 'xfetch:0.5')).toEqual([{ kind: 'xfetch', beta: 0.5 }]);
  });

  it.each([
    ['--invalidation', 'ttl,purge'],
    ['--invalidation', 'ttl,,delete'],
    ['--invalidation', 'delete,delete'],
    ['--stampede', 'xfetch:0'],
    ['--stampede', 'xfetch:-1'],
    ['--stampede', 'xfetch,xfetch:1'],
    ['--stampede', 'mutex'],
  ])('%s rejects %j', (flag, text) => {
    const parse = flag === '--stampede' ? parseStampede : parseInvalidations;
    expect(() => parse(flag, text)).toThrow(text);
  });

  it('reads suites in the registry order, all of them when none are named', () => {
    const names = ['ttl-sweep', 'read-path', 'freshness', 'stampede'];
    expect(checkSuites([], names, '')).toEqual(names);
    expect(checkSuites(['stampede', 'read-path'], names, '')).toEqual(['read-path', 'stampede']);
    expect(() => checkSuites(['ttl-swep'], names, '')).toThrow(
      'unknown suite "ttl-swep": did you mean ttl-sweep? expected one of ttl-sweep, read-path, freshness, stampede',
    );
    expect(() => checkSuites(['nope'], names, '')).not.toThrow('did you mean');
    expect(() => checkSuites(['freshness', 'freshness'], names, '')).toThrow('given twice');
  });
});

describe('suggest', () => {
  it('measures edit distance', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('ttl', 'ttl')).toBe(0);
  });

  it('suggests only close candidates', () => {
    const names = ['ttl', 'ttl-jitter', 'keys', 'write-rate', 'concurrency'];
    expect(suggest('ttls', names)).toBe('ttl');
    expect(suggest('writeRate', names)).toBe('write-rate');
    expect(suggest('concurency', names)).toBe('concurrency');
    expect(suggest('foo', names)).toBeUndefined();
    expect(suggest('verbose', names)).toBeUndefined();
  });
});

describe('toRunUnits', () => {
  const base: Partial<Settings> = {
    ...optionDefaults(),
    rate: 300,
    writeRate: 2,
    ttl: [0, 60_000, 900_000, null, 29],
    durationMs: 300_000,
    warmupMs: 0,
    sourceLatency: { kind: 'fixed', ms: 2 },
    redisTimeoutMs: 500,
  };

  it('returns an equal copy at speedup 1', () => {
    const run = toRunUnits(base, 1);
    expect(run).toEqual(base);
    expect(run).not.toBe(base);
  });

  it('multiplies rates and divides TTLs and durations, leaving physical delays alone', () => {
    const run = toRunUnits({ ...base, speedup: 60 }, 60);
    expect(run.rate).toBe(18_000);
    expect(run.writeRate).toBe(120);
    // 29 ms / 60 would round to 0 (no cache); a positive TTL stays at least 1 ms.
    expect(run.ttl).toEqual([0, 1000, 15_000, null, 1]);
    expect(run.durationMs).toBe(5000);
    expect(run.warmupMs).toBe(0);
    expect(run.sourceLatency).toEqual({ kind: 'fixed', ms: 2 });
    expect(run.redisTimeoutMs).toBe(500);
    expect(run.speedup).toBe(60);
  });

  it('rounds to whole milliseconds and keeps undefined as the suite default', () => {
    const run = toRunUnits({ ...base, speedup: 7, rate: undefined, ttl: undefined, durationMs: 1000, warmupMs: 3 }, 7);
    expect(run.rate).toBeUndefined();
    expect(run.ttl).toBeUndefined();
    expect(run.durationMs).toBe(143);
    expect(run.warmupMs).toBe(1);
  });
});
