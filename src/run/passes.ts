/**
 * `--repeat N`, done once for every suite: the suite runs N passes, each
 * with its own random stream (so the spread includes the workload's own
 * sampling noise, as two runs with different seeds would), its own key
 * prefix (so no pass finds the keys an earlier one left, and every row still
 * starts from an empty cache), and odd passes measure the rows in reverse
 * (`inRunOrder`). The passes are folded into one section by `mergeRepeats`.
 */
import type { BenchRequest } from '../config/args.ts';
import type { Settings } from '../config/options.ts';
import type { SuiteContext } from '../suites/context.ts';
import { mergeRepeats } from '../suites/repeats.ts';
import type { Suite } from '../suites/suite.ts';

export async function runPasses(suite: Suite, ctx: SuiteContext, count: number): Promise<object> {
  if (count === 1) return suite.run(ctx);
  const passes: { rows: readonly object[] }[] = [];
  for (let index = 0; index < count && !ctx.signal.aborted; index++) {
    // A signal per pass: tinybench leaves an abort listener per task on the signal it gets, and
    // five passes of read-path would pile 25 on the run's (Node warns past 10).
    const pass = new AbortController();
    const stop = () => pass.abort();
    ctx.signal.addEventListener('abort', stop, { once: true });
    try {
      passes.push(await suite.run({ ...passContext(ctx, index, count), signal: pass.signal }));
    } finally {
      ctx.signal.removeEventListener('abort', stop);
    }
  }
  return mergeRepeats(suite, passes);
}

function passContext(ctx: SuiteContext, index: number, count: number): SuiteContext {
  const lab = ctx.lab;
  const tag = ` (pass ${index + 1}/${count})`;
  return {
    ...ctx,
    repeat: { index, count },
    // Pass 1 draws what a run without --repeat draws: the same seed gives the same first pass.
    rng: index === 0 ? ctx.rng : ctx.rng.fork(`repeat:${index}`),
    lab: {
      ...lab,
      prefix: index === 0 ? lab.prefix : `${lab.prefix}p${index}:`,
      measureRow: (label, settings) => lab.measureRow(label + tag, settings),
    },
    progress: { ...ctx.progress, start: (label) => ctx.progress.start(label + tag) },
  };
}

/**
 * `--calibrate` is a run with repeats (5 unless --repeat says) that saves
 * nothing under results/ (it measures the machine, not a result; --json
 * still writes its snapshot).
 */
export function calibrating(run: Settings, request: BenchRequest): Settings {
  if (!run.calibrate) return run;
  return { ...run, repeat: request.given.repeat ?? DEFAULT_CALIBRATION_PASSES, noSave: true };
}

const DEFAULT_CALIBRATION_PASSES = 5;
