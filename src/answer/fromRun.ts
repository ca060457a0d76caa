/**
 * The answer of a finished run: its suites' sections, the run's constraints,
 * and the workload the model predicts for — the freshness suite's own (the
 * same seeded key popularity it drew reads and writes from), else
 * ttl-sweep's at the write rate the run would write at.
 */
import type { OptionKey, Settings } from '../config/options.ts';
import { toRunUnits } from '../config/speedup.ts';
import { fmtRate } from '../metrics/format.ts';
import { type FreshnessRow, freshnessSamplers } from '../suites/freshness.ts';
import type { StampedeRow } from '../suites/stampede.ts';
import type { TtlSweepRow } from '../suites/ttlSweep.ts';
import { createRng } from '../workload/rng.ts';
import type { AnswerModel } from './candidates.ts';
import { computeAnswer } from './choose.ts';
import type { Answer, Limit } from './types.ts';

type Section = { settings: Record<string, unknown>; rows: object[] };

export interface FinishedRun {
  sections: Record<string, Section>;
  /** The run's own settings (seed, speedup, the constraints). */
  run: Settings;
  /** Whether the user gave an option (flag, scenario field or a rerun's pin): the answer says given or default. */
  given(key: OptionKey): boolean;
  /** The freshness suite's settings as this run resolved them (production units), whether it ran or not: its write rate. */
  freshnessSettings: Settings;
  /** Redis errors the reads survived: their rows measured the fallback, not the cache. */
  redisErrors?: number;
}

const rowsOf = <T>(section: Section | undefined) => (section?.rows ?? []) as T[];

export function answerFor(finished: FinishedRun): Answer {
  const { sections, run, given } = finished;
  const limit = (key: 'maxStalePct' | 'maxStaleAgeMs' | 'maxSourceRate' | 'maxP99Ms'): Limit => ({
    value: run[key] ?? null,
    given: given(key),
  });
  return computeAnswer({
    speedup: run.speedup ?? 1,
    sweepRows: rowsOf<TtlSweepRow>(sections['ttl-sweep']),
    freshnessRows: rowsOf<FreshnessRow>(sections.freshness),
    stampedeRows: rowsOf<StampedeRow>(sections.stampede),
    model: modelFor(finished),
    ...(finished.redisErrors
      ? {
          caveat: `caution: the run was degraded, ${finished.redisErrors} Redis errors; rows that fell back measured the source`,
        }
      : {}),
    constraints: {
      maxStalePct: limit('maxStalePct'),
      maxStaleAgeMs: limit('maxStaleAgeMs'),
      maxSourceRate: limit('maxSourceRate'),
      maxP99Ms: limit('maxP99Ms'),
    },
  });
}

function modelFor({ sections, run, freshnessSettings }: FinishedRun): AnswerModel | null {
  const k = run.speedup ?? 1;
  const rng = createRng(run.seed ?? 1);
  const fresh = sections.freshness;
  const sweep = sections['ttl-sweep'];
  // The same forks the suites took for their first row, so the same scrambled popularity.
  const [production, fork, from] = fresh
    ? [fresh.settings as Settings, 'freshness:0', 'as freshness ran']
    : sweep
      ? [
          { ...freshnessSettings, ...(sweep.settings as Settings) } as Settings,
          'ttl-sweep:0',
          'the run’s write rate; freshness did not run',
        ]
      : [undefined, '', ''];
  if (!production) return null;
  const settings = toRunUnits(production, k);
  const rate = settings.rate ?? meanAchieved(rowsOf<TtlSweepRow>(sweep));
  if (rate === undefined || settings.keys === undefined || settings.dist === undefined) return null;
  const writeRate = settings.writeRate ?? 0;
  const { sampler, writeSampler } = freshnessSamplers(settings, rng.fork(fork));
  return {
    probabilities: sampler.probabilities,
    writeProbabilities: writeSampler.probabilities,
    rate,
    writeRate,
    sliding: settings.slidingTtl ?? false,
    raceMs: meanRace(rowsOf<FreshnessRow>(fresh)),
    writeRateFrom: `at ${fmtRate(writeRate / k)} writes/s (${from})`,
  };
}

/** Closed loop has no offered rate: the reads/s the sweep achieved stand in. */
function meanAchieved(rows: TtlSweepRow[]): number | undefined {
  if (rows.length === 0) return undefined;
  return rows.reduce((sum, r) => sum + r.readsPerSec, 0) / rows.length;
}

/** δ as freshness measured it on the rows that invalidate; undefined when none did. */
function meanRace(rows: FreshnessRow[]): number | undefined {
  const races = rows.filter((r) => r.invalidation !== 'ttl' && r.raceMs !== null).map((r) => r.raceMs as number);
  return races.length > 0 ? races.reduce((a, b) => a + b, 0) / races.length : undefined;
}
