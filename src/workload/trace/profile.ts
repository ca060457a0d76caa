/**
 * A trace in a few numbers, and the synthetic workload closest to it: the
 * `--keys N --dist zipf:S --rate R --write-rate W` flags that make a scenario
 * calibrated from a log. The rates are averages over the trace's span; a
 * day-shaped trace has peaks above them.
 */
import type { TraceFormat } from './formats.ts';
import type { Trace } from './readTrace.ts';
import { OP_READ } from './traceBuilder.ts';
import { fitZipf } from './zipfFit.ts';

export interface TraceProfile {
  file: string;
  format: TraceFormat;
  requests: number;
  reads: number;
  writes: number;
  uniqueKeys: number;
  durationSec: number;
  /** Maximum-likelihood Zipf exponent of the reads' rank-frequency; null with fewer than 2 keys read. */
  zipfExponent: number | null;
  /** R² of log-frequency against log-rank under the fitted line; null with the exponent. */
  zipfFitR2: number | null;
  /** The equivalent synthetic workload, as flags. */
  synthetic: string;
}

type ProfiledTrace = Pick<
  Trace,
  'file' | 'format' | 'requests' | 'reads' | 'writes' | 'uniqueKeys' | 'durationMs' | 'key' | 'op'
>;

export function profileTrace(trace: ProfiledTrace): TraceProfile {
  const counts = new Float64Array(trace.uniqueKeys + 1);
  const { key, op } = trace;
  for (let i = 0; i < key.length; i++) {
    const k = key[i] as number;
    if (op[i] === OP_READ) counts[k] = (counts[k] as number) + 1;
  }
  const fit = fitZipf(counts);
  const durationSec = trace.durationMs / 1000;
  return {
    file: trace.file,
    format: trace.format,
    requests: trace.requests,
    reads: trace.reads,
    writes: trace.writes,
    uniqueKeys: trace.uniqueKeys,
    durationSec,
    zipfExponent: fit ? fit.exponent : null,
    zipfFitR2: fit ? fit.r2 : null,
    synthetic: syntheticFlags(trace, durationSec, fit?.exponent),
  };
}

function syntheticFlags(trace: ProfiledTrace, durationSec: number, exponent: number | undefined): string {
  // The flags accept zipf:S for 0 < S <= 5, and rates above 0: no reads or writes means no flag.
  const dist = exponent === undefined || exponent === 0 ? 'uniform' : `zipf:${round(Math.min(exponent, 5), 2)}`;
  const flags = [`--keys ${trace.uniqueKeys}`, `--dist ${dist}`];
  if (durationSec > 0 && trace.reads > 0) flags.push(`--rate ${significant(trace.reads / durationSec)}`);
  if (durationSec > 0 && trace.writes > 0) flags.push(`--write-rate ${significant(trace.writes / durationSec)}`);
  return flags.join(' ');
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Three significant digits (whole numbers from 100/s up). */
function significant(rate: number): number {
  if (rate === 0) return 0;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(rate)));
  return round(rate, digits);
}
