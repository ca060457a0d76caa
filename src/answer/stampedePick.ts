/**
 * The stampede suite's part of the answer: which strategy keeps the source
 * load of an expiry lowest — and, with --max-source-rate, under it. Its hot
 * keys expire in step under a burst of readers, so the source reads/s it
 * measured are the peak an expiry costs, not the average a TTL row shows.
 */
import { fmtRate } from '../metrics/format.ts';
import type { StampedeRow } from '../suites/stampede.ts';
import type { AnswerInput } from './candidates.ts';
import type { Binding, StampedePick } from './types.ts';

export interface StampedeOutcome {
  pick: StampedePick | null;
  /** Set when --max-source-rate is given and no strategy keeps the peak under it. */
  binding: Binding | null;
}

/** Source reads/s of a stampede row, production units. */
function peak(row: StampedeRow, k: number): number {
  return row.windowMs > 0 ? row.loads / (row.windowMs / 1000) / k : 0;
}

export function pickStampede(input: AnswerInput): StampedeOutcome {
  const rows = input.stampedeRows.filter((r) => r.loadsPerExpiry !== null);
  if (rows.length === 0) return { pick: null, binding: null };
  const limit = input.constraints.maxSourceRate.value;
  const k = input.speedup;
  const order = (a: StampedeRow, b: StampedeRow) =>
    (a.loadsPerExpiry as number) - (b.loadsPerExpiry as number) || a.p99Ms - b.p99Ms;
  const fits = rows.filter((r) => limit === null || peak(r, k) <= limit).sort(order);
  const best = fits[0];
  if (best) {
    return {
      pick: {
        strategy: best.strategy,
        loadsPerExpiry: best.loadsPerExpiry,
        sourceReadsPerSec: peak(best, k),
        mark: 'measured',
      },
      binding: null,
    };
  }
  const least = [...rows].sort((a, b) => peak(a, k) - peak(b, k))[0] as StampedeRow;
  const needed = peak(least, k);
  return {
    pick: null,
    binding: {
      constraint: 'maxSourceRate',
      flag: '--max-source-rate',
      limit: limit as number,
      needed,
      candidate: null,
      relax: `--max-source-rate ${fmtRate(limit)} reads/s binds at an expiry: the stampede suite's best strategy (${least.strategy}) peaked at ${fmtRate(needed)} source reads/s (measured); --max-source-rate ${fmtRate(Math.ceil(needed))} would allow it`,
    },
  };
}
