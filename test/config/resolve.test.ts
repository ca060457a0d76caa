/** Per-suite settings: option defaults < suite defaults < a rerun's pins < what was given; and --rerun itself. */
import { describe, expect, it } from 'vitest';
import { type BenchRequest, parseBenchArgs, unusedFlagsNote } from '../../src/config/args.ts';
import { defaultText } from '../../src/config/help.ts';
import { OPTION_BY_KEY } from '../../src/config/options.ts';
import { applyRerun } from '../../src/config/rerun.ts';
import {
  readRecordedSettings,
  recordRunSettings,
  recordSettings,
  resolveRun,
  resolveSettings,
} from '../../src/config/resolve.ts';
import { UsageError } from '../../src/errors.ts';
import { SUITES, suiteNamed } from '../../src/suites/registry.ts';

function request(argv: string[]): BenchRequest {
  const parsed = parseBenchArgs(argv, {}, SUITES, false);
  if (parsed.kind !== 'run') throw new Error('expected a run');
  return parsed.request;
}

const suite = (name: string) =>
  suiteNamed(name) ??
  (() => {
    throw new Error(name);
  })();

describe('resolveSettings', () => {
  it('gives each suite its own defaults, and what was given to all', () => {
    const plain = request([]);
    expect(resolveSettings(suite('ttl-sweep'), plain)).toMatchObject({ ttl: [0, 100, 500, 2000, null], rate: 2000 });
    expect(resolveSettings(suite('stampede'), plain)).toMatchObject({
      ttl: [250],
      rate: 4000,
      hotKeys: 4,
      dist: { kind: 'uniform' },
      sourceLatency: { kind: 'fixed', ms: 10 },
    });
    const given = request(['--rate', '500', '--dist', 'zipf:1.2']);
    expect(resolveSettings(suite('stampede'), given)).toMatchObject({ rate: 500, dist: { kind: 'zipf', s: 1.2 } });
    expect(resolveSettings(suite('ttl-sweep'), given)).toMatchObject({ rate: 500, dist: { kind: 'zipf', s: 1.2 } });
  });

  it('warms every row of a suite up as long as its longest finite TTL, unless --warmup says otherwise', () => {
    expect(resolveSettings(suite('ttl-sweep'), request([])).warmupMs).toBe(2000);
    expect(resolveSettings(suite('ttl-sweep'), request(['--ttl', '0,100ms,none'])).warmupMs).toBe(500);
    expect(resolveSettings(suite('ttl-sweep'), request(['--warmup', '1s'])).warmupMs).toBe(1000);
  });

  it('lets a closed loop replace a suite default rate, and a rate replace a pinned closed loop', () => {
    const closed = resolveSettings(suite('ttl-sweep'), request(['--concurrency', '8']));
    expect(closed.concurrency).toBe(8);
    expect(closed.rate).toBeUndefined();
    const pinned = { ...request(['--rate', '100']), pinned: { 'ttl-sweep': { concurrency: 4 } } };
    const resolved = resolveSettings(suite('ttl-sweep'), pinned);
    expect(resolved.rate).toBe(100);
    expect(resolved.concurrency).toBeUndefined();
  });
});

describe('unused flags', () => {
  it('names a flag no selected suite uses, in one line, and nothing else', () => {
    const r = request(['stampede', '--keys', '500', '--write-rate', '5', '--seed', '3']);
    expect(unusedFlagsNote(r, (name) => suite(name).uses)).toBe(
      'note: --keys, --write-rate are not used by the selected suites (stampede); ignored',
    );
    expect(unusedFlagsNote(request(['--keys', '500']), (name) => suite(name).uses)).toBeUndefined();
  });
});

describe('--help', () => {
  it("prints each suite's real default where they differ", () => {
    const rate = OPTION_BY_KEY.get('rate');
    expect(rate && defaultText(rate, SUITES)).toBe('ttl-sweep, freshness, capacity 2000; stampede 4000');
    const keys = OPTION_BY_KEY.get('keys');
    expect(keys && defaultText(keys, SUITES)).toBe('10000');
  });
});

describe('--rerun', () => {
  it('pins every suite to its recorded settings, read back through the parsers; flags given beside win', () => {
    const original = request(['--ttl', '0,1s,none', '--seed', '9']);
    const recorded = {
      config: {
        scenario: 'default',
        scenarioDescription: 'x',
        redis: 'redis://***',
        ...recordRunSettings(resolveRun(original)),
      },
      suitesRun: ['ttl-sweep', 'stampede'],
      suites: Object.fromEntries(
        ['ttl-sweep', 'stampede'].map((name) => [
          name,
          { settings: recordSettings(suite(name), resolveSettings(suite(name), original)) },
        ]),
      ),
    };
    const rerun = applyRerun(request(['--rerun', 'x.json', '--rate', '300']), recorded, 'x.json');
    expect(rerun.suites).toEqual(['ttl-sweep', 'stampede']);
    expect(resolveRun(rerun).seed).toBe(9);
    for (const name of ['ttl-sweep', 'stampede']) {
      const again = resolveSettings(suite(name), rerun);
      expect(recordSettings(suite(name), again)).toEqual({ ...recorded.suites[name]?.settings, rate: 300 });
    }
  });

  it('refuses a recorded value its option would not take, and --rerun beside --scenario', () => {
    expect(() => readRecordedSettings({ keys: -3 }, 'x.json: ttl-sweep')).toThrow(UsageError);
    expect(() => readRecordedSettings({ nonsense: 1 }, 'x.json')).toThrow('unknown setting "nonsense"');
    expect(() => request(['--rerun', 'x.json', '--scenario', 'default'])).toThrow('--rerun and --scenario');
  });
});
