/**
 * `--repeat N` and `--calibrate`: how many passes a run makes, for compare's
 * statistics (src/run/passes.ts). Part of the one option table (`options.ts`).
 */
import { option } from './option.ts';
import { parseInteger, parseSwitch } from './values.ts';

/** Enough for any test of repeats; past it a run takes hours. */
const MAX_REPEAT = 50;

export const REPEAT_OPTIONS = [
  option({
    key: 'repeat',
    flag: 'repeat',
    type: 'number',
    metavar: 'N',
    parse: (l, r) => parseInteger(l, r, 1, MAX_REPEAT),
    format: String,
    default: 1,
    scope: 'run',
    help:
      'run every row N times, in alternating order; tables show median ± half its interval, compare tests the repeats. ' +
      'N = 5 takes 5x the time (the default run: about 7 minutes); 4 is the fewest compare can call significant',
    example: '5',
  }),
  option({
    type: 'switch',
    parse: parseSwitch,
    format: String,
    default: false,
    scope: 'run',
    key: 'calibrate',
    flag: 'calibrate',
    field: false,
    help: "run N times (--repeat, default 5 here) and print each figure's run-to-run spread on this machine, to choose compare's --threshold; saves nothing but --json",
  }),
] as const;
